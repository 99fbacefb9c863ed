/**
 * The one module every file will import the client from: the codebase's own singleton when it
 * has one (the globalThis pattern, an exported module-level client), or a new module written
 * in the codebase's style with the globalThis cache and a shutdown hook that disconnects once.
 */
import type { AnyNode } from '../core/ast.js';
import { unwrapExpression } from '../core/ast.js';
import { ancestors, type FileSyntax } from './syntax.js';
import { quoted, semicolon, type CodeStyle } from './style.js';
import type { CarriedDeclaration, CarriedImport } from './options-carry.js';

export type ModuleSystem = 'esm' | 'cjs';

export interface SharedModule {
  /** Relative to the scan root. */
  file: string;
  /** The export to import: a name, `default` (ESM default), or `module.exports` (CommonJS whole). */
  exportName: string;
  /** The name importers should prefer for it. */
  localName: string;
  system: ModuleSystem;
  /**
   * `value`: the export is the client (`prisma`); `call`: a getter that builds it once and
   * returns it (`getPrisma()`), so every use becomes a call.
   */
  accessor: 'value' | 'call';
  created: boolean;
  /** The full text of a module to create. */
  text: string | null;
}

/**
 * How the file exports the client built at `site` (which may sit inside
 * `globalForPrisma.prisma ?? new PrismaClient()`); null when it does not export it as a value.
 */
export function exportOfClient(syntax: FileSyntax, site: AnyNode): { exportName: string; localName: string; system: ModuleSystem } | null {
  const declarator = ancestors(syntax, site).find((node) => node.type === 'VariableDeclarator');
  if (!declarator || (declarator.id as AnyNode).type !== 'Identifier') return null;
  if (ancestors(syntax, declarator).some((node) => node.type.includes('Function'))) return null;
  return exportOfBinding(syntax, (declarator.id as AnyNode).name as string, declarator);
}

/**
 * How the file exports the getter that builds the client at `site` once and returns it
 * (`export function getPrisma() { if (!client) client = new PrismaClient(); return client }`):
 * a module-level function without parameters. The caller has already seen from the scan that
 * the site is cached (a lazy or globalThis singleton); null when no such getter is exported.
 */
export function exportOfGetter(syntax: FileSyntax, site: AnyNode): { exportName: string; localName: string; system: ModuleSystem } | null {
  const functions = ancestors(syntax, site).filter((node) => node.type.includes('Function'));
  const getter = functions[functions.length - 1];
  if (!getter || (getter.params as AnyNode[]).length > 0) return null;
  const parent = syntax.parentOf.get(getter);
  if (getter.type === 'FunctionDeclaration' && getter.id) {
    if (parent?.type === 'ExportDefaultDeclaration') {
      return { exportName: 'default', localName: (getter.id as AnyNode).name as string, system: 'esm' };
    }
    if (parent !== syntax.program && parent?.type !== 'ExportNamedDeclaration') return null;
    return exportOfBinding(syntax, (getter.id as AnyNode).name as string, getter);
  }
  // const getPrisma = () => …
  if (parent?.type !== 'VariableDeclarator' || (parent.id as AnyNode).type !== 'Identifier') return null;
  if (ancestors(syntax, parent).some((node) => node.type.includes('Function'))) return null;
  return exportOfBinding(syntax, (parent.id as AnyNode).name as string, parent);
}

/** How the file exports the module-level binding `name`, declared by `declaration` (a declarator or a function). */
function exportOfBinding(syntax: FileSyntax, name: string, declaration: AnyNode): { exportName: string; localName: string; system: ModuleSystem } | null {
  for (const statement of syntax.program.body as AnyNode[]) {
    if (statement.type === 'ExportNamedDeclaration') {
      const exported = statement.declaration as AnyNode | null;
      if (exported === declaration || (exported?.type === 'VariableDeclaration' && (exported.declarations as AnyNode[]).includes(declaration))) return { exportName: name, localName: name, system: 'esm' };
      for (const specifier of (statement.specifiers as AnyNode[]) ?? []) {
        const local = specifier.local as AnyNode;
        const exported = specifier.exported as AnyNode;
        if (local.name === name && !statement.source) {
          const exportName = (exported.name ?? exported.value) as string;
          return { exportName, localName: exportName === 'default' ? name : exportName, system: 'esm' };
        }
      }
    }
    if (statement.type === 'ExportDefaultDeclaration' && unwrapExpression(statement.declaration as AnyNode).type === 'Identifier' && (unwrapExpression(statement.declaration as AnyNode).name as string) === name) {
      return { exportName: 'default', localName: name, system: 'esm' };
    }
    const cjs = commonJsExport(syntax, statement, name);
    if (cjs) return cjs;
  }
  return null;
}

function commonJsExport(syntax: FileSyntax, statement: AnyNode, name: string): { exportName: string; localName: string; system: ModuleSystem } | null {
  if (statement.type !== 'ExpressionStatement') return null;
  const expression = statement.expression as AnyNode;
  if (expression.type !== 'AssignmentExpression') return null;
  const left = syntax.text.slice((expression.left as AnyNode).start, (expression.left as AnyNode).end).replace(/\s+/g, '');
  const right = unwrapExpression(expression.right as AnyNode);
  if (left === 'module.exports') {
    if (right.type === 'Identifier' && right.name === name) return { exportName: 'module.exports', localName: name, system: 'cjs' };
    if (right.type === 'ObjectExpression') {
      for (const property of right.properties as AnyNode[]) {
        const value = property.value as AnyNode | undefined;
        const key = property.key as AnyNode | undefined;
        if (value?.type === 'Identifier' && value.name === name && key) {
          const exportName = (key.name ?? key.value) as string;
          return { exportName, localName: exportName, system: 'cjs' };
        }
      }
    }
    return null;
  }
  const named = /^(?:module\.)?exports\.([\w$]+)$/.exec(left);
  if (named && right.type === 'Identifier' && right.name === name) return { exportName: named[1]!, localName: named[1]!, system: 'cjs' };
  return null;
}

export interface NewModuleInput {
  file: string;
  system: ModuleSystem;
  typescript: boolean;
  style: CodeStyle;
  /** How the codebase imports PrismaClient (`@prisma/client`, `../generated/prisma/client.js`). */
  clientSpecifier: string;
  options: string | null;
  imports: CarriedImport[];
  declarations: CarriedDeclaration[];
}

/** The text of a new shared module, in the codebase's style. */
export function renderSharedModule(input: NewModuleInput): string {
  const { style, typescript } = input;
  const s = semicolon(style);
  const q = (value: string) => quoted(value, style);
  const i1 = style.indent;
  const i2 = style.indent.repeat(2);
  const i3 = style.indent.repeat(3);
  const lines: string[] = [];
  const cjs = input.system === 'cjs';
  if (cjs) {
    lines.push(`const { PrismaClient } = require(${q(input.clientSpecifier)})${s}`);
    for (const item of input.imports) lines.push(renderRequire(item, q, s));
  } else {
    lines.push(`import { PrismaClient } from ${q(input.clientSpecifier)}${s}`);
    for (const item of input.imports) lines.push(renderImport(item, q, s));
  }
  lines.push('');
  for (const declaration of input.declarations) lines.push(`const ${declaration.name} = ${declaration.init}${s}`);
  if (input.declarations.length > 0) lines.push('');
  lines.push(
    '// One client, and one connection pool, per process. The cache on globalThis survives hot',
    '// reloads in development, which would otherwise build a new client on every reload.',
    typescript
      ? `const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient${s} prismaShutdownHooked?: boolean }${s}`
      : `const globalForPrisma = globalThis${s}`,
    '',
    `${cjs ? '' : 'export '}const prisma = globalForPrisma.prisma ?? new PrismaClient(${input.options ?? ''})${s}`,
    '',
    `if (process.env.NODE_ENV !== ${q('production')}) globalForPrisma.prisma = prisma${s}`,
    '',
    '// Disconnect once when the process is asked to stop. When nothing else listens for the',
    '// signal, end the process the way the signal asked; otherwise the other listeners decide.',
    `if (!globalForPrisma.prismaShutdownHooked) {`,
    `${i1}globalForPrisma.prismaShutdownHooked = true${s}`,
    `${i1}let disconnecting${typescript ? ': Promise<void> | undefined' : ''}${s}`,
    `${i1}for (const signal of [${q('SIGTERM')}, ${q('SIGINT')}]${typescript ? ' as const' : ''}) {`,
    `${i2}process.once(signal, () => {`,
    `${i3}disconnecting ??= prisma.$disconnect()${s}`,
    `${i3}void disconnecting.finally(() => {`,
    `${i3}${i1}if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)${s}`,
    `${i3}})${s}`,
    `${i2}})${s}`,
    `${i1}}`,
    '}',
  );
  if (cjs) lines.push('', `module.exports = { prisma }${s}`);
  return `${lines.join('\n')}\n`;
}

function renderImport(item: CarriedImport, q: (value: string) => string, s: string): string {
  if (item.imported === 'default') return `import ${item.local} from ${q(item.source)}${s}`;
  if (item.imported === '*') return `import * as ${item.local} from ${q(item.source)}${s}`;
  const name = item.imported === item.local ? item.local : `${item.imported} as ${item.local}`;
  return `import { ${name} } from ${q(item.source)}${s}`;
}

function renderRequire(item: CarriedImport, q: (value: string) => string, s: string): string {
  if (item.imported === 'default' || item.imported === '*') return `const ${item.local} = require(${q(item.source)})${s}`;
  const name = item.imported === item.local ? item.local : `${item.imported}: ${item.local}`;
  return `const { ${name} } = require(${q(item.source)})${s}`;
}
