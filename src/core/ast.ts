/**
 * Loose ESTree access. oxc's typed AST is precise but enormous; the analysis reads a small,
 * known subset, so nodes are handled as records and the few shapes used are checked at run time.
 */
import { visitorKeys } from 'oxc-parser';

export interface AnyNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as AnyNode).type === 'string';
}

export function child(node: AnyNode, key: string): AnyNode | null {
  const value = node[key];
  return isNode(value) ? value : null;
}

export function children(node: AnyNode, key: string): AnyNode[] {
  const value = node[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** Type-only syntax never constructs anything; skipping it keeps the walk short. */
const SKIPPED_KEYS = new Set([
  'type', 'start', 'end', 'range', 'loc', 'typeAnnotation', 'typeArguments', 'typeParameters',
  'returnType', 'superTypeArguments', 'implements', 'decorators',
]);
const SKIPPED_TYPES = new Set([
  'TSTypeAliasDeclaration', 'TSInterfaceDeclaration', 'TSDeclareFunction', 'TSTypeAnnotation',
  'TSTypeParameterInstantiation', 'TSTypeParameterDeclaration', 'TSIndexSignature',
  'TSAbstractMethodDefinition', 'TSAbstractPropertyDefinition', 'TSDeclareMethod',
  'ImportDeclaration',
]);

const childKeysByType = new Map<string, readonly string[]>();

/** The keys of a node type that hold code: oxc's visitor keys minus type-only syntax. */
function codeKeys(node: AnyNode): readonly string[] {
  let keys = childKeysByType.get(node.type);
  if (keys === undefined) {
    const known = (visitorKeys as Record<string, string[] | undefined>)[node.type];
    keys = (known ?? Object.keys(node)).filter((key) => !SKIPPED_KEYS.has(key));
    childKeysByType.set(node.type, keys);
  }
  return keys;
}

/** The child nodes of `node` that can hold code, in source order. */
export function codeChildren(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of codeKeys(node)) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item) && !SKIPPED_TYPES.has(item.type)) out.push(item);
    } else if (isNode(value) && !SKIPPED_TYPES.has(value.type)) {
      out.push(value);
    }
  }
  return out;
}

const TRANSPARENT_WRAPPERS = new Set([
  'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion',
  'TSInstantiationExpression', 'ParenthesizedExpression', 'ChainExpression',
]);

/** Strips `as T`, `satisfies T`, `!`, `<T>x`, parentheses and optional-chain wrappers. */
export function unwrapExpression(node: AnyNode): AnyNode {
  let current = node;
  while (TRANSPARENT_WRAPPERS.has(current.type)) {
    const inner = child(current, 'expression');
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** `a.b.c` / `a['b']` → ['a', 'b', 'c'] when every part is static; null otherwise. */
export function staticMemberPath(node: AnyNode): string[] | null {
  const expression = unwrapExpression(node);
  if (expression.type === 'Identifier') return [expression.name as string];
  if (expression.type === 'ThisExpression') return ['this'];
  if (expression.type === 'MemberExpression') {
    const object = staticMemberPath(child(expression, 'object')!);
    const property = memberPropertyName(expression);
    return object && property !== null ? [...object, property] : null;
  }
  return null;
}

export function memberPropertyName(member: AnyNode): string | null {
  const property = child(member, 'property');
  if (!property) return null;
  if (!member.computed) return (property.name as string | undefined) ?? null;
  if (property.type === 'Literal' && typeof property.value === 'string') return property.value;
  if (property.type === 'TemplateLiteral' && children(property, 'expressions').length === 0) {
    return (children(property, 'quasis')[0]?.value as { cooked?: string } | undefined)?.cooked ?? null;
  }
  return null;
}

/** String value of a literal or an expression-free template literal. */
export function stringValue(node: AnyNode | null): string | null {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && children(node, 'expressions').length === 0) {
    return (children(node, 'quasis')[0]?.value as { cooked?: string } | undefined)?.cooked ?? null;
  }
  return null;
}

/** The source text of a node on one line, shortened to `max` characters. */
export function sourceOf(text: string, node: AnyNode | null, max = 60): string | null {
  if (!node) return null;
  const raw = text.slice(node.start, node.end).replace(/\s+/g, ' ');
  return raw.length > max ? `${raw.slice(0, max - 1)}…` : raw;
}
