/**
 * The edits that turn one file's own clients into the shared one:
 *  - `const prisma = new PrismaClient()` goes (the import takes its place) when the names
 *    match; otherwise the construction becomes the shared client (`const db = prisma`,
 *    `this.prisma = prisma`, `private prisma = prisma`, `return prisma`);
 *  - one import (or require) of the shared module, with the path the file would write;
 *  - `$disconnect()` of those clients inside functions goes (the shared module's shutdown hook
 *    owns it), and a `finally` left empty with it;
 *  - `PrismaClient` imports, `await import()`s and `require`s that nothing uses any more go,
 *    with the adapters and pools that only the options used.
 */
import type { AnyNode } from '../core/ast.js';
import { unwrapExpression } from '../core/ast.js';
import type { TextEdit } from '../types.js';
import { applyEdits, lineEndingOf, withLineEnding } from './edits.js';
import { declaredNames, findBinding, isReassigned, referencesOf } from './bindings.js';
import type { CarriedOptions } from './options-carry.js';
import type { SiteShape } from './site-shape.js';
import { isModuleLoad } from './site-shape.js';
import { ancestors, within, type FileSyntax } from './syntax.js';
import { quoted, semicolon, type CodeStyle } from './style.js';
import type { ModuleSystem, SharedModule } from './shared-module.js';

export interface FileRewriteInput {
  syntax: FileSyntax;
  sites: { shape: SiteShape; carried: CarriedOptions }[];
  shared: SharedModule;
  /** The specifier this file should import the shared module with. */
  specifier: string;
  style: CodeStyle;
  /** Remove `$disconnect()` calls on the rewritten clients (not in scripts: they end by disconnecting). */
  removeDisconnects: boolean;
}

export interface FileRewrite {
  text: string;
  sitesRewritten: number;
  disconnectsRemoved: number;
  /** `$disconnect()` calls that stay because they are not a statement of their own. */
  disconnectsKept: { offset: number; reason: string }[];
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

export function rewriteFile(input: FileRewriteInput): FileRewrite {
  const { syntax, shared, style } = input;
  const text = syntax.text;
  const edits: TextEdit[] = [];
  /** Spans whose identifiers no longer count as uses. */
  const removed: { start: number; end: number }[] = [];
  const system = moduleSystemOf(syntax, shared.system);

  // The name the shared client goes by here: the one it is already imported under, else its
  // preferred name when no other binding in the file takes it.
  const existing = existingImport(syntax, shared, input.specifier);
  const preferred = shared.localName;
  // With a getter, each site becomes a call of it, and no declaration is the client itself.
  const deletable = (shape: SiteShape, name: string) =>
    shared.accessor === 'value' &&
    shape.holder.kind === 'declarator' &&
    shape.holder.name === name &&
    (shape.holder.declaration.kind === 'const' || !isReassigned(syntax, name)) &&
    syntax.parentOf.get(shape.holder.declaration)?.type !== 'ForOfStatement';
  let local = existing;
  if (local === null) {
    const taken = declaredNames(syntax);
    // Free: nothing declares it, or only the sites' own `const <name> = new PrismaClient()`, which go.
    const free = (name: string) => !taken.has(name) || allBindingsAreSites(syntax, name, input.sites.filter(({ shape }) => deletable(shape, name)));
    local = preferred;
    for (let n = 1; !free(local); n++) local = `shared${capitalize(preferred)}${n === 1 ? '' : n}`;
  }

  const receivers = new Set<string>([local]);
  let sitesRewritten = 0;
  for (const { shape } of input.sites) {
    for (const receiver of shape.receivers) receivers.add(receiver);
    sitesRewritten++;
    if (deletable(shape, local) && shape.holder.kind === 'declarator') {
      const span = removeDeclarator(syntax, shape.holder.declarator, shape.holder.declaration, local, system, style, edits);
      removed.push(span);
      continue;
    }
    edits.push({ start: shape.node.start, end: shape.node.end, text: shared.accessor === 'call' ? `${local}()` : local });
    removed.push({ start: shape.node.start, end: shape.node.end });
  }

  // $disconnect() of what is now the shared client, inside functions.
  let disconnectsRemoved = 0;
  const disconnectsKept: FileRewrite['disconnectsKept'] = [];
  if (input.removeDisconnects) {
    const emptied = new Map<AnyNode, number>();
    for (const call of disconnectCalls(syntax, receivers)) {
      if (!ancestors(syntax, call).some((node) => FUNCTION_TYPES.has(node.type))) continue;
      if (removed.some((span) => within(call, span))) continue;
      const statement = statementOf(syntax, call);
      if (!statement) {
        disconnectsKept.push({ offset: call.start, reason: 'part of a larger expression' });
        continue;
      }
      const block = syntax.parentOf.get(statement);
      const tryStatement = block ? syntax.parentOf.get(block) : undefined;
      if (block?.type === 'BlockStatement' && tryStatement?.type === 'TryStatement' && tryStatement.finalizer === block) {
        emptied.set(block, (emptied.get(block) ?? 0) + 1);
        if (emptied.get(block) === (block.body as AnyNode[]).length) {
          // Every statement of the finally goes: the finally goes with them.
          removeFinally(syntax, tryStatement, edits, removed, style);
          disconnectsRemoved += (block.body as AnyNode[]).length;
        }
        continue;
      }
      const span = lineSpan(text, statement.start, statement.end);
      edits.push({ start: span.start, end: span.end, text: '' });
      removed.push(span);
      disconnectsRemoved++;
    }
    // A finally that keeps other statements keeps its $disconnect too (removed one by one).
    for (const [block, count] of emptied) {
      if (count === (block.body as AnyNode[]).length) continue;
      for (const statement of block.body as AnyNode[]) {
        const call = disconnectCalls(syntax, receivers).find((node) => within(node, statement) && statementOf(syntax, node) === statement);
        if (!call) continue;
        const span = lineSpan(text, statement.start, statement.end);
        edits.push({ start: span.start, end: span.end, text: '' });
        removed.push(span);
        disconnectsRemoved++;
      }
    }
  }

  // Imports and declarations only the old constructions used.
  removeUnused(syntax, input.sites, edits, removed);

  if (existing === null) {
    const insertion = importEdit(syntax, shared, local, input.specifier, system, style, input.sites);
    // Where the import goes is often the line of the PrismaClient import that just went:
    // the new import takes its place.
    const replaced = edits.find((edit) => edit.text === '' && edit.start <= insertion.start && insertion.start <= edit.end && /\n$/.test(text.slice(edit.start, edit.end)));
    if (replaced) replaced.text = insertion.text.replace(/^\n/, '');
    else edits.push(insertion);
  }
  const ending = lineEndingOf(text);
  const fitted = mergeLineRemovals(text, edits).map((edit) => ({ ...edit, text: withLineEnding(edit.text, ending) }));
  return { text: applyEdits(text, fitted), sitesRewritten, disconnectsRemoved, disconnectsKept };
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function allBindingsAreSites(syntax: FileSyntax, name: string, sites: FileRewriteInput['sites']): boolean {
  return syntax.identifiers
    .filter((use) => use.name === name && use.role === 'binding')
    .every((use) => sites.some(({ shape }) => shape.holder.kind === 'declarator' && shape.holder.declarator.id === use.node));
}

export function moduleSystemOf(syntax: FileSyntax, fallback: ModuleSystem): ModuleSystem {
  const body = syntax.program.body as AnyNode[];
  if (body.some((statement) => statement.type === 'ImportDeclaration' || statement.type.startsWith('Export'))) return 'esm';
  if (/\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/.test(syntax.text)) return 'cjs';
  return fallback;
}

/** The local name the file already imports the shared client under, if it does. */
function existingImport(syntax: FileSyntax, shared: SharedModule, specifier: string): string | null {
  for (const statement of syntax.program.body as AnyNode[]) {
    if (statement.type !== 'ImportDeclaration' || (statement.source as AnyNode).value !== specifier) continue;
    for (const item of statement.specifiers as AnyNode[]) {
      const imported = item.imported as AnyNode | undefined;
      const importedName = item.type === 'ImportDefaultSpecifier' ? 'default' : ((imported?.name ?? imported?.value) as string | undefined);
      if (importedName === shared.exportName) return (item.local as AnyNode).name as string;
    }
  }
  return null;
}

/**
 * Removes a `const prisma = new PrismaClient()` whose name the import takes over. An exported
 * one keeps being exported (`export { prisma }`), now as the shared client.
 */
function removeDeclarator(syntax: FileSyntax, declarator: AnyNode, declaration: AnyNode, local: string, system: ModuleSystem, style: CodeStyle, edits: TextEdit[]): { start: number; end: number } {
  const text = syntax.text;
  const declarators = declaration.declarations as AnyNode[];
  const parent = syntax.parentOf.get(declaration);
  if (declarators.length > 1) {
    const index = declarators.indexOf(declarator);
    const span = index > 0 ? { start: declarators[index - 1]!.end, end: declarator.end } : { start: declarator.start, end: declarators[1]!.start };
    edits.push({ ...span, text: '' });
    return span;
  }
  if (parent?.type === 'ExportNamedDeclaration') {
    const span = { start: parent.start, end: parent.end };
    edits.push({ ...span, text: system === 'esm' ? `export { ${local} }${semicolon(style)}` : '' });
    return span;
  }
  const span = lineSpan(text, declaration.start, declaration.end);
  edits.push({ ...span, text: '' });
  return span;
}

/**
 * A statement's span widened to whole lines when nothing else shares them, plus one of two
 * blank lines it would leave side by side.
 */
export function lineSpan(text: string, start: number, end: number): { start: number; end: number } {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== '') return { start, end };
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  if (text.slice(end, lineEnd).trim() !== '') return { start, end };
  let spanEnd = Math.min(text.length, lineEnd + 1);
  const previousLineStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  // A blank line after an opening brace is as much a leftover as one after another blank line.
  const previousLine = text.slice(previousLineStart, lineStart).trim();
  const previousBlank = lineStart > 0 && (previousLine === '' || previousLine.endsWith('{'));
  const nextLineEnd = text.indexOf('\n', spanEnd);
  const nextBlank = spanEnd < text.length && text.slice(spanEnd, nextLineEnd === -1 ? text.length : nextLineEnd).trim() === '';
  if (previousBlank && nextBlank) spanEnd = nextLineEnd === -1 ? text.length : nextLineEnd + 1;
  return { start: lineStart, end: spanEnd };
}

/**
 * Whole-line removals that touch (the dynamic import and the `new` on the next line) become one,
 * so that the blank line they leave behind together is seen and taken too.
 */
function mergeLineRemovals(text: string, edits: readonly TextEdit[]): TextEdit[] {
  const isLineRemoval = (edit: TextEdit) => edit.text === '' && (edit.start === 0 || text[edit.start - 1] === '\n') && text[edit.end - 1] === '\n';
  const removals = edits.filter(isLineRemoval).sort((a, b) => a.start - b.start);
  const others = edits.filter((edit) => !isLineRemoval(edit));
  const merged: TextEdit[] = [];
  for (const edit of removals) {
    const last = merged[merged.length - 1];
    if (last && last.end === edit.start) last.end = edit.end;
    else merged.push({ ...edit });
  }
  for (const edit of merged) {
    const previousStart = text.lastIndexOf('\n', edit.start - 2) + 1;
    const previous = text.slice(previousStart, edit.start).trim();
    const nextEnd = text.indexOf('\n', edit.end);
    const next = text.slice(edit.end, nextEnd === -1 ? text.length : nextEnd);
    if (edit.start > 0 && (previous === '' || previous.endsWith('{')) && next.trim() === '' && edit.end < text.length && !others.some((other) => other.start >= edit.end && other.start <= (nextEnd === -1 ? text.length : nextEnd + 1))) {
      edit.end = nextEnd === -1 ? text.length : nextEnd + 1;
    }
  }
  return [...others, ...merged];
}

function disconnectCalls(syntax: FileSyntax, receivers: ReadonlySet<string>): AnyNode[] {
  const calls: AnyNode[] = [];
  for (const use of syntax.identifiers) {
    if (use.name !== '$disconnect' || use.role !== 'key') continue;
    const member = syntax.parentOf.get(use.node);
    const call = member ? syntax.parentOf.get(member) : undefined;
    if (member?.type !== 'MemberExpression' || call?.type !== 'CallExpression' || call.callee !== member) continue;
    const object = member.object as AnyNode;
    const receiver = syntax.text.slice(object.start, object.end).replace(/\s+/g, '').replace(/\?$/, '');
    if (receivers.has(receiver)) calls.push(call);
  }
  return calls;
}

/** The expression statement that is just this call (`await x.$disconnect();`, `void x.$disconnect()`). */
function statementOf(syntax: FileSyntax, call: AnyNode): AnyNode | null {
  let current = call;
  let parent = syntax.parentOf.get(current);
  while (parent && (parent.type === 'AwaitExpression' || (parent.type === 'UnaryExpression' && parent.operator === 'void') || parent.type === 'ChainExpression')) {
    current = parent;
    parent = syntax.parentOf.get(current);
  }
  return parent?.type === 'ExpressionStatement' ? parent : null;
}

/**
 * `try { … } catch { … } finally { await prisma.$disconnect() }` loses its finally;
 * `try { … } finally { … }` with nothing else left becomes its block's statements.
 */
function removeFinally(syntax: FileSyntax, tryStatement: AnyNode, edits: TextEdit[], removed: { start: number; end: number }[], style: CodeStyle): void {
  const text = syntax.text;
  const block = tryStatement.block as AnyNode;
  const finalizer = tryStatement.finalizer as AnyNode;
  if (tryStatement.handler) {
    const span = { start: (tryStatement.handler as AnyNode).end, end: finalizer.end };
    edits.push({ ...span, text: '' });
    removed.push(span);
    return;
  }
  // Unwrap: the block's inner lines, one indent level out, in place of the whole try. Edits
  // inside the block (a site assigned in the try) would overlap this one, so they are applied
  // to the block's text first.
  const lineStart = text.lastIndexOf('\n', tryStatement.start - 1) + 1;
  const indent = text.slice(lineStart, tryStatement.start);
  const innerEdits = edits.filter((edit) => within(edit, block));
  for (const edit of innerEdits) edits.splice(edits.indexOf(edit), 1);
  const blockText = applyEdits(text.slice(block.start, block.end), innerEdits.map((edit) => ({ ...edit, start: edit.start - block.start, end: edit.end - block.start })));
  const inner = blockText.slice(1, -1).replace(/^[ \t]*\r?\n/, '').replace(/\r?\n[ \t]*$/, '');
  const dedented = inner
    .split('\n')
    .map((line) => (line.startsWith(indent + style.indent) ? indent + line.slice(indent.length + style.indent.length) : line))
    .join('\n');
  // The try keyword already stands after the line's indent.
  const unwrapped = dedented.startsWith(indent) ? dedented.slice(indent.length) : dedented;
  const span = { start: tryStatement.start, end: tryStatement.end };
  edits.push({ ...span, text: unwrapped });
  removed.push(span);
}

/**
 * Removes, until nothing changes: the `PrismaClient` bindings (import specifiers, destructured
 * `require`/`await import()`) and the option declarations (adapters, pools) that have no use
 * left, and then the imports those declarations used.
 */
function removeUnused(syntax: FileSyntax, sites: FileRewriteInput['sites'], edits: TextEdit[], removed: { start: number; end: number }[]): void {
  const candidates = new Set<string>();
  for (const { shape, carried } of sites) {
    if (shape.constructorName) candidates.add(shape.constructorName);
    for (const declaration of carried.declarations) candidates.add(declaration.name);
    for (const item of carried.imports) candidates.add(item.local);
  }
  const done = new Set<AnyNode>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of candidates) {
      if (referencesOf(syntax, name, removed).length > 0) continue;
      for (const use of syntax.identifiers) {
        if (use.name !== name || use.role !== 'binding' || removed.some((span) => within(use, span))) continue;
        const binding = findBinding(syntax, name, use.node);
        const target = binding && removalTarget(syntax, binding, use.node);
        if (!target || done.has(target.node)) continue;
        done.add(target.node);
        edits.push(...target.edits);
        removed.push(...target.edits.map(({ start, end }) => ({ start, end })));
        changed = true;
      }
    }
  }
}

function removalTarget(syntax: FileSyntax, binding: NonNullable<ReturnType<typeof findBinding>>, identifier: AnyNode): { node: AnyNode; edits: TextEdit[] } | null {
  const text = syntax.text;
  if (binding.kind === 'import') {
    const specifiers = binding.declaration.specifiers as AnyNode[];
    if (specifiers.length === 1) {
      return { node: binding.declaration, edits: [{ ...lineSpan(text, binding.declaration.start, binding.declaration.end), text: '' }] };
    }
    return { node: binding.specifier, edits: [listItemRemoval(text, specifiers, binding.specifier)] };
  }
  if (binding.kind !== 'variable') return null;
  const { declarator, declaration } = binding;
  if ((declaration.declarations as AnyNode[]).length !== 1) return null;
  const statement = syntax.parentOf.get(declaration)?.type === 'ExportNamedDeclaration' ? null : declaration;
  if (!statement) return null;
  const id = declarator.id as AnyNode;
  const init = declarator.init ? unwrapExpression(declarator.init as AnyNode) : null;
  if (id.type === 'Identifier') {
    // Only what builds a value without other effects worth keeping: `new X(…)`, `x(…)` results
    // that were options (adapters, pools), object literals.
    if (!init || !['NewExpression', 'ObjectExpression', 'CallExpression', 'Literal', 'MemberExpression', 'Identifier'].includes(init.type)) return null;
    return { node: declarator, edits: [{ ...lineSpan(text, statement.start, statement.end), text: '' }] };
  }
  if (id.type === 'ObjectPattern' && init && isModuleLoad(init)) {
    const properties = id.properties as AnyNode[];
    const property = properties.find((item) => item.value === identifier || within(identifier, item));
    if (!property) return null;
    if (properties.length === 1) return { node: declarator, edits: [{ ...lineSpan(text, statement.start, statement.end), text: '' }] };
    return { node: property, edits: [listItemRemoval(text, properties, property)] };
  }
  return null;
}

/** One item of a comma-separated list, with the comma and space that go with it. */
function listItemRemoval(text: string, items: readonly AnyNode[], item: AnyNode): TextEdit {
  const index = items.indexOf(item);
  if (index < items.length - 1) return { start: item.start, end: items[index + 1]!.start, text: '' };
  const previous = items[index - 1]!;
  return { start: previous.end, end: item.end, text: '' };
}

/** The import (or require) of the shared client, placed where the file keeps its imports. */
function importEdit(syntax: FileSyntax, shared: SharedModule, local: string, specifier: string, system: ModuleSystem, style: CodeStyle, sites: FileRewriteInput['sites']): TextEdit {
  const s = semicolon(style);
  const q = quoted(specifier, style);
  let line: string;
  if (system === 'esm') {
    if (shared.exportName === 'default' || shared.exportName === 'module.exports') line = `import ${local} from ${q}${s}`;
    else line = `import { ${shared.exportName === local ? local : `${shared.exportName} as ${local}`} } from ${q}${s}`;
  } else if (shared.exportName === 'module.exports') {
    line = `const ${local} = require(${q})${s}`;
  } else if (shared.exportName === 'default') {
    line = `const ${local} = require(${q}).default${s}`;
  } else {
    line = `const { ${shared.exportName === local ? local : `${shared.exportName}: ${local}`} } = require(${q})${s}`;
  }
  const body = syntax.program.body as AnyNode[];
  const firstSite = Math.min(...sites.map(({ shape }) => shape.node.start));
  let anchor: AnyNode | undefined;
  for (const statement of body) {
    if (statement.start > firstSite) break;
    if (statement.type === 'ImportDeclaration' || (system === 'cjs' && isTopLevelRequire(statement)) || isDirective(statement)) anchor = statement;
  }
  if (system === 'esm') anchor = body.filter((statement) => statement.type === 'ImportDeclaration' || isDirective(statement)).pop() ?? anchor;
  const text = syntax.text;
  if (!anchor) {
    const start = text.startsWith('#!') ? text.indexOf('\n') + 1 : text.startsWith('\uFEFF') ? 1 : 0;
    return { start, end: start, text: `${line}\n${/^\s*\n/.test(text.slice(start)) ? '' : '\n'}` };
  }
  const lineEnd = text.indexOf('\n', anchor.end);
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  const blankAfterDirective = isDirective(anchor) ? '\n' : '';
  return { start: at, end: at, text: `${blankAfterDirective}${line}\n` };
}

function isDirective(statement: AnyNode): boolean {
  return statement.type === 'ExpressionStatement' && typeof statement.directive === 'string';
}

function isTopLevelRequire(statement: AnyNode): boolean {
  if (statement.type !== 'VariableDeclaration') return false;
  return (statement.declarations as AnyNode[]).some((declarator) => declarator.init && isModuleLoad(unwrapExpression(declarator.init as AnyNode)));
}
