import { processState } from './process-state.js';

/**
 * The small channel between `shared()` and `trackClients()`, so that neither module imports
 * the other (an app that uses only `shared` does not bundle the tracker).
 *
 * - `keys`: the stack of `shared()` keys whose factories are running right now. A client
 *   constructed inside a factory is named after the innermost key.
 * - `created`: how many clients the tracker has recorded so far; `shared()` compares it before
 *   and after a factory to know whether the factory's result was already recorded.
 * - `onShared`: set by the tracker while it is active; told about every value `shared()` creates.
 */
export interface ClientContext {
  keys: string[];
  created: number;
  onShared: ((key: string, value: unknown, recordedDuringFactory: number) => void) | undefined;
}

export function clientContext(): ClientContext {
  return processState('client-context', () => ({ keys: [], created: 0, onShared: undefined }));
}

/** The `shared()` key whose factory is running, if any. */
export function currentSharedKey(): string | undefined {
  const { keys } = clientContext();
  return keys[keys.length - 1];
}
