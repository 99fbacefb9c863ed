/**
 * The options a client is constructed with, as far as the code states them. Literals are kept;
 * anything computed is described by its source text (`{ "$expr": "process.env.DATABASE_URL" }`)
 * rather than guessed. Every string passes through credential redaction.
 */
import { child, children, sourceOf, unwrapExpression, type AnyNode } from './ast.js';
import { propertyKeyName, type Scope } from './scope.js';
import { redactCredentials } from './redact.js';
import type { OptionValue } from '../types.js';

const MAX_DEPTH = 6;
const MAX_EXPR_CHARS = 160;

export function optionValue(node: AnyNode, scope: Scope, text: string, depth = 0): OptionValue {
  const expression = unwrapExpression(node);
  const describe = (): OptionValue => ({ $expr: describeSource(text, expression) });
  if (depth > MAX_DEPTH) return describe();
  switch (expression.type) {
    case 'Literal': {
      const value = expression.value;
      if (typeof value === 'string') return redactCredentials(value);
      if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
      return describe();
    }
    case 'TemplateLiteral':
      if (children(expression, 'expressions').length === 0) {
        const cooked = (children(expression, 'quasis')[0]?.value as { cooked?: string } | undefined)?.cooked ?? '';
        return redactCredentials(cooked);
      }
      return describe();
    case 'UnaryExpression': {
      const argument = unwrapExpression(child(expression, 'argument')!);
      if (expression.operator === '-' && argument.type === 'Literal' && typeof argument.value === 'number') {
        return -argument.value;
      }
      return describe();
    }
    case 'BinaryExpression': {
      // 60 * 1000, 5 * 60_000: durations are usually written as products.
      const left = optionValue(child(expression, 'left')!, scope, text, depth + 1);
      const right = optionValue(child(expression, 'right')!, scope, text, depth + 1);
      if (typeof left !== 'number' || typeof right !== 'number') return describe();
      const folded = foldArithmetic(expression.operator as string, left, right);
      return folded === null ? describe() : folded;
    }
    case 'ArrayExpression':
      return children(expression, 'elements').map((element) =>
        element.type === 'SpreadElement' ? describeSource(text, element) : optionValue(element, scope, text, depth + 1),
      );
    case 'ObjectExpression':
      return objectOptions(expression, scope, text, depth);
    case 'NewExpression': {
      const callee = child(expression, 'callee')!;
      return {
        $new: describeSource(text, callee),
        args: children(expression, 'arguments').map((argument) => optionValue(argument, scope, text, depth + 1)),
      };
    }
    case 'Identifier': {
      // `new PrismaClient({ adapter })` with `const adapter = new PrismaPg({ max: 5 })` above.
      const binding = scope.lookup(expression.name as string);
      if (binding?.kind === 'var' && binding.init && binding.destructPath?.length === 0) {
        return optionValue(binding.init, binding.scope, text, depth + 1);
      }
      return describe();
    }
    default:
      return describe();
  }
}

function foldArithmetic(operator: string, left: number, right: number): number | null {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return right === 0 ? null : left / right;
    default:
      return null;
  }
}

export function objectOptions(
  node: AnyNode,
  scope: Scope,
  text: string,
  depth = 0,
): { [key: string]: OptionValue } {
  const out: { [key: string]: OptionValue } = {};
  for (const property of children(node, 'properties')) {
    if (property.type === 'SpreadElement') {
      out['...'] = { $expr: describeSource(text, property) };
      continue;
    }
    const key = property.computed ? null : propertyKeyName(child(property, 'key')!);
    if (key === null) continue;
    const value = child(property, 'value');
    if (value) out[key] = optionValue(value, scope, text, depth + 1);
  }
  return out;
}

function describeSource(text: string, node: AnyNode): string {
  return redactCredentials(sourceOf(text, node, MAX_EXPR_CHARS) ?? '');
}
