/**
 * Lexical scopes, just enough of them to tell an imported `PrismaClient` from a parameter or a
 * local class that happens to share its name. Declarations are hoisted into a scope before its
 * body is walked, so a reference may appear before its declaration as JavaScript allows.
 */
import type { AnyNode } from './ast.js';

export type BindingKind = 'import' | 'var' | 'class' | 'function' | 'param' | 'other';

export interface Binding {
  kind: BindingKind;
  name: string;
  scope: Scope;
  /** `import`: where it comes from; resolved to a reference without looking at code. */
  importSource?: string;
  importName?: string;
  typeOnly?: boolean;
  /** `var`: the initializer and the property path a destructuring pattern takes out of it. */
  init?: AnyNode | null;
  destructPath?: string[] | null;
  /** `class` / `function`: the declaring node. */
  node?: AnyNode;
}

export class Scope {
  readonly bindings = new Map<string, Binding>();

  constructor(
    readonly parent: Scope | null,
    /** True for the scopes that `var` hoists to: the module and function bodies. */
    readonly isFunctionScope: boolean,
  ) {}

  get isModule(): boolean {
    return this.parent === null;
  }

  declare(binding: Omit<Binding, 'scope'>): void {
    // The first declaration wins: `var` redeclarations and overloads repeat the same name.
    if (!this.bindings.has(binding.name)) this.bindings.set(binding.name, { ...binding, scope: this });
  }

  lookup(name: string): Binding | null {
    for (let scope: Scope | null = this; scope !== null; scope = scope.parent) {
      const found = scope.bindings.get(name);
      if (found) return found;
    }
    return null;
  }

  nearestFunctionScope(): Scope {
    let scope: Scope = this;
    while (!scope.isFunctionScope && scope.parent) scope = scope.parent;
    return scope;
  }
}

/**
 * Every identifier a binding pattern declares, with the property path that leads to it
 * (`const { a: { b: x } } = y` declares `x` at path `a.b`; array elements have no stable path).
 */
export function patternBindings(
  pattern: AnyNode,
  path: string[] | null = [],
): { name: string; path: string[] | null }[] {
  switch (pattern.type) {
    case 'Identifier':
      return [{ name: pattern.name as string, path }];
    case 'ObjectPattern': {
      const out: { name: string; path: string[] | null }[] = [];
      for (const property of pattern.properties as AnyNode[]) {
        if (property.type === 'RestElement') {
          out.push(...patternBindings(property.argument as AnyNode, null));
          continue;
        }
        const key = property.computed ? null : propertyKeyName(property.key as AnyNode);
        const childPath = path && key !== null ? [...path, key] : null;
        out.push(...patternBindings(property.value as AnyNode, childPath));
      }
      return out;
    }
    case 'ArrayPattern':
      return (pattern.elements as (AnyNode | null)[])
        .filter((element): element is AnyNode => element !== null)
        .flatMap((element) => patternBindings(element, null));
    case 'AssignmentPattern':
      return patternBindings(pattern.left as AnyNode, path);
    case 'RestElement':
      return patternBindings(pattern.argument as AnyNode, null);
    case 'TSParameterProperty':
      return patternBindings(pattern.parameter as AnyNode, null);
    default:
      return [];
  }
}

export function propertyKeyName(key: AnyNode): string | null {
  if (key.type === 'Identifier' || key.type === 'PrivateIdentifier') return key.name as string;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  return null;
}

/** Declarations that belong to a block (or module/function body) itself: let, const, class, function. */
export function declareLexical(scope: Scope, statements: AnyNode[]): void {
  for (const raw of statements) {
    const statement = unwrapExportDeclaration(raw);
    if (!statement) continue;
    if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') {
      declareVariables(scope, statement);
    } else if (statement.type === 'ClassDeclaration' && statement.id) {
      scope.declare({ kind: 'class', name: (statement.id as AnyNode).name as string, node: statement });
    } else if (
      (statement.type === 'FunctionDeclaration' || statement.type === 'TSDeclareFunction') &&
      statement.id
    ) {
      scope.declare({ kind: 'function', name: (statement.id as AnyNode).name as string, node: statement });
    } else if (statement.type === 'TSEnumDeclaration' || statement.type === 'TSModuleDeclaration') {
      const id = statement.id as AnyNode | undefined;
      if (id?.type === 'Identifier') scope.declare({ kind: 'other', name: id.name as string });
    }
  }
}

export function declareVariables(scope: Scope, declaration: AnyNode): void {
  for (const declarator of declaration.declarations as AnyNode[]) {
    for (const { name, path } of patternBindings(declarator.id as AnyNode)) {
      scope.declare({ kind: 'var', name, init: (declarator.init as AnyNode | null) ?? null, destructPath: path });
    }
  }
}

/** `var` declarations hoist out of blocks (not out of functions) into the function scope. */
export function declareHoistedVars(scope: Scope, node: AnyNode): void {
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'VariableDeclaration' && current.kind === 'var') declareVariables(scope, current);
    for (const key of HOIST_KEYS) {
      const child = current[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof item === 'object' && !isFunctionLike(item)) stack.push(item);
      } else if (child && typeof child === 'object' && (child as AnyNode).type && !isFunctionLike(child as AnyNode)) {
        stack.push(child as AnyNode);
      }
    }
  }
}

const HOIST_KEYS = [
  'body', 'consequent', 'alternate', 'block', 'handler', 'finalizer', 'cases', 'init', 'left',
  'declaration',
] as const;

export function isFunctionLike(node: AnyNode): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'ClassDeclaration' ||
    node.type === 'ClassExpression'
  );
}

function unwrapExportDeclaration(statement: AnyNode): AnyNode | null {
  if (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') {
    return (statement.declaration as AnyNode | null) ?? null;
  }
  return statement;
}
