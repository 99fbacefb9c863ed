import { clientContext, currentSharedKey } from './client-context.js';
import { CLIENT_LIBRARIES, detectClient, LIBRARY_SPECS, librarySpec, type ClientLibrary, type CreatorSpec, type LibrarySpec } from './client-libraries.js';
import { captureCreationSite } from './creation-stack.js';
import { callSafely, getLogger, type RuntimeLogger } from './logger.js';
import { registerMetricSource, type MetricsCollector, type PoolLike } from './metrics.js';
import { loadedModules, onModuleCompiled, type LoadedModule } from './module-hooks.js';
import { processState } from './process-state.js';

/** A database client the tracker knows about. */
export interface TrackedClient {
  /** Increasing number, unique in the process. */
  id: number;
  library: ClientLibrary;
  /** `PrismaClient`, `Pool`, `Client`, `Redis`, `Cluster`, `RedisClient`, `Knex`, `Connection`, `MongoClient`. */
  type: string;
  /** The `shared()` key it was created under, the key given to `trackClient()`, or `default`. */
  key: string;
  /**
   * The npm package that constructed it — `@prisma/adapter-pg` for the pg pool behind a
   * Prisma client, `knex` for its pg connections — or `undefined` when the application did.
   * Clients a library creates for itself do not count towards the limits.
   */
  owner: string | undefined;
  /** When it was constructed, ms since the epoch. */
  createdAt: number;
  /** Application frames of the construction, innermost first (`src/db.ts:4:16 (getDb)`). */
  stack: string[];
  /** `closed`: its close method ran (or its library says so); `collected`: garbage-collected. */
  state: 'open' | 'closed' | 'collected';
}

/** Something that happened to a tracked client. */
export interface ClientEvent {
  type: 'created' | 'closed' | 'reopened' | 'collected';
  client: TrackedClient;
}

/** What `onTooMany` receives. */
export interface TooManyClients {
  library: ClientLibrary;
  key: string;
  limit: number;
  /** The open clients of this library and key, oldest first. */
  live: TrackedClient[];
  /** A ready-to-log explanation with the creation sites. */
  message: string;
}

/** Options of {@link trackClients}. */
export interface TrackClientsOptions {
  /**
   * Open clients allowed per library and key, before `onTooMany`. Default 1: a process
   * needs one Prisma client (one pool) per database. A number applies to every library; an
   * object sets some (`{ pg: 3 }`), the others staying at 1.
   */
  limit?: number | Partial<Record<ClientLibrary, number>>;
  /**
   * Called when the open clients of a library and key go above the limit — once, until the
   * count is back within the limit. Default: one warning through the logger per library and
   * key for the life of the process.
   */
  onTooMany?: (event: TooManyClients) => void;
  /** Called for every client created, closed, reopened or collected. */
  onClient?: (event: ClientEvent) => void;
  /** Logger of the default `onTooMany`. Default: {@link setLogger}'s. */
  logger?: RuntimeLogger;
  /** Application frames kept per client. Default 5. */
  stackDepth?: number;
}

/** A running client tracker (see {@link trackClients}). */
export interface ClientTracker {
  /**
   * The clients known now, oldest first: open ones by default; `includeClosed` adds closed
   * ones (garbage-collected ones are gone), `includeInternal` adds those created by other
   * libraries (`owner` set).
   */
  clients(options?: { includeClosed?: boolean; includeInternal?: boolean }): TrackedClient[];
  /** Clients constructed per library since tracking started (internal ones included). */
  createdCounts(): Partial<Record<ClientLibrary, number>>;
  /** Calls `listener` for every client event; returns a function that unsubscribes. */
  subscribe(listener: (event: ClientEvent) => void): () => void;
  /** Stops this tracker. With the last one, recording stops and the records are dropped. */
  stop(): void;
}

interface ClientRecord {
  id: number;
  spec: LibrarySpec;
  type: string;
  key: string;
  owner: string | undefined;
  createdAt: number;
  stack: string[];
  ref: WeakRef<object>;
  closed: boolean;
}

interface Handle {
  limit: TrackClientsOptions['limit'];
  onTooMany: ((event: TooManyClients) => void) | undefined;
  logger: RuntimeLogger;
  listeners: Set<(event: ClientEvent) => void>;
  // Groups above their limit, so that onTooMany runs once per episode.
  exceeded: Set<string>;
  stackDepth: number;
}

interface TrackerState {
  handles: Set<Handle>;
  records: Map<number, ClientRecord>;
  // The instance (and its aliases) → its record.
  byObject: WeakMap<object, ClientRecord>;
  created: Map<ClientLibrary, number>;
  nextId: number;
  finalizer: FinalizationRegistry<number> | undefined;
  // Creators we wrapped → their wrapper, and the wrappers themselves. Kept for the life of
  // the process: wrappers stay in the modules' exports even after tracking stops (they then
  // pass every call straight through), and identity must stay stable (pg.Pool === pg.Pool).
  wrappers: WeakMap<Function, Function>;
  ownWrappers: WeakSet<Function>;
  patchedExports: WeakSet<object>;
  patchedPrototypes: WeakSet<object>;
  removeCompileListener: (() => void) | undefined;
  unregisterMetrics: (() => void) | undefined;
  // Records whose 'created' event and limit check wait for the end of the current task, so
  // that a client built by a wrapper of a wrapper (redis → @redis/client) is attributed once.
  pending: Set<ClientRecord>;
  // Library/key groups whose count changed (closed, collected) since the last check. Checked
  // in batches: a thousand clients collected at once cost one pass, not a thousand.
  dirtyGroups: Map<string, { library: ClientLibrary; key: string }>;
  flushScheduled: boolean;
  warnedByDefault: Set<string>;
}

function trackerState(): TrackerState {
  return processState('client-tracker', () => ({
    handles: new Set(),
    records: new Map(),
    byObject: new WeakMap(),
    created: new Map(),
    nextId: 1,
    finalizer: undefined,
    wrappers: new WeakMap(),
    ownWrappers: new WeakSet(),
    patchedExports: new WeakSet(),
    patchedPrototypes: new WeakSet(),
    removeCompileListener: undefined,
    unregisterMetrics: undefined,
    pending: new Set(),
    dirtyGroups: new Map(),
    flushScheduled: false,
    warnedByDefault: new Set(),
  }));
}

/**
 * Counts the database clients this process creates — Prisma (every generated client), pg
 * `Pool` and `Client`, ioredis `Redis` and `Cluster`, node-redis, knex, mongoose connections
 * and MongoDB `MongoClient` — with a short creation stack for each, and reports when more
 * than `limit` of one library and key are open at once: the "10th instance" warning Prisma
 * removed in 5.17, from the 2nd instance and with the places that created them.
 *
 * How: the constructors and factories exported by those libraries are wrapped (a `Proxy`
 * with a `construct` or `apply` trap) in modules already loaded and, through a hook at the
 * end of CommonJS compilation, in modules loaded later — which covers `require` and `import`
 * of these CommonJS packages, and Prisma clients generated as ESM (they import Prisma's
 * CommonJS runtime). Clients built where no hook reaches (bundled code, a class created
 * before tracking started) can be added with {@link trackClient}; `shared()` adds the ones
 * its factories return. Liveness: a client is open until its close method runs (`end`,
 * `$disconnect`, `quit`, …) or it is garbage-collected (`FinalizationRegistry`).
 *
 * Start it before the database libraries are imported: first thing in the entry file, or
 * in ESM from a module imported first (`import './track.js'`), or preloaded with
 * `node --import`. Cost: nothing per query; a stack capture per client created.
 *
 * A deliberate second client (read replica, other database) is named with a key:
 * `shared('replica', () => new PrismaClient(...))` or `trackClient(client, { key: 'replica' })`.
 *
 * @example
 * ```ts
 * // src/instrument.ts — imported first by the entry file
 * import { trackClients } from 'leakhound/runtime';
 * export const tracker = trackClients(); // warns once per library when a 2nd client is open
 * ```
 */
export function trackClients(options: TrackClientsOptions = {}): ClientTracker {
  const state = trackerState();
  const handle: Handle = {
    limit: options.limit,
    onTooMany: options.onTooMany,
    logger: options.logger ?? getLogger(),
    listeners: new Set(options.onClient ? [options.onClient] : []),
    exceeded: new Set(),
    stackDepth: Math.max(1, options.stackDepth ?? 5),
  };
  const first = state.handles.size === 0;
  state.handles.add(handle);
  if (first) start(state);
  return {
    clients: (filter = {}) => listClients(state, filter),
    createdCounts: () => Object.fromEntries(state.created) as Partial<Record<ClientLibrary, number>>,
    subscribe(listener) {
      handle.listeners.add(listener);
      return () => void handle.listeners.delete(listener);
    },
    stop() {
      if (!state.handles.delete(handle)) return;
      handle.listeners.clear();
      if (state.handles.size === 0) stopRecording(state);
    },
  };
}

/**
 * Adds a client the hooks could not see (bundled code, an ESM build of a library, a client
 * created before tracking started) — or names one: `key` distinguishes a deliberate second
 * client. The library is recognised from the object's shape unless given. Returns the client
 * itself, so it can wrap the construction. Does nothing when no tracker is running or the
 * object is not a recognised client.
 *
 * @example
 * ```ts
 * export const analytics = trackClient(new PrismaClient({ adapter }), { key: 'analytics' });
 * ```
 */
export function trackClient<T extends object>(client: T, options: { library?: ClientLibrary; key?: string; type?: string } = {}): T {
  const state = trackerState();
  if (state.handles.size === 0) return client;
  const existing = state.byObject.get(client);
  if (existing) {
    if (options.key !== undefined && options.key !== existing.key) {
      existing.key = options.key;
      schedule(state, existing);
    }
    return client;
  }
  const detected = options.library ? { library: options.library, type: options.type ?? options.library } : detectClient(client);
  if (!detected) return client;
  const site = captureCreationSite(trackClient, stackDepth(state));
  addRecord(state, client, librarySpec(detected.library), options.type ?? detected.type, options.key ?? currentSharedKey() ?? 'default', undefined, site.frames);
  return client;
}

/** The clients known to the running tracker(s); empty when none runs. Same options as {@link ClientTracker.clients}. */
export function trackedClients(filter: { includeClosed?: boolean; includeInternal?: boolean } = {}): TrackedClient[] {
  return listClients(trackerState(), filter);
}

function start(state: TrackerState): void {
  state.finalizer ??= new FinalizationRegistry((id: number) => onCollected(id));
  for (const module of loadedModules()) patchLoadedModule(state, module, module.filename ?? module.id, true);
  state.removeCompileListener = onModuleCompiled((module, filename) => patchLoadedModule(state, module, filename, false));
  state.unregisterMetrics = registerMetricSource({ collect: (collector) => collectTrackerMetrics(state, collector) }, true);
  clientContext().onShared = (key, value, recordedDuringFactory) => {
    if (recordedDuringFactory > 0 || state.handles.size === 0) return;
    if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') return;
    const detected = detectClient(value);
    if (!detected || state.byObject.has(value as object)) return;
    const site = captureCreationSite(clientContext().onShared!, stackDepth(state));
    addRecord(state, value as object, librarySpec(detected.library), detected.type, key, undefined, site.frames);
  };
}

function stopRecording(state: TrackerState): void {
  state.removeCompileListener?.();
  state.removeCompileListener = undefined;
  state.unregisterMetrics?.();
  state.unregisterMetrics = undefined;
  clientContext().onShared = undefined;
  for (const record of state.records.values()) state.finalizer?.unregister(record);
  state.records.clear();
  state.byObject = new WeakMap();
  state.created.clear();
  state.pending.clear();
  state.dirtyGroups.clear();
}

function stackDepth(state: TrackerState): number {
  let depth = 1;
  for (const handle of state.handles) depth = Math.max(depth, handle.stackDepth);
  return depth;
}

// ---------------------------------------------------------------------------------------
// Hooking the libraries' exports

function patchLoadedModule(state: TrackerState, module: LoadedModule, filename: string, alreadyLoaded: boolean): void {
  for (const spec of LIBRARY_SPECS) {
    if (spec.file.test(filename)) patchExports(state, module, spec);
  }
  // Prisma classes created before tracking started are exported by the generated client
  // (`.prisma/client/index.js`, `@prisma/client`'s re-export, a custom `output`): swap them
  // where the export is writable. Later ones are caught through getPrismaClient.
  if (alreadyLoaded) patchExistingPrismaClass(state, module);
}

function patchExports(state: TrackerState, module: LoadedModule, spec: LibrarySpec): void {
  const exports = module.exports;
  if ((typeof exports !== 'object' && typeof exports !== 'function') || exports === null) return;
  if (state.patchedExports.has(exports) || state.ownWrappers.has(exports as Function)) return;
  const target = exports as Record<string, unknown>;
  let needsProxy = false;
  if (spec.self && typeof exports === 'function') {
    needsProxy = true;
  }
  const members = Object.entries(spec.members ?? {});
  if (!spec.self && members.length > 0 && !members.some(([name]) => Object.getOwnPropertyDescriptor(target, name))) return;
  for (const [name, creator] of members) {
    const descriptor = Object.getOwnPropertyDescriptor(target, name);
    if (!descriptor) continue;
    const value = 'value' in descriptor ? descriptor.value : readSafely(target, name);
    if (typeof value !== 'function' || state.ownWrappers.has(value)) continue;
    if (spec.self && typeof exports === 'function' && value === exports) continue; // the proxy maps it
    const wrapped = wrapCreator(state, value, spec, creator);
    if ('value' in descriptor && descriptor.writable) target[name] = wrapped;
    else if (descriptor.configurable) Object.defineProperty(target, name, { value: wrapped, writable: true, enumerable: descriptor.enumerable, configurable: true });
    // A getter we cannot redefine (esbuild's and tsc's re-exports): the exports proxy's get
    // trap hands out the wrapper instead.
    else if (descriptor.get) needsProxy = true;
  }
  for (const [name, creator] of Object.entries(spec.prototypeMembers ?? {})) {
    const prototype = Object.getPrototypeOf(exports) as Record<string, unknown> | null;
    if (!prototype || prototype === Object.prototype || (prototype as unknown) === Function.prototype) continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (!descriptor || typeof descriptor.value !== 'function' || state.ownWrappers.has(descriptor.value)) continue;
    if (!descriptor.writable && !descriptor.configurable) continue;
    const original = descriptor.value as Function;
    const wrapped = wrapCreator(state, original, spec, creator);
    Object.defineProperty(prototype, name, { ...descriptor, value: wrapped });
    // mongoose's index.js copies the method onto the instance for ESM named imports.
    const own = Object.getOwnPropertyDescriptor(target, name);
    if (own && own.value === original && own.writable) target[name] = wrapped;
  }
  state.patchedExports.add(exports);
  if (needsProxy) {
    const proxy = exportsProxy(state, exports, spec);
    state.patchedExports.add(proxy);
    module.exports = proxy;
  }
}

function patchExistingPrismaClass(state: TrackerState, module: LoadedModule): void {
  const exports = module.exports;
  if ((typeof exports !== 'object' && typeof exports !== 'function') || exports === null) return;
  let descriptor: PropertyDescriptor | undefined;
  try {
    descriptor = Object.getOwnPropertyDescriptor(exports, 'PrismaClient');
  } catch {
    return;
  }
  const value: unknown = descriptor?.value;
  if (!descriptor || !descriptor.writable || typeof value !== 'function' || state.ownWrappers.has(value)) return;
  const prototype = (value as { prototype?: Record<string, unknown> }).prototype;
  if (typeof prototype?.$connect !== 'function' || typeof prototype.$transaction !== 'function') return;
  (exports as Record<string, unknown>).PrismaClient = wrapCreator(state, value, librarySpec('prisma'), { kind: 'class', type: 'PrismaClient' });
}

/** A Proxy standing in for `module.exports`: creators (and the exports, if one) wrapped. */
function exportsProxy(state: TrackerState, exports: object, spec: LibrarySpec): object {
  const handler: ProxyHandler<Function> = {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (value === target) return proxy;
      const creator = spec.members && Object.hasOwn(spec.members, property) ? spec.members[property as string] : undefined;
      return state.wrappers.get(value) ?? (creator ? wrapCreator(state, value, spec, creator) : value);
    },
  };
  if (spec.self && typeof exports === 'function') Object.assign(handler, creatorTraps(state, spec, spec.self));
  const proxy = new Proxy(exports as Function, handler);
  if (typeof exports === 'function') state.wrappers.set(exports as Function, proxy);
  state.ownWrappers.add(proxy);
  return proxy;
}

function wrapCreator(state: TrackerState, creator: Function, spec: LibrarySpec, kind: CreatorSpec): Function {
  const existing = state.wrappers.get(creator);
  if (existing) return existing;
  const proxy = new Proxy(creator, creatorTraps(state, spec, kind));
  state.wrappers.set(creator, proxy);
  state.ownWrappers.add(proxy);
  return proxy;
}

function creatorTraps(state: TrackerState, spec: LibrarySpec, creator: CreatorSpec): ProxyHandler<Function> {
  if (creator.kind === 'class') {
    return {
      construct: function construct(target, args, newTarget) {
        const instance = Reflect.construct(target, args, newTarget) as object;
        if (state.handles.size > 0) observeCreation(state, instance, spec, creator.type, construct);
        return instance;
      },
    };
  }
  if (creator.kind === 'factory') {
    return {
      apply: function apply(target, thisArgument, args) {
        const result: unknown = Reflect.apply(target, thisArgument, args);
        if (state.handles.size > 0 && ((typeof result === 'object' && result !== null) || typeof result === 'function')) {
          observeCreation(state, result as object, spec, creator.type, apply);
        }
        return result;
      },
    };
  }
  return {
    // getPrismaClient(config) builds the client class of one generated client: wrap the class.
    apply(target, thisArgument, args) {
      const result: unknown = Reflect.apply(target, thisArgument, args);
      return typeof result === 'function' ? wrapCreator(state, result, spec, { kind: 'class', type: creator.type }) : result;
    },
  };
}

function readSafely(target: Record<string, unknown>, name: string): unknown {
  try {
    return target[name];
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Records

function observeCreation(state: TrackerState, instance: object, spec: LibrarySpec, type: string, trap: Function): void {
  const site = captureCreationSite(trap, stackDepth(state));
  const existing = state.byObject.get(instance);
  if (existing) {
    // Built through two wrappers (redis → @redis/client, a subclass of a wrapped class): the
    // outer call tells who really asked for it.
    if (existing.owner !== undefined && site.owner === undefined) {
      existing.owner = undefined;
      existing.stack = site.frames;
      schedule(state, existing);
    }
    return;
  }
  addRecord(state, instance, spec, type, currentSharedKey() ?? 'default', site.owner, site.frames);
}

function addRecord(state: TrackerState, instance: object, spec: LibrarySpec, type: string, key: string, owner: string | undefined, stack: string[]): ClientRecord {
  const record: ClientRecord = {
    id: state.nextId++,
    spec,
    type,
    key,
    owner,
    createdAt: Date.now(),
    stack,
    ref: new WeakRef(instance),
    closed: false,
  };
  state.records.set(record.id, record);
  state.byObject.set(instance, record);
  for (const alias of aliasesOf(spec, instance)) state.byObject.set(alias, record);
  state.created.set(spec.library, (state.created.get(spec.library) ?? 0) + 1);
  clientContext().created++;
  state.finalizer?.register(instance, record.id, record);
  watchCloseMethods(state, instance, spec);
  schedule(state, record);
  return record;
}

function aliasesOf(spec: LibrarySpec, instance: object): object[] {
  if (!spec.aliases) return [];
  try {
    return spec.aliases(instance as Record<string, unknown>).filter((alias): alias is object => (typeof alias === 'object' || typeof alias === 'function') && alias !== null && alias !== instance);
  } catch {
    return [];
  }
}

/**
 * Wraps the close and reopen methods on the client's own class prototype, once per class,
 * so that `end()` / `$disconnect()` / `quit()` mark the record. Never on Object.prototype or
 * Function.prototype (a knex instance is a function).
 */
function watchCloseMethods(state: TrackerState, instance: object, spec: LibrarySpec): void {
  const prototype = classPrototypeOf(instance);
  if (!prototype || prototype === Object.prototype || (prototype as unknown) === Function.prototype || state.patchedPrototypes.has(prototype)) return;
  state.patchedPrototypes.add(prototype);
  const wrap = (name: string, closes: boolean) => {
    const original = prototype[name];
    if (typeof original !== 'function' || state.ownWrappers.has(original)) return;
    const own = Object.getOwnPropertyDescriptor(prototype, name);
    if (own && !own.writable && !own.configurable) return;
    const wrapper = function (this: unknown, ...args: unknown[]) {
      if (state.handles.size > 0) markClosed(state, this, spec, closes);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    Object.defineProperty(wrapper, 'name', { value: original.name });
    state.ownWrappers.add(wrapper);
    Object.defineProperty(prototype, name, { value: wrapper, writable: true, enumerable: own?.enumerable ?? false, configurable: true });
  };
  for (const name of spec.closeMethods) wrap(name, true);
  for (const name of spec.openMethods) wrap(name, false);
}

/**
 * The prototype holding the client's methods. A Prisma client is a Proxy over a plain object
 * (its prototype is Object.prototype); its `constructor` still leads to the class.
 */
function classPrototypeOf(instance: object): Record<string, unknown> | null {
  const prototype = Object.getPrototypeOf(instance) as Record<string, unknown> | null;
  if (prototype !== null && prototype !== Object.prototype) return prototype;
  const constructor = (instance as { constructor?: unknown }).constructor;
  if (typeof constructor === 'function' && constructor !== Object && typeof constructor.prototype === 'object') return constructor.prototype as Record<string, unknown>;
  return prototype;
}

function markClosed(state: TrackerState, self: unknown, spec: LibrarySpec, closed: boolean): void {
  if ((typeof self !== 'object' && typeof self !== 'function') || self === null) return;
  let record = state.byObject.get(self);
  if (!record) {
    for (const alias of aliasesOf(spec, self)) {
      record = state.byObject.get(alias);
      if (record) break;
    }
  }
  if (!record || record.closed === closed) return;
  // Closed in the same task it was created in: announce the creation first.
  if (state.pending.has(record)) flush(state);
  record.closed = closed;
  emit(state, { type: closed ? 'closed' : 'reopened', client: publicView(record) });
  markDirty(state, record);
}

function onCollected(id: number): void {
  const state = trackerState();
  const record = state.records.get(id);
  if (!record) return;
  state.records.delete(id);
  emit(state, { type: 'collected', client: publicView(record) });
  markDirty(state, record);
}

function isOpen(record: ClientRecord): boolean {
  if (record.closed) return false;
  const instance = record.ref.deref();
  if (!instance) return false;
  try {
    return !record.spec.isClosed?.(instance as Record<string, unknown>);
  } catch {
    return true;
  }
}

function publicView(record: ClientRecord): TrackedClient {
  const collected = record.ref.deref() === undefined;
  return {
    id: record.id,
    library: record.spec.library,
    type: record.type,
    key: record.key,
    owner: record.owner,
    createdAt: record.createdAt,
    stack: [...record.stack],
    state: collected ? 'collected' : isOpen(record) ? 'open' : 'closed',
  };
}

function listClients(state: TrackerState, filter: { includeClosed?: boolean; includeInternal?: boolean }): TrackedClient[] {
  const out: TrackedClient[] = [];
  for (const record of state.records.values()) {
    if (!filter.includeInternal && record.owner !== undefined) continue;
    const view = publicView(record);
    if (view.state === 'collected') continue;
    if (view.state === 'closed' && !filter.includeClosed) continue;
    out.push(view);
  }
  return out;
}

function schedule(state: TrackerState, record: ClientRecord): void {
  state.pending.add(record);
  scheduleFlush(state);
}

function markDirty(state: TrackerState, record: ClientRecord): void {
  state.dirtyGroups.set(groupKey(record.spec.library, record.key), { library: record.spec.library, key: record.key });
  scheduleFlush(state);
}

function scheduleFlush(state: TrackerState): void {
  if (state.flushScheduled) return;
  state.flushScheduled = true;
  queueMicrotask(() => flush(state));
}

function flush(state: TrackerState): void {
  state.flushScheduled = false;
  const pending = [...state.pending];
  state.pending.clear();
  for (const record of pending) {
    if (!state.records.has(record.id)) continue;
    emit(state, { type: 'created', client: publicView(record) });
    if (record.owner === undefined) state.dirtyGroups.set(groupKey(record.spec.library, record.key), { library: record.spec.library, key: record.key });
  }
  const groups = [...state.dirtyGroups.values()];
  state.dirtyGroups.clear();
  if (groups.length === 0) return;
  // One pass over the records for all the groups to check.
  const live = new Map<string, ClientRecord[]>();
  for (const { library, key } of groups) live.set(groupKey(library, key), []);
  for (const record of state.records.values()) {
    if (record.owner !== undefined) continue;
    const list = live.get(groupKey(record.spec.library, record.key));
    if (list && isOpen(record)) list.push(record);
  }
  for (const { library, key } of groups) checkGroup(state, library, key, live.get(groupKey(library, key))!);
}

function emit(state: TrackerState, event: ClientEvent): void {
  for (const handle of state.handles) {
    for (const listener of handle.listeners) callSafely(handle.logger, 'client tracker listener', listener, event);
  }
}

function groupKey(library: ClientLibrary, key: string): string {
  return `${library}\u0000${key}`;
}

function limitOf(handle: Handle, library: ClientLibrary): number {
  const limit = handle.limit;
  if (typeof limit === 'number') return limit;
  return limit?.[library] ?? 1;
}

function checkGroup(state: TrackerState, library: ClientLibrary, key: string, live: ClientRecord[]): void {
  if (state.handles.size === 0) return;
  const group = groupKey(library, key);
  for (const handle of state.handles) {
    const limit = limitOf(handle, library);
    if (live.length <= limit) {
      handle.exceeded.delete(group);
      continue;
    }
    if (handle.exceeded.has(group)) continue;
    handle.exceeded.add(group);
    const views = live.map(publicView);
    const event: TooManyClients = { library, key, limit, live: views, message: tooManyMessage(library, key, limit, views) };
    if (handle.onTooMany) {
      callSafely(handle.logger, 'onTooMany', handle.onTooMany, event);
    } else if (!state.warnedByDefault.has(group)) {
      // The default is ONE warning per library and key for the life of the process: a
      // per-request client would otherwise log on every request.
      state.warnedByDefault.add(group);
      handle.logger.warn(event.message);
    }
  }
}

const ADVICE: Record<ClientLibrary, string> = {
  prisma: "Each PrismaClient has its own connection pool (and, before Prisma 7, its own query engine). Create it once and share it: shared('prisma', () => new PrismaClient(...))",
  pg: "Each pg Pool keeps up to `max` connections (10 by default). Create the pool once: shared('pg', () => new Pool(...))",
  ioredis: "Each ioredis client holds its own connection. Create it once: shared('redis', () => new Redis(...))",
  redis: "Each node-redis client holds its own connection. Create it once: shared('redis', () => createClient(...))",
  knex: "Each knex instance has its own connection pool. Create it once: shared('knex', () => knex(...))",
  mongoose: "Each mongoose connection has its own connection pool. Create it once: shared('mongo', () => mongoose.createConnection(...))",
  mongodb: "Each MongoClient has its own connection pool. Create it once: shared('mongo', () => new MongoClient(...))",
};

function tooManyMessage(library: ClientLibrary, key: string, limit: number, live: TrackedClient[]): string {
  const types = [...new Set(live.map((client) => client.type))];
  const what = types.length === 1 ? `${types[0]} instances` : `${library} clients (${types.join(', ')})`;
  const lines = [
    `${live.length} ${what} are open at once for key "${key}" (limit ${limit}). ${ADVICE[library]} from leakhound/runtime. ` +
      `A deliberate extra client needs its own key: shared('replica', () => ...).`,
  ];
  const shown = live.slice(0, 10);
  for (const [index, client] of shown.entries()) {
    const [first, ...rest] = client.stack.length > 0 ? client.stack : ['(no application frame)'];
    lines.push(`  #${index + 1} created at ${first}`);
    for (const frame of rest) lines.push(`       from ${frame}`);
  }
  if (live.length > shown.length) lines.push(`  … and ${live.length - shown.length} more`);
  return lines.join('\n');
}

function collectTrackerMetrics(state: TrackerState, collector: MetricsCollector): void {
  const live = new Map<string, { library: ClientLibrary; key: string; owner: string; count: number }>();
  for (const record of state.records.values()) {
    const open = isOpen(record);
    const owner = record.owner ?? 'app';
    const id = `${record.spec.library}\u0000${record.key}\u0000${owner}`;
    const entry = live.get(id) ?? { library: record.spec.library, key: record.key, owner, count: 0 };
    if (open) entry.count++;
    live.set(id, entry);
    if (open && record.spec.library === 'pg' && record.type === 'Pool') {
      const pool = record.ref.deref() as PoolLike | undefined;
      if (pool) collector.pool(pool, record.owner ?? record.key, false);
    }
  }
  for (const entry of live.values()) collector.gauge('db_client_live', { library: entry.library, key: entry.key, owner: entry.owner }, entry.count);
  for (const library of CLIENT_LIBRARIES) {
    const created = state.created.get(library);
    if (created !== undefined) collector.counter('db_client_created_total', { library }, created);
  }
}
