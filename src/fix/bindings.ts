/**
 * Name lookups on one file, good enough for the fixer's questions: where is this name declared
 * for the code at this node, is it still used once some spans are gone, is it ever reassigned.
 * Where the answer is unsure the lookups err towards "used" and "taken": keeping an import
 * too many is harmless, removing one still in use breaks the file.
 */
import type { AnyNode } from '../core/ast.js';
import { ancestors, within, type FileSyntax, type IdentifierUse } from './syntax.js';

export type BindingSite =
  | { kind: 'import'; declaration: AnyNode; specifier: AnyNode; importedName: string | null; source: string }
  | { kind: 'variable'; declarator: AnyNode; declaration: AnyNode; owner: AnyNode }
  | { kind: 'other'; owner: AnyNode };

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** The scope that owns a binding: its function, or the program (block scoping is ignored). */
function ownerOf(syntax: FileSyntax, node: AnyNode): AnyNode {
  for (const ancestor of ancestors(syntax, node)) {
    if (FUNCTION_TYPES.has(ancestor.type) || ancestor.type === 'Program') return ancestor;
  }
  return syntax.program;
}

/** Where `name`, as seen from `at`, is declared; null for a global. */
export function findBinding(syntax: FileSyntax, name: string, at: AnyNode): BindingSite | null {
  const visibleOwners = [at, ...ancestors(syntax, at)].filter((node) => FUNCTION_TYPES.has(node.type) || node.type === 'Program');
  let best: { use: IdentifierUse; depth: number } | null = null;
  for (const use of syntax.identifiers) {
    if (use.name !== name || use.role !== 'binding') continue;
    const owner = bindingOwner(syntax, use.node);
    const depth = visibleOwners.indexOf(owner);
    if (depth !== -1 && (best === null || depth < best.depth)) best = { use, depth };
  }
  if (best === null) return null;
  return describeBinding(syntax, best.use.node);
}

/** Params and locals belong to their function; a function declaration's own name to the scope around it. */
function bindingOwner(syntax: FileSyntax, node: AnyNode): AnyNode {
  let previous = node;
  for (const ancestor of ancestors(syntax, node)) {
    if (ancestor.type === 'Program') return ancestor;
    if (FUNCTION_TYPES.has(ancestor.type) && ancestor.id !== previous) return ancestor;
    previous = ancestor;
  }
  return syntax.program;
}

function describeBinding(syntax: FileSyntax, identifier: AnyNode): BindingSite {
  const chain = ancestors(syntax, identifier);
  for (const ancestor of chain) {
    if (ancestor.type === 'ImportSpecifier' || ancestor.type === 'ImportDefaultSpecifier' || ancestor.type === 'ImportNamespaceSpecifier') {
      const declaration = syntax.parentOf.get(ancestor)!;
      const imported = ancestor.imported as AnyNode | undefined;
      const importedName =
        ancestor.type === 'ImportDefaultSpecifier' ? 'default' : ancestor.type === 'ImportNamespaceSpecifier' ? null : ((imported?.name ?? imported?.value) as string);
      return { kind: 'import', declaration, specifier: ancestor, importedName, source: (declaration.source as AnyNode).value as string };
    }
    if (ancestor.type === 'VariableDeclarator') {
      return { kind: 'variable', declarator: ancestor, declaration: syntax.parentOf.get(ancestor)!, owner: ownerOf(syntax, ancestor) };
    }
    if (FUNCTION_TYPES.has(ancestor.type) || ancestor.type === 'Program' || ancestor.type.startsWith('Class') || ancestor.type === 'CatchClause') break;
  }
  return { kind: 'other', owner: ownerOf(syntax, identifier) };
}

/** Uses of `name` as a value or a type outside the removed spans. */
export function referencesOf(syntax: FileSyntax, name: string, removed: readonly { start: number; end: number }[]): IdentifierUse[] {
  return syntax.identifiers.filter((use) => use.name === name && use.role === 'reference' && !removed.some((span) => within(use, span)));
}

/** Is `name` the target of an assignment or `++`/`--` anywhere in the file? */
export function isReassigned(syntax: FileSyntax, name: string): boolean {
  return syntax.identifiers.some((use) => {
    if (use.name !== name || use.role !== 'reference') return false;
    const parent = syntax.parentOf.get(use.node);
    return (parent?.type === 'AssignmentExpression' && parent.left === use.node) || (parent?.type === 'UpdateExpression' && parent.argument === use.node);
  });
}

/** Every name the file declares anywhere. */
export function declaredNames(syntax: FileSyntax): Set<string> {
  return new Set(syntax.identifiers.filter((use) => use.role === 'binding').map((use) => use.name));
}
