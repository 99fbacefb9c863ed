/**
 * The shape of one construction site as the fixer sees it: which node builds the client, what
 * holds the result (a `const`, a field, `this.x`, an argument…), and whether the constructor is
 * Prisma's client itself (a subclass or wrapper cannot be swapped for the shared client).
 */
import type { AnyNode } from '../core/ast.js';
import { unwrapExpression } from '../core/ast.js';
import { findBinding } from './bindings.js';
import { nodeAt, type FileSyntax } from './syntax.js';

export type SiteHolder =
  /** `const prisma = new PrismaClient()` (also `let`, `var`, `export const`). */
  | { kind: 'declarator'; declarator: AnyNode; declaration: AnyNode; name: string }
  /** Anything else: a field, `this.x =`, `return`, an argument. */
  | { kind: 'expression' };

export interface SiteShape {
  node: AnyNode;
  /** The options argument, when one is passed. */
  options: AnyNode | null;
  holder: SiteHolder;
  /** Names the client is reachable under in this file: `prisma`, `this.prisma`. */
  receivers: string[];
  /** The name the constructor is reached through (`PrismaClient`, `Client`, the namespace `P`). */
  constructorName: string | null;
  /** Why it cannot be swapped for the shared client, when it cannot. */
  blocker: string | null;
}

export function siteShape(syntax: FileSyntax, offset: number): SiteShape | null {
  const node = nodeAt(syntax, offset, ['NewExpression']);
  if (!node) return null;
  const callee = unwrapExpression(node.callee as AnyNode);
  const args = (node.arguments as AnyNode[]) ?? [];
  const options = args[0] ?? null;
  const blocker = args.length > 1 || options?.type === 'SpreadElement' ? 'built with more than one argument' : constructorBlocker(syntax, callee, node);
  const root = calleeRoot(callee);
  const holder = holderOf(syntax, node);
  return {
    node,
    options,
    holder,
    receivers: receiversOf(syntax, node, holder),
    constructorName: root,
    blocker,
  };
}

function calleeRoot(callee: AnyNode): string | null {
  if (callee.type === 'Identifier') return callee.name as string;
  if (callee.type === 'MemberExpression') {
    const object = unwrapExpression(callee.object as AnyNode);
    return object.type === 'Identifier' ? (object.name as string) : null;
  }
  return null;
}

/**
 * Null when the constructor is `PrismaClient` itself: imported (`{ PrismaClient as Db }`),
 * through a namespace (`P.PrismaClient`), or destructured from `require`/`await import()`.
 */
function constructorBlocker(syntax: FileSyntax, callee: AnyNode, at: AnyNode): string | null {
  const text = syntax.text.slice(callee.start, callee.end);
  if (callee.type === 'MemberExpression') {
    return /\.PrismaClient$/.test(text) ? null : `built from \`${text}\`, which is not PrismaClient itself`;
  }
  if (callee.type !== 'Identifier') return `built from \`${text}\``;
  const binding = findBinding(syntax, callee.name as string, at);
  if (binding === null) return `\`${text}\` is not declared in this file`;
  if (binding.kind === 'import') {
    return binding.importedName === 'PrismaClient' ? null : `built from \`${text}\`, a subclass or wrapper of PrismaClient: its extra methods would be lost`;
  }
  if (binding.kind === 'variable') {
    const init = binding.declarator.init ? unwrapExpression(binding.declarator.init as AnyNode) : null;
    const pattern = binding.declarator.id as AnyNode;
    if (init && pattern.type === 'ObjectPattern' && isModuleLoad(init)) {
      for (const property of pattern.properties as AnyNode[]) {
        const key = property.key as AnyNode | undefined;
        const value = property.value as AnyNode | undefined;
        if (key && value && (key.name ?? key.value) === 'PrismaClient' && value.type === 'Identifier' && value.name === callee.name) return null;
      }
    }
  }
  return `built from \`${text}\`, a subclass or wrapper of PrismaClient: its extra methods would be lost`;
}

/** `require('…')`, `await import('…')`. */
export function isModuleLoad(node: AnyNode): boolean {
  const inner = node.type === 'AwaitExpression' ? unwrapExpression(node.argument as AnyNode) : node;
  if (inner.type === 'ImportExpression') return true;
  return inner.type === 'CallExpression' && (inner.callee as AnyNode).type === 'Identifier' && (inner.callee as AnyNode).name === 'require';
}

function holderOf(syntax: FileSyntax, node: AnyNode): SiteHolder {
  let current = node;
  let parent = syntax.parentOf.get(current);
  // `new PrismaClient() as X`, `(new PrismaClient())!`.
  while (parent && ['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'ParenthesizedExpression'].includes(parent.type)) {
    current = parent;
    parent = syntax.parentOf.get(current);
  }
  if (parent?.type === 'VariableDeclarator' && parent.init === current && (parent.id as AnyNode).type === 'Identifier') {
    return { kind: 'declarator', declarator: parent, declaration: syntax.parentOf.get(parent)!, name: (parent.id as AnyNode).name as string };
  }
  return { kind: 'expression' };
}

function receiversOf(syntax: FileSyntax, node: AnyNode, holder: SiteHolder): string[] {
  if (holder.kind === 'declarator') return [holder.name];
  const parent = syntax.parentOf.get(node);
  if (parent?.type === 'PropertyDefinition' && parent.value === node) {
    const key = parent.key as AnyNode;
    if (key.type === 'Identifier' || key.type === 'PrivateIdentifier') return [`this.${key.type === 'PrivateIdentifier' ? '#' : ''}${key.name as string}`];
  }
  if (parent?.type === 'AssignmentExpression' && parent.right === node) {
    const left = parent.left as AnyNode;
    return [syntax.text.slice(left.start, left.end).replace(/\s+/g, '')];
  }
  return [];
}
