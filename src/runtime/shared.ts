import { clientContext } from './client-context.js';
import { findCloseMethod, settleWithin, type CloseMethod } from './close-client.js';
import { processState } from './process-state.js';

interface SharedEntry {
  key: string;
  value: unknown;
  createdAt: number;
}

interface SharedState {
  // A Map keeps insertion order, which is creation order: disconnecting walks it backwards.
  entries: Map<string, SharedEntry>;
  // Keys whose factory is running, to turn accidental recursion into a clear error.
  creating: Set<string>;
}

function sharedState(): SharedState {
  return processState('shared', () => ({ entries: new Map(), creating: new Set() }));
}

/**
 * Returns the one instance of `key` in this process, creating it with `factory` the first
 * time. The instance is kept on `globalThis`, so a development server that reloads the module
 * (Next.js, Vite, `tsx watch`) gets the same client back instead of a new pool per reload.
 *
 * The return type is exactly the factory's: `$extends(...)` results, subclasses and
 * `Promise`s keep their types.
 *
 * - A factory that throws caches nothing: the next call runs it again.
 * - An async factory caches its promise, so concurrent callers share one creation; when that
 *   promise rejects it is forgotten and the next call tries again.
 * - The key names the client: with `trackClients()` running, a client built inside the
 *   factory is counted under this key, so a deliberate second client (a read replica, an
 *   analytics database) gets its own key and is not reported as a duplicate.
 * - The first call wins: later calls with a different factory get the first instance. After
 *   `prisma generate` changed the client, restart the dev server or call
 *   {@link forgetShared}.
 *
 * @example
 * ```ts
 * // src/db.ts
 * import { PrismaClient } from '@prisma/client';
 * import { PrismaPg } from '@prisma/adapter-pg';
 * import { shared } from 'leakhound/runtime';
 *
 * export const prisma = shared('prisma', () =>
 *   new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) }));
 * export const replica = shared('prisma-replica', () =>
 *   new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.REPLICA_URL }) }));
 * ```
 */
export function shared<T>(key: string, factory: () => T): T {
  const state = sharedState();
  const existing = state.entries.get(key);
  if (existing) return existing.value as T;
  if (state.creating.has(key)) {
    throw new Error(`shared("${key}"): the factory asked for "${key}" again while creating it`);
  }
  const context = clientContext();
  const recordedBefore = context.created;
  state.creating.add(key);
  context.keys.push(key);
  let value: T;
  try {
    value = factory();
  } finally {
    context.keys.pop();
    state.creating.delete(key);
  }
  const entry: SharedEntry = { key, value, createdAt: Date.now() };
  state.entries.set(key, entry);
  if (isThenable(value)) {
    // Forget a failed async creation so that the next call retries. The handler also marks
    // this copy of the promise as handled; callers that await it still see the rejection.
    value.then(undefined, () => {
      if (state.entries.get(key) === entry) state.entries.delete(key);
    });
  }
  context.onShared?.(key, value, context.created - recordedBefore);
  return value;
}

/**
 * The instance stored under `key`, or `undefined` when none was created; never creates one.
 * The type parameter is the caller's claim (the registry does not know the factory's type).
 */
export function peekShared<T = unknown>(key: string): T | undefined {
  return sharedState().entries.get(key)?.value as T | undefined;
}

/** Whether an instance is stored under `key`. */
export function hasShared(key: string): boolean {
  return sharedState().entries.has(key);
}

/** The keys that hold an instance, in creation order. */
export function sharedKeys(): string[] {
  return [...sharedState().entries.keys()];
}

/**
 * Removes `key` from the registry WITHOUT closing its instance (the caller owns it now).
 * Returns whether there was one. Use {@link disconnectShared} to close and remove.
 */
export function forgetShared(key: string): boolean {
  return sharedState().entries.delete(key);
}

/** Options of {@link disconnectShared}. */
export interface DisconnectSharedOptions {
  /** Only these keys (default: every shared instance). */
  keys?: readonly string[];
  /** How long one client may take to close. Default 5000 ms. */
  timeoutMs?: number;
  /** Stops waiting when aborted — what a shutdown closer receives when its own time is up. */
  signal?: AbortSignal;
}

/** What {@link disconnectShared} did with one instance. */
export interface DisconnectedShared {
  key: string;
  /** The method called (`$disconnect`, `end`, `quit`, `close`, …), or `undefined` when the value had none. */
  method: CloseMethod | undefined;
}

/**
 * Closes every `shared()` instance — `$disconnect()` for Prisma, `end()` for pg pools,
 * `quit()` for ioredis, `destroy()` for knex, `close()` for mongoose and MongoDB, or
 * `Symbol.asyncDispose` — newest first, one at a time, each within `timeoutMs`, and removes
 * them from the registry (a later `shared()` call creates a fresh one). Instances created by
 * an async factory are awaited first; one whose creation failed is skipped.
 *
 * Every instance is tried even when one fails; the promise then rejects with an
 * `AggregateError` naming the failures. Registered as a shutdown closer in one line:
 *
 * @example
 * ```ts
 * onShutdown(disconnectShared, { name: 'shared clients' });
 * ```
 */
export async function disconnectShared(options: DisconnectSharedOptions = {}): Promise<DisconnectedShared[]> {
  const state = sharedState();
  const timeoutMs = options.timeoutMs ?? 5000;
  const wanted = options.keys ? new Set(options.keys) : undefined;
  const entries = [...state.entries.values()].filter((entry) => !wanted || wanted.has(entry.key)).reverse();
  const done: DisconnectedShared[] = [];
  const failures: Error[] = [];
  for (const entry of entries) {
    // Forget first: whatever happens next, the registry must not hand out a closed client.
    if (state.entries.get(entry.key) === entry) state.entries.delete(entry.key);
    try {
      const closed = await settleWithin(closeValue(entry.value), timeoutMs, `closing shared "${entry.key}"`, false, options.signal);
      done.push({ key: entry.key, method: closed });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      failures.push(new Error(`shared "${entry.key}": ${reason}`, { cause: error }));
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `could not close ${failures.length} shared client(s): ${failures.map((f) => f.message).join('; ')}`);
  }
  return done;
}

async function closeValue(value: unknown): Promise<CloseMethod | undefined> {
  let resolved = value;
  if (isThenable(value)) {
    try {
      resolved = await value;
    } catch {
      return undefined; // its creation failed: there is nothing to close
    }
  }
  const close = findCloseMethod(resolved);
  if (!close) return undefined;
  await close.call();
  return close.name;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
