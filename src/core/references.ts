/**
 * Symbolic references: what an expression refers to, in terms that can cross files.
 * `new Db()` in one file becomes "export `Db` of `./db`", which the binder later follows to
 * `class Db extends PrismaClient` and from there to `@prisma/client`.
 */
import { child, children, memberPropertyName, stringValue, unwrapExpression, type AnyNode } from './ast.js';
import type { Binding, Scope } from './scope.js';

export type SymRef =
  /** `path[0]` is the export name (`'default'`, or `'*'` for the module namespace object). */
  | { t: 'module'; source: string; path: string[] }
  /** A class declared in this file; constructing it constructs whatever it extends. */
  | { t: 'class'; name: string; superRef: SymRef | null }
  /** Rooted at `globalThis` / `global` / `window`. */
  | { t: 'global'; path: string[] };

const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);

export function appendPath(ref: SymRef | null, more: string[]): SymRef | null {
  if (!ref || more.length === 0) return ref;
  if (ref.t === 'module') return { t: 'module', source: ref.source, path: [...ref.path, ...more] };
  if (ref.t === 'global') return { t: 'global', path: [...ref.path, ...more] };
  // Static members of a class are not the class.
  return null;
}

export class ReferenceResolver {
  private readonly memo = new Map<Binding, SymRef | null>();

  /** What `expression`, evaluated in `scope`, refers to; null when it is nothing we track. */
  refOf(expression: AnyNode, scope: Scope): SymRef | null {
    let node = unwrapExpression(expression);
    if (node.type === 'AwaitExpression') node = unwrapExpression(child(node, 'argument')!);
    switch (node.type) {
      case 'Identifier': {
        const name = node.name as string;
        const binding = scope.lookup(name);
        if (!binding) return GLOBAL_OBJECTS.has(name) ? { t: 'global', path: [] } : null;
        return this.refOfBinding(binding);
      }
      case 'MemberExpression': {
        const property = memberPropertyName(node);
        if (property === null) return null;
        return appendPath(this.refOf(child(node, 'object')!, scope), [property]);
      }
      case 'CallExpression': {
        const source = this.requiredModule(node, scope);
        return source === null ? null : { t: 'module', source, path: ['*'] };
      }
      case 'ImportExpression': {
        const source = stringValue(child(node, 'source'));
        return source === null ? null : { t: 'module', source, path: ['*'] };
      }
      case 'ClassExpression':
        return this.classRef(node, scope, (child(node, 'id')?.name as string | undefined) ?? 'anonymous class');
      default:
        return null;
    }
  }

  refOfBinding(binding: Binding): SymRef | null {
    if (this.memo.has(binding)) return this.memo.get(binding)!;
    // Provisional null breaks cycles such as `const a = b; const b = a;`.
    this.memo.set(binding, null);
    const ref = this.computeBindingRef(binding);
    this.memo.set(binding, ref);
    return ref;
  }

  /** `require('x')`, including a `require` made with `createRequire(import.meta.url)`. */
  requiredModule(call: AnyNode, scope: Scope): string | null {
    const callee = unwrapExpression(child(call, 'callee')!);
    if (callee.type !== 'Identifier' || callee.name !== 'require') return null;
    const binding = scope.lookup('require');
    if (binding && !isCreateRequire(binding)) return null;
    return stringValue(children(call, 'arguments')[0] ?? null);
  }

  private computeBindingRef(binding: Binding): SymRef | null {
    switch (binding.kind) {
      case 'import':
        if (binding.typeOnly) return null;
        return { t: 'module', source: binding.importSource!, path: [binding.importName!] };
      case 'var': {
        if (!binding.init || binding.destructPath === null || binding.destructPath === undefined) return null;
        return appendPath(this.refOf(binding.init, binding.scope), binding.destructPath);
      }
      case 'class':
        return this.classRef(binding.node!, binding.scope, binding.name);
      default:
        return null;
    }
  }

  private classRef(node: AnyNode, scope: Scope, name: string): SymRef {
    const superClass = child(node, 'superClass');
    return { t: 'class', name, superRef: superClass ? this.refOf(superClass, scope) : null };
  }
}

function isCreateRequire(binding: Binding): boolean {
  const init = binding.init ? unwrapExpression(binding.init) : null;
  if (!init || init.type !== 'CallExpression') return false;
  const callee = unwrapExpression(child(init, 'callee')!);
  const name = callee.type === 'Identifier' ? callee.name : memberPropertyName(callee);
  return name === 'createRequire';
}
