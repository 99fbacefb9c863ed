/**
 * Moving a site's constructor options into the shared module. `new PrismaClient({ adapter })`
 * means nothing without the `const adapter = new PrismaPg(…)` above it and the import of
 * `PrismaPg`, so the options travel with what they use. Sites are compared by their options
 * with those names replaced by what they stand for, so that two files' `{ adapter }` count as
 * the same options only when their adapters are built the same way.
 */
import type { AnyNode } from '../core/ast.js';
import { findBinding } from './bindings.js';
import { within, type FileSyntax } from './syntax.js';

export interface CarriedImport {
  local: string;
  /** `default`, `*` (namespace) or the imported name. */
  imported: string;
  /** As written in the site's file (relative specifiers are re-based by the caller). */
  source: string;
}

export interface CarriedDeclaration {
  name: string;
  /** The initializer's text, with no type annotation. */
  init: string;
  kind: 'const' | 'let' | 'var';
  declarator: AnyNode;
}

export interface CarriedOptions {
  /** The options expression as written, or null when none were passed. */
  text: string | null;
  /** The options with every local name replaced by what it stands for, whitespace squeezed. */
  signature: string;
  imports: CarriedImport[];
  /** In the order they must be declared. */
  declarations: CarriedDeclaration[];
  /** Why these options cannot move, when they cannot. */
  blocker: string | null;
}

const MAX_DEPTH = 5;

export function carryOptions(syntax: FileSyntax, options: AnyNode | null): CarriedOptions {
  const carried: CarriedOptions = { text: null, signature: '', imports: [], declarations: [], blocker: null };
  if (options === null) return carried;
  carried.text = syntax.text.slice(options.start, options.end);
  carried.signature = signatureOf(syntax, options, carried, 0);
  return carried;
}

function signatureOf(syntax: FileSyntax, node: AnyNode, carried: CarriedOptions, depth: number): string {
  const pieces: string[] = [];
  let cursor = node.start;
  for (const use of syntax.identifiers) {
    if (use.role !== 'reference' || !within(use, node)) continue;
    const binding = findBinding(syntax, use.name, use.node);
    // Declared inside the options themselves (an arrow function's parameter): stays as is.
    if (binding === null || (binding.kind === 'variable' && within(binding.declarator, node))) continue;
    let replacement: string;
    if (binding.kind === 'import') {
      const imported = binding.importedName ?? '*';
      if (!carried.imports.some((item) => item.local === use.name)) carried.imports.push({ local: use.name, imported, source: binding.source });
      replacement = `import(${binding.source}#${imported})`;
    } else if (binding.kind === 'variable' && (binding.declarator.id as AnyNode).type === 'ObjectPattern' && requiredName(syntax, binding.declarator, use.name)) {
      // `const { PrismaPg } = require('@prisma/adapter-pg')`: an import in all but syntax.
      const required = requiredName(syntax, binding.declarator, use.name)!;
      if (!carried.imports.some((item) => item.local === use.name)) carried.imports.push({ local: use.name, imported: required.imported, source: required.source });
      replacement = `import(${required.source}#${required.imported})`;
    } else if (binding.kind === 'variable' && (binding.declarator.id as AnyNode).type === 'Identifier' && binding.declarator.init && depth < MAX_DEPTH) {
      const init = binding.declarator.init as AnyNode;
      const inner = signatureOf(syntax, init, carried, depth + 1);
      if (!carried.declarations.some((item) => item.declarator === binding.declarator)) {
        carried.declarations.push({ name: use.name, init: syntax.text.slice(init.start, init.end), kind: binding.declaration.kind as CarriedDeclaration['kind'], declarator: binding.declarator });
      }
      replacement = `(${inner})`;
    } else {
      carried.blocker ??= `its options use \`${use.name}\`, which is only known where the client is built`;
      replacement = `?${use.name}@${use.start}`;
    }
    pieces.push(syntax.text.slice(cursor, use.start), replacement);
    cursor = use.end;
  }
  pieces.push(syntax.text.slice(cursor, node.end));
  return pieces.join('').replace(/\s+/g, ' ').replace(/\s*([{}()[\],:;])\s*/g, '$1').replace(/,([}\]])/g, '$1');
}

/** `{ imported: local }` of `const { … } = require('source')` (or `await import('source')`). */
function requiredName(syntax: FileSyntax, declarator: AnyNode, local: string): { imported: string; source: string } | null {
  const init = declarator.init as AnyNode | null;
  const source = init && /^(?:await\s+)?(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)$/.exec(syntax.text.slice(init.start, init.end).trim())?.[1];
  if (!source) return null;
  for (const property of (declarator.id as AnyNode).properties as AnyNode[]) {
    const key = property.key as AnyNode | undefined;
    const value = property.value as AnyNode | undefined;
    if (key && value?.type === 'Identifier' && value.name === local && !property.computed) return { imported: (key.name ?? key.value) as string, source };
  }
  return null;
}
