/**
 * What the fixer needs to know about one file's syntax: its full AST (types included, since a
 * `PrismaClient` used only as a type still needs its import), every identifier with its role,
 * and a parent map to climb from a construction site to the statement that holds it.
 *
 * The scan's own walk drops type syntax for speed; the fixer reads few files and must not
 * mistake a type reference for an unused import, so it parses again with the TypeScript AST.
 */
import { parseSync, visitorKeys } from 'oxc-parser';
import { isNode, type AnyNode } from '../core/ast.js';

export type IdentifierRole = 'binding' | 'reference' | 'key';

export interface IdentifierUse {
  name: string;
  start: number;
  end: number;
  role: IdentifierRole;
  node: AnyNode;
}

export interface FileSyntax {
  text: string;
  program: AnyNode;
  identifiers: IdentifierUse[];
  parentOf: Map<AnyNode, AnyNode>;
  /** Syntax errors (message and offset); a file with errors is not rewritten. */
  errors: { message: string; offset: number }[];
}

export function parseForFix(fileName: string, text: string): FileSyntax {
  let result = parseSync(fileName, text, { astType: 'ts', preserveParens: false } as Parameters<typeof parseSync>[2]);
  if (result.errors.some((error) => error.severity === 'Error') && !/\.tsx$/.test(fileName)) {
    // JSX in .js / .ts files: the scanner retries the same way.
    const retry = parseSync(fileName, text, { astType: 'ts', preserveParens: false, lang: 'tsx' } as Parameters<typeof parseSync>[2]);
    if (!retry.errors.some((error) => error.severity === 'Error')) result = retry;
  }
  const errors = result.errors
    .filter((error) => error.severity === 'Error')
    .map((error) => ({ message: error.message, offset: error.labels[0]?.start ?? 0 }));
  const program = result.program as unknown as AnyNode;
  const identifiers: IdentifierUse[] = [];
  const parentOf = new Map<AnyNode, AnyNode>();
  walk(program, null, null, false, identifiers, parentOf);
  return { text, program, identifiers, parentOf, errors };
}

/** Syntax errors of a text, for the check that every rewritten file still parses. */
export function syntaxErrors(fileName: string, text: string): string[] {
  return parseForFix(fileName, text).errors.map((error) => error.message);
}

const KEYS = visitorKeys as Record<string, readonly string[] | undefined>;

/** Keys whose identifiers declare a name (in patterns, every identifier below does too). */
const BINDING_KEYS: Record<string, readonly string[]> = {
  VariableDeclarator: ['id'],
  FunctionDeclaration: ['id', 'params'],
  FunctionExpression: ['id', 'params'],
  ArrowFunctionExpression: ['params'],
  ClassDeclaration: ['id'],
  ClassExpression: ['id'],
  CatchClause: ['param'],
  ImportSpecifier: ['local'],
  ImportDefaultSpecifier: ['local'],
  ImportNamespaceSpecifier: ['local'],
  TSImportEqualsDeclaration: ['id'],
  TSParameterProperty: ['parameter'],
};

function walk(node: AnyNode, parent: AnyNode | null, key: string | null, inBinding: boolean, out: IdentifierUse[], parentOf: Map<AnyNode, AnyNode>): void {
  if (parent) parentOf.set(node, parent);
  if (node.type === 'Identifier' || node.type === 'JSXIdentifier') {
    out.push({ name: node.name as string, start: node.start, end: node.start + (node.name as string).length, role: roleOf(node, parent, key, inBinding), node });
  }
  const keys = KEYS[node.type] ?? Object.keys(node).filter((k) => k !== 'type' && k !== 'start' && k !== 'end');
  const bindingKeys = BINDING_KEYS[node.type];
  for (const childKey of keys) {
    const value = node[childKey];
    // In a pattern, keys of `{ a: b }` are not bindings, defaults (`= x`) are references.
    let childInBinding = inBinding || (bindingKeys?.includes(childKey) ?? false);
    if (inBinding && node.type === 'AssignmentPattern' && childKey === 'right') childInBinding = false;
    if (inBinding && (node.type === 'TSTypeAnnotation' || childKey === 'typeAnnotation' || childKey === 'decorators')) childInBinding = false;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) walk(item, node, childKey, childInBinding, out, parentOf);
    } else if (isNode(value)) {
      walk(value, node, childKey, childInBinding, out, parentOf);
    }
  }
}

function roleOf(node: AnyNode, parent: AnyNode | null, key: string | null, inBinding: boolean): IdentifierRole {
  if (parent === null) return 'reference';
  const computed = parent.computed === true;
  if ((parent.type === 'MemberExpression' || parent.type === 'JSXMemberExpression') && key === 'property' && !computed) return 'key';
  if ((parent.type === 'Property' || parent.type === 'PropertyDefinition' || parent.type === 'MethodDefinition' || parent.type === 'AccessorProperty' || parent.type === 'TSPropertySignature' || parent.type === 'TSMethodSignature') && key === 'key' && !computed) {
    // `{ prisma }` shorthand: the value node is what counts; the key is a name.
    return 'key';
  }
  if (parent.type === 'ImportSpecifier' && key === 'imported') return 'key';
  if (parent.type === 'ExportSpecifier' && key === 'exported') return 'key';
  if (parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') return 'key';
  if (parent.type === 'TSQualifiedName' && key === 'right') return 'key';
  if (parent.type === 'JSXAttribute') return 'key';
  if (inBinding) return 'binding';
  return 'reference';
}

/** The nodes from `node` up to the program, nearest first. */
export function ancestors(syntax: FileSyntax, node: AnyNode): AnyNode[] {
  const chain: AnyNode[] = [];
  for (let current = syntax.parentOf.get(node); current; current = syntax.parentOf.get(current)) chain.push(current);
  return chain;
}

/** The innermost node of `type` that starts exactly at `offset`. */
export function nodeAt(syntax: FileSyntax, offset: number, types: readonly string[]): AnyNode | null {
  let found: AnyNode | null = null;
  const visit = (node: AnyNode): void => {
    if (node.start > offset || node.end < offset) return;
    if (node.start === offset && types.includes(node.type)) found = node;
    for (const key of KEYS[node.type] ?? []) {
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item);
      } else if (isNode(value)) {
        visit(value);
      }
    }
  };
  visit(syntax.program);
  return found;
}

/** Is `inner` inside `outer` (by offsets)? */
export function within(inner: { start: number; end: number }, outer: { start: number; end: number }): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}
