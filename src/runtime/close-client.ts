/**
 * Closing "a database client" without knowing which library made it: each library names its
 * close method differently, and a few of them mean different things by the same name.
 */

/**
 * Close methods in the order they are tried. Earlier names win where a client has several:
 * ioredis has both `quit` (waits for pending replies) and `disconnect` (drops them), and the
 * graceful one must win; mongoose connections have `close` and `destroy` (which also forgets
 * the models).
 */
const CLOSE_METHODS = ['$disconnect', 'end', 'quit', 'close', 'destroy', 'disconnect'] as const;

export type CloseMethod = (typeof CLOSE_METHODS)[number] | 'Symbol.asyncDispose' | 'Symbol.dispose';

/** The method `closeClient` would call on `value`, without calling it. */
export function findCloseMethod(value: unknown): { name: CloseMethod; call: () => unknown } | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const target = value as Record<string | symbol, unknown>;
  for (const name of CLOSE_METHODS) {
    const method = target[name];
    if (typeof method === 'function') return { name, call: () => method.call(value) };
  }
  // Explicit resource management (`await using`): newer clients implement it, and any object
  // a user put in `shared()` may. Looked up only when present on this Node version.
  const asyncDispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
  if (asyncDispose && typeof target[asyncDispose] === 'function') {
    const method = target[asyncDispose] as () => unknown;
    return { name: 'Symbol.asyncDispose', call: () => method.call(value) };
  }
  const dispose = (Symbol as { dispose?: symbol }).dispose;
  if (dispose && typeof target[dispose] === 'function') {
    const method = target[dispose] as () => unknown;
    return { name: 'Symbol.dispose', call: () => method.call(value) };
  }
  return undefined;
}

/**
 * Resolves after `promise` settles or after `ms`, whichever comes first; rejects with a
 * timeout error in the second case. The timer is unref'd unless `keepAlive` is set.
 */
export function settleWithin<T>(promise: PromiseLike<T>, ms: number, what: string, keepAlive = false, signal?: AbortSignal): Promise<T> {
  if (!Number.isFinite(ms)) return Promise.resolve(promise);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error(`${what} was aborted`));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      reject(new TimeoutError(`${what} did not finish within ${ms} ms`));
    }, ms);
    if (!keepAlive) timer.unref();
    if (signal) {
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    }
    Promise.resolve(promise).then(
      (value) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A step that was cut short by its time limit. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}
