/**
 * What the rules need from a file beyond its construction sites, recorded during the same walk
 * (the AST never leaves the parser thread; these facts are plain data):
 *  - long-lived collections (module-level, static, `this.` fields) with where they grow and
 *    whether anything in the file ever removes from them;
 *  - calls that matter to the rules: `$transaction`, `$disconnect` and other disposals,
 *    `$on('query')`, heap snapshots, queue `.add()`, `mongoose.set('debug')`;
 *  - shutdown hooks: `process.on('SIGTERM')`, NestJS lifecycle methods, shutdown libraries.
 */
import { child, children, memberPropertyName, sourceOf, stringValue, unwrapExpression, type AnyNode } from './ast.js';
import { optionValue } from './options.js';
import type { ReferenceResolver } from './references.js';
import { isFunctionLike, propertyKeyName, type Binding, type Scope } from './scope.js';
import type { LineIndex } from './source-text.js';
import type { EnclosingContext, OptionValue } from '../types.js';

export type CollectionKind = 'array' | 'map' | 'set' | 'object';

export interface GrowthFact {
  /** `push`, `set`, `add`, `index`, `concat`, … */
  op: string;
  line: number;
  column: number;
  context: EnclosingContext;
}

export interface CollectionFact {
  /** `history`, `MetricsService.queries`. */
  name: string;
  kind: CollectionKind;
  owner: 'module' | 'static' | 'instance';
  line: number;
  column: number;
  growth: GrowthFact[];
  /** The first operation in the file that removes entries (`shift`, `splice`, `delete`, `clear`, reassignment). */
  boundedBy: string | null;
}

export interface CallFact {
  /** The method or function called: `$transaction`, `end`, `writeHeapSnapshot`. */
  name: string;
  /** Source text of the receiver (`prisma`, `this.prisma`), null for a plain function call. */
  receiver: string | null;
  /** What the receiver's root name is bound to. */
  receiverRoot: 'import' | 'module' | 'this' | 'local' | 'param' | 'global' | 'other' | null;
  /** For plain calls of imported functions: the module they come from (`v8`, `heapdump`). */
  importedFrom: string | null;
  line: number;
  column: number;
  offset: number;
  context: EnclosingContext;
  /** Inside the `finally` block of a try statement. */
  inFinally: boolean;
  /** Under an `if`/`?:`/`&&` whose test mentions the environment, a debug flag or the like. */
  conditional: boolean;
  args: OptionValue[];
}

export interface ShutdownHookFact {
  /** `SIGTERM`, `SIGINT`, `beforeExit`, `onModuleDestroy`, `enableShutdownHooks`, `createTerminus`, … */
  what: string;
  line: number;
  column: number;
  /** Does the handler (or a function of this file it calls) dispose of something? null: cannot tell. */
  disconnects: boolean | null;
}

export interface Observations {
  collections: CollectionFact[];
  calls: CallFact[];
  shutdownHooks: ShutdownHookFact[];
}

export interface WalkState {
  scope: Scope;
  ancestors: readonly AnyNode[];
  /** The site context the walker would give a construction here. */
  context(): EnclosingContext;
  /** Name of the innermost class being walked, for `this.x` fields. */
  className: string | null;
  /** Inside a constructor (where `this.x = []` declares a field). */
  inConstructor: boolean;
}

const GROWTH_METHODS = new Set(['push', 'unshift', 'set', 'add']);
const REMOVAL_METHODS = new Set(['shift', 'pop', 'splice', 'delete', 'clear']);
/** Calls that close a client, pool or connection. */
export const DISPOSAL_METHODS = new Set(['$disconnect', 'end', 'destroy', 'quit', 'disconnect', 'close']);
const RECORDED_METHODS = new Set([
  ...DISPOSAL_METHODS,
  '$transaction', '$on', 'add', 'addBulk', 'set', 'writeHeapSnapshot', 'getHeapSnapshot', 'writeSnapshot',
  'enableShutdownHooks',
]);
const SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2', 'beforeExit']);
const LISTENER_REGISTRATION = new Set(['on', 'once', 'addListener', 'prependListener']);
/** Shutdown helpers from libraries people use (terminus, close-with-grace, exit-hook, leakhound/runtime…). */
const SHUTDOWN_LIBRARY_CALLS = new Set(['createTerminus', 'closeWithGrace', 'onShutdown', 'exitHook', 'asyncExitHook', 'onExit', 'gracefulShutdown', 'createHttpTerminator', 'shared']);
const NEST_LIFECYCLE = new Set(['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown']);
const ENVIRONMENT_TEST = /NODE_ENV|process\.env|\bis(?:Dev|Development|Prod|Production|Debug|Test)\b|\b(?:debug|DEBUG|verbose|VERBOSE|config\.|env\.)/;
const DISPOSAL_TEXT = /\$disconnect\s*\(|\.(?:end|destroy|quit|disconnect|close)\s*\(|\bdisconnect\w*\s*\(|\bshutdown\w*\s*\(|\bcloseAll\w*\s*\(/i;

/**
 * Words whose presence makes a region of code worth walking for observations, on top of the
 * construction sites' own interest (see facts.ts).
 */
export const OBSERVATION_WORDS = /\$transaction|\$disconnect|\$on\b|\b(?:SIGTERM|SIGINT|beforeExit|enableShutdownHooks|onModuleDestroy|beforeApplicationShutdown|onApplicationShutdown|createTerminus|closeWithGrace|onShutdown|exitHook|asyncExitHook|gracefulShutdown|writeHeapSnapshot|getHeapSnapshot|writeSnapshot|end|destroy|quit|disconnect|close|add|addBulk|set)\b/g;

/** Growth and removal words, worth walking for only when the file may declare a collection. */
export const COLLECTION_WORDS = /\b(?:push|unshift|shift|pop|splice|set|add|delete|clear|concat|length)\b|\]\s*=[^=]|\bthis\.[\w$]+\s*=[^=]/g;

/** Does the text look like it declares a collection at all (`= []`, `new Map`, `= {}`)? */
export function mayDeclareCollections(text: string): boolean {
  return /=\s*(?:\[|\{\s*\}|new\s+(?:Map|Set|Array)\b|Object\.create\()/.test(text);
}

export class ObservationRecorder {
  private readonly collections = new Map<Binding | string, CollectionFact>();
  private readonly calls: CallFact[] = [];
  private readonly shutdownHooks: ShutdownHookFact[] = [];

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly references: ReferenceResolver,
  ) {}

  /** Module-level `const x = []` / `new Map()` / `{}` before the walk, so that uses anywhere find them. */
  declareModuleCollections(moduleScope: Scope): void {
    for (const binding of moduleScope.bindings.values()) {
      if (binding.kind !== 'var' || !binding.init || binding.destructPath?.length !== 0) continue;
      const kind = collectionKind(binding.init);
      if (!kind) continue;
      const position = this.lines.position(binding.init.start);
      this.collections.set(binding, { name: binding.name, kind, owner: 'module', ...position, growth: [], boundedBy: null });
    }
  }

  /** Names worth an interest check: the module-level collections. */
  collectionNames(): string[] {
    return [...this.collections.values()].map((collection) => collection.name);
  }

  /** A class field `queries = []` / `static cache = new Map()`. */
  onClassField(className: string, member: AnyNode): void {
    const value = child(member, 'value');
    const key = child(member, 'key');
    const name = key && !member.computed ? propertyKeyName(key) : null;
    const kind = value ? collectionKind(value) : null;
    if (!kind || name === null) return;
    const id = `${className}.${name}`;
    if (this.collections.has(id)) return;
    const position = this.lines.position(member.start);
    this.collections.set(id, { name: id, kind, owner: member.static ? 'static' : 'instance', ...position, growth: [], boundedBy: null });
  }

  onAssignment(node: AnyNode, state: WalkState): void {
    const left = unwrapExpression(child(node, 'left')!);
    const right = unwrapExpression(child(node, 'right')!);
    // this.history = [] in a constructor declares a long-lived field.
    if (state.inConstructor && state.className && left.type === 'MemberExpression' && unwrapExpression(child(left, 'object')!).type === 'ThisExpression') {
      const name = memberPropertyName(left);
      const kind = collectionKind(right);
      const id = `${state.className}.${name}`;
      if (name !== null && kind && !this.collections.has(id)) {
        const position = this.lines.position(node.start);
        this.collections.set(id, { name: id, kind, owner: 'instance', ...position, growth: [], boundedBy: null });
        return;
      }
    }
    // history.length = 0 empties it.
    if (left.type === 'MemberExpression' && !left.computed && memberPropertyName(left) === 'length') {
      const target = this.collectionOf(child(left, 'object')!, state);
      if (target) target.boundedBy ??= `length reset at line ${this.lines.position(node.start).line}`;
      return;
    }
    // cache[key] = value
    if (left.type === 'MemberExpression' && left.computed) {
      const target = this.collectionOf(child(left, 'object')!, state);
      if (target && (target.kind === 'object' || target.kind === 'array')) this.grow(target, 'index', node, state);
      return;
    }
    const target = this.collectionOf(left, state);
    if (!target) return;
    // history = history.concat(e) / [...history, e] grows it; anything else (a fresh array,
    // `history.slice(-100)`) replaces it, which bounds it.
    const source = this.text.slice(right.start, right.end);
    const selfName = this.text.slice(left.start, left.end);
    if (node.operator === '=' && (source.startsWith(`${selfName}.concat(`) || new RegExp(`^\\[\\s*\\.\\.\\.\\s*${escape(selfName)}\\b`).test(source))) {
      this.grow(target, 'concat', node, state);
    } else {
      target.boundedBy ??= `reassigned at line ${this.lines.position(node.start).line}`;
    }
  }

  /** `delete cache[key]`. */
  onDelete(node: AnyNode, state: WalkState): void {
    const argument = unwrapExpression(child(node, 'argument')!);
    if (argument.type !== 'MemberExpression') return;
    const target = this.collectionOf(child(argument, 'object')!, state);
    if (target) target.boundedBy ??= `delete at line ${this.lines.position(node.start).line}`;
  }

  onCall(call: AnyNode, state: WalkState): void {
    const callee = unwrapExpression(child(call, 'callee')!);
    const args = children(call, 'arguments');
    if (callee.type === 'MemberExpression') {
      const method = memberPropertyName(callee);
      if (method === null) return;
      const object = unwrapExpression(child(callee, 'object')!);
      const target = this.collectionOf(object, state);
      if (target) {
        if (GROWTH_METHODS.has(method) && !(method === 'set' && target.kind !== 'map') && !(method === 'add' && target.kind !== 'set')) {
          this.grow(target, method, call, state);
        } else if (REMOVAL_METHODS.has(method)) {
          target.boundedBy ??= `${method}() at line ${this.lines.position(call.start).line}`;
        }
        return;
      }
      if (LISTENER_REGISTRATION.has(method) && this.isProcess(object, state)) {
        const signal = stringValue(args[0] ?? null);
        if (signal !== null && SIGNALS.has(signal)) this.recordHook(signal, call, args[1] ?? null, state);
        return;
      }
      if (method === 'enableShutdownHooks') {
        this.recordHook(method, call, null, state, true);
        return;
      }
      if (RECORDED_METHODS.has(method)) this.recordCall(method, call, object, state);
      return;
    }
    if (callee.type === 'Identifier') {
      const name = callee.name as string;
      if (SHUTDOWN_LIBRARY_CALLS.has(name) && this.isImported(name, state)) {
        // closeWithGrace({ delay }, handler): the handler is the function argument, wherever it is.
        const handler = args.filter((arg) => isFunctionLike(unwrapExpression(arg))).pop() ?? args.find((arg) => unwrapExpression(arg).type === 'ObjectExpression');
        this.recordHook(name, call, handler ?? null, state);
        return;
      }
      if (name === 'writeHeapSnapshot' || name === 'getHeapSnapshot' || name === 'writeSnapshot') this.recordCall(name, call, null, state);
    }
  }

  /** A NestJS lifecycle method (`onModuleDestroy() { await this.$disconnect() }`). */
  onClassMethod(member: AnyNode): void {
    const key = child(member, 'key');
    const name = key && !member.computed ? propertyKeyName(key) : null;
    if (name === null || !NEST_LIFECYCLE.has(name)) return;
    const position = this.lines.position(member.start);
    const body = child(child(member, 'value')!, 'body');
    this.shutdownHooks.push({ what: name, ...position, disconnects: body ? DISPOSAL_TEXT.test(this.text.slice(body.start, body.end)) : false });
  }

  finish(constructionTargets: ReadonlySet<string>): Observations {
    return {
      collections: [...this.collections.values()],
      // Disposal-looking calls on parameters and locals (`res.end()`, `stream.destroy()`) are
      // noise, unless the local is a client built in this file.
      calls: this.calls.filter(
        (call) =>
          call.name.startsWith('$') ||
          call.receiver === null ||
          call.receiverRoot === 'import' ||
          call.receiverRoot === 'module' ||
          call.receiverRoot === 'this' ||
          constructionTargets.has(call.receiver),
      ),
      shutdownHooks: this.shutdownHooks,
    };
  }

  // ------------------------------------------------------------------ helpers

  private grow(target: CollectionFact, op: string, node: AnyNode, state: WalkState): void {
    target.growth.push({ op, ...this.lines.position(node.start), context: state.context() });
  }

  private collectionOf(expression: AnyNode, state: WalkState): CollectionFact | null {
    const node = unwrapExpression(expression);
    if (node.type === 'Identifier') {
      const binding = state.scope.lookup(node.name as string);
      return binding ? (this.collections.get(binding) ?? null) : null;
    }
    if (node.type !== 'MemberExpression' || node.computed) return null;
    const object = unwrapExpression(child(node, 'object')!);
    const name = memberPropertyName(node);
    if (name === null) return null;
    if (object.type === 'ThisExpression' && state.className) return this.collections.get(`${state.className}.${name}`) ?? null;
    if (object.type === 'Identifier') {
      const binding = state.scope.lookup(object.name as string);
      if (binding?.kind === 'class') return this.collections.get(`${object.name as string}.${name}`) ?? null;
    }
    return null;
  }

  private isProcess(object: AnyNode, state: WalkState): boolean {
    if (object.type !== 'Identifier') return staticPath(object) === 'globalThis.process';
    // The global `process`, or `import process from 'node:process'` under any name.
    if (object.name === 'process' && !state.scope.lookup('process')) return true;
    return this.isImportOf(object.name as string, state, /^(node:)?process$/);
  }

  private isImported(name: string, state: WalkState): boolean {
    return state.scope.lookup(name)?.kind === 'import';
  }

  private isImportOf(name: string, state: WalkState, source: RegExp): boolean {
    const binding = state.scope.lookup(name);
    return binding?.kind === 'import' && source.test(binding.importSource ?? '');
  }

  private recordHook(what: string, call: AnyNode, handler: AnyNode | null, state: WalkState, alwaysDisconnects = false): void {
    const position = this.lines.position(call.start);
    this.shutdownHooks.push({ what, ...position, disconnects: alwaysDisconnects ? null : handler ? this.handlerDisconnects(handler, state) : null });
  }

  /** The handler's text, or that of a function of this file it names or calls, closes something. */
  private handlerDisconnects(handler: AnyNode, state: WalkState): boolean | null {
    const node = unwrapExpression(handler);
    const texts: string[] = [];
    const functionText = (name: string): string | null => {
      const binding = state.scope.lookup(name);
      const declared = binding?.kind === 'function' ? binding.node : binding?.kind === 'var' && binding.init && isFunctionLike(unwrapExpression(binding.init)) ? binding.init : null;
      return declared ? this.text.slice(declared.start, declared.end) : null;
    };
    if (node.type === 'Identifier') {
      const text = functionText(node.name as string);
      if (text === null) return state.scope.lookup(node.name as string)?.kind === 'import' ? null : false;
      texts.push(text);
    } else {
      texts.push(this.text.slice(node.start, node.end));
    }
    if (texts.some((text) => DISPOSAL_TEXT.test(text))) return true;
    // shutdown() → a function declared in this file that closes the clients.
    for (const text of [...texts]) {
      for (const match of text.matchAll(/\b([A-Za-z_$][\w$]*)\s*\(/g)) {
        const called = functionText(match[1]!);
        if (called && DISPOSAL_TEXT.test(called)) return true;
        if (state.scope.lookup(match[1]!)?.kind === 'import') return null;
      }
    }
    return false;
  }

  private recordCall(name: string, call: AnyNode, receiver: AnyNode | null, state: WalkState): void {
    const position = this.lines.position(call.start);
    const callee = unwrapExpression(child(call, 'callee')!);
    let importedFrom: string | null = null;
    const ref = this.references.refOf(callee, state.scope);
    if (ref?.t === 'module') importedFrom = ref.source;
    this.calls.push({
      name,
      receiver: receiver ? (sourceOf(this.text, receiver, 80) ?? null) : null,
      receiverRoot: receiver ? rootKind(receiver, state.scope) : null,
      importedFrom,
      ...position,
      offset: call.start,
      context: state.context(),
      inFinally: isInFinally(state.ancestors),
      conditional: this.isConditional(state.ancestors),
      args: children(call, 'arguments').map((arg) => (arg.type === 'SpreadElement' ? { $expr: '...' } : optionValue(arg, state.scope, this.text))),
    });
  }

  private isConditional(ancestors: readonly AnyNode[]): boolean {
    for (const ancestor of ancestors) {
      const test =
        ancestor.type === 'IfStatement' || ancestor.type === 'ConditionalExpression'
          ? child(ancestor, 'test')
          : ancestor.type === 'LogicalExpression'
            ? child(ancestor, 'left')
            : null;
      if (test && ENVIRONMENT_TEST.test(this.text.slice(test.start, test.end))) return true;
    }
    return false;
  }
}

/** `[]`, `new Map()`, `new Set()`, `new Array()`, `{}`, `Object.create(null)`: a collection that starts empty or small. */
function collectionKind(init: AnyNode): CollectionKind | null {
  const node = unwrapExpression(init);
  switch (node.type) {
    case 'ArrayExpression':
      return 'array';
    case 'ObjectExpression':
      return children(node, 'properties').length === 0 ? 'object' : null;
    case 'NewExpression': {
      const callee = unwrapExpression(child(node, 'callee')!);
      if (callee.type !== 'Identifier') return null;
      if (callee.name === 'Map') return 'map';
      if (callee.name === 'Set') return 'set';
      if (callee.name === 'Array') return 'array';
      return null;
    }
    case 'CallExpression':
      return staticPath(child(node, 'callee')!) === 'Object.create' ? 'object' : null;
    default:
      return null;
  }
}

function rootKind(receiver: AnyNode, scope: Scope): CallFact['receiverRoot'] {
  let node = unwrapExpression(receiver);
  while (node.type === 'MemberExpression') node = unwrapExpression(child(node, 'object')!);
  if (node.type === 'ThisExpression') return 'this';
  if (node.type !== 'Identifier') return 'other';
  const binding = scope.lookup(node.name as string);
  if (!binding) return 'global';
  if (binding.kind === 'import') return 'import';
  if (binding.kind === 'param') return 'param';
  return binding.scope.isModule ? 'module' : 'local';
}

/** Is the innermost try statement around the node (within its function) holding it in `finally`? */
function isInFinally(ancestors: readonly AnyNode[]): boolean {
  for (let i = ancestors.length - 1; i > 0; i--) {
    if (isFunctionLike(ancestors[i]!)) return false;
    const ancestor = ancestors[i - 1]!;
    if (ancestor.type === 'TryStatement' && child(ancestor, 'finalizer') === ancestors[i]) return true;
  }
  return false;
}

function staticPath(node: AnyNode): string | null {
  const expression = unwrapExpression(node);
  if (expression.type === 'Identifier') return expression.name as string;
  if (expression.type !== 'MemberExpression' || expression.computed) return null;
  const object = staticPath(child(expression, 'object')!);
  const property = memberPropertyName(expression);
  return object === null || property === null ? null : `${object}.${property}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
