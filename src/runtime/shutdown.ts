import { constants } from 'node:os';
import { settleWithin, TimeoutError } from './close-client.js';
import { describeError, getLogger, logError, type RuntimeLogger } from './logger.js';
import { processState } from './process-state.js';

/** Why the closers are running: a signal name, `beforeExit`, or `manual` for {@link shutdown}. */
export type ShutdownReason = NodeJS.Signals | 'beforeExit' | 'manual';

/** What a closer receives. */
export interface ShutdownContext {
  reason: ShutdownReason;
  /** Aborted when this closer's time is up; pass it on to whatever accepts a signal. */
  signal: AbortSignal;
}

/** A function that releases something on shutdown; may return a promise. */
export type ShutdownCloser = (context: ShutdownContext) => unknown;

/** Options of {@link onShutdown}. */
export interface OnShutdownOptions {
  /**
   * Names the closer in logs and the report. Registering again with a name already in use
   * REPLACES that closer (keeping its place in the order): code that hot-reloads in
   * development should name its closers so that each reload does not add one more.
   */
  name?: string;
  /** How long this closer may run. Default: the `timeoutMs` of {@link configureShutdown} (5000 ms). */
  timeoutMs?: number;
}

/** Options of {@link configureShutdown}. */
export interface ShutdownConfig {
  /** Signals that start the shutdown. Default `['SIGTERM', 'SIGINT']`. */
  signals?: NodeJS.Signals[];
  /** Default time limit of each closer. Default 5000 ms. */
  timeoutMs?: number;
  /**
   * What happens after the closers ran because of a signal:
   * - `'auto'` (default): re-raise the signal so the process dies of it (exit status 143 for
   *   SIGTERM, 130 for SIGINT) — unless other code listens to that signal too. Then nothing
   *   is done: with a listener of its own, the program had already opted out of Node's
   *   default "die on signal", and killing it would cut its own handler short.
   * - `'always'`: exit even when other listeners exist (with status 128 + signal number,
   *   without running their handlers a second time).
   * - `'never'`: run the closers and leave exiting to the program.
   */
  exit?: 'auto' | 'always' | 'never';
  /** Where failures and timeouts are logged. Default: the {@link setLogger} logger. */
  logger?: RuntimeLogger;
}

/** How one closer ended. */
export interface CloserOutcome {
  name: string;
  status: 'ok' | 'error' | 'timeout';
  durationMs: number;
  error?: unknown;
}

/** What {@link shutdown} did. */
export interface ShutdownReport {
  reason: ShutdownReason;
  closers: CloserOutcome[];
}

interface Closer {
  fn: ShutdownCloser;
  name: string | undefined;
  timeoutMs: number | undefined;
}

interface ShutdownState {
  closers: Closer[];
  signals: NodeJS.Signals[];
  timeoutMs: number;
  exit: 'auto' | 'always' | 'never';
  logger: RuntimeLogger | undefined;
  // Listeners currently on `process`, so that they can be removed exactly.
  signalListeners: Map<NodeJS.Signals, (signal: NodeJS.Signals) => void>;
  beforeExitListener: (() => void) | undefined;
  running: Promise<ShutdownReport> | undefined;
}

function shutdownState(): ShutdownState {
  return processState('shutdown', () => ({
    closers: [],
    signals: ['SIGTERM', 'SIGINT'],
    timeoutMs: 5000,
    exit: 'auto',
    logger: undefined,
    signalListeners: new Map(),
    beforeExitListener: undefined,
    running: undefined,
  }));
}

/**
 * Registers `fn` to run once when the process shuts down: on SIGTERM or SIGINT (see
 * {@link configureShutdown} for others), on `beforeExit` (the event loop ran dry), or when
 * {@link shutdown} is called. Closers run one after another in REVERSE registration order
 * — what was set up last is torn down first: the HTTP server before the database it uses —
 * each within its time limit; one that throws or hangs is logged and the next one runs.
 *
 * After a signal, the process then exits the way it would have without leakhound: the signal
 * is re-raised, so the exit status is the signal's (143 for SIGTERM). If the program has its
 * own listener for that signal, leakhound does not kill it (its handler decides; call
 * `await shutdown()` there to wait for the closers). See {@link ShutdownConfig.exit}.
 *
 * Listeners are installed with the first closer and removed with the last one, and nothing
 * here keeps an idle process alive. Registering the same function twice, or the same name
 * twice, keeps one closer. The registry lives on `globalThis`, so a module loaded twice (hot
 * reload) shares it.
 *
 * @returns a function that unregisters this closer.
 *
 * @example
 * ```ts
 * const server = app.listen(3000);
 * onShutdown(disconnectShared, { name: 'database' });
 * onShutdown(() => new Promise((done) => server.close(() => done(undefined))), { name: 'http' });
 * // SIGTERM: the server stops accepting, then the clients disconnect, then exit 143.
 * ```
 */
export function onShutdown(fn: ShutdownCloser, options: OnShutdownOptions = {}): () => void {
  const state = shutdownState();
  const existing = state.closers.find((closer) => closer.fn === fn || (options.name !== undefined && closer.name === options.name));
  let closer: Closer;
  if (existing) {
    existing.fn = fn;
    existing.name = options.name ?? existing.name;
    existing.timeoutMs = options.timeoutMs ?? existing.timeoutMs;
    closer = existing;
  } else {
    closer = { fn, name: options.name, timeoutMs: options.timeoutMs };
    state.closers.push(closer);
  }
  syncListeners(state);
  return () => {
    const index = state.closers.indexOf(closer);
    if (index === -1) return;
    state.closers.splice(index, 1);
    syncListeners(state);
  };
}

/**
 * Changes how shutdown works. Takes effect at once (signal listeners are moved when
 * `signals` changes); options not given keep their value.
 */
export function configureShutdown(config: ShutdownConfig): void {
  const state = shutdownState();
  if (config.timeoutMs !== undefined) state.timeoutMs = config.timeoutMs;
  if (config.exit !== undefined) state.exit = config.exit;
  if ('logger' in config) state.logger = config.logger;
  if (config.signals) {
    removeListeners(state);
    state.signals = [...new Set(config.signals)];
  }
  syncListeners(state);
}

/**
 * Runs the registered closers now (once: later calls, and the signal handlers, get the same
 * promise) and resolves with what each did. Does not exit the process. Call it from your own
 * signal handler to wait for the closers before you exit.
 */
export function shutdown(reason: ShutdownReason = 'manual'): Promise<ShutdownReport> {
  const state = shutdownState();
  state.running ??= runClosers(state, reason);
  return state.running;
}

/** Whether a shutdown has started (closers running or done). */
export function isShuttingDown(): boolean {
  return shutdownState().running !== undefined;
}

async function runClosers(state: ShutdownState, reason: ShutdownReason): Promise<ShutdownReport> {
  const logger = state.logger ?? getLogger();
  const outcomes: CloserOutcome[] = [];
  // A snapshot: a closer that registers or unregisters closers does not change this run.
  const closers = [...state.closers].reverse();
  for (const [index, closer] of closers.entries()) {
    const name = closer.name ?? (closer.fn.name || `closer #${closers.length - index}`);
    const timeoutMs = closer.timeoutMs ?? state.timeoutMs;
    const controller = new AbortController();
    const started = performance.now();
    try {
      // The timer is ref'd on purpose: while a shutdown runs, an otherwise idle process must
      // wait for its closers (else it would exit with status 0 before the signal is
      // re-raised). The timer bounds that wait.
      await settleWithin(
        new Promise((resolve) => resolve(closer.fn({ reason, signal: controller.signal }))),
        timeoutMs,
        `shutdown closer "${name}"`,
        true,
      );
      outcomes.push({ name, status: 'ok', durationMs: performance.now() - started });
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      if (timedOut) controller.abort(error);
      outcomes.push({ name, status: timedOut ? 'timeout' : 'error', durationMs: performance.now() - started, error });
      logError(logger, timedOut ? (error as Error).message : `shutdown closer "${name}" failed: ${describeError(error)}`);
    }
  }
  return { reason, closers: outcomes };
}

function syncListeners(state: ShutdownState): void {
  if (state.closers.length === 0) {
    removeListeners(state);
    return;
  }
  for (const signal of state.signals) {
    if (state.signalListeners.has(signal)) continue;
    const listener = (received: NodeJS.Signals) => onSignal(state, received);
    state.signalListeners.set(signal, listener);
    process.on(signal, listener);
  }
  if (!state.beforeExitListener) {
    const listener = () => onBeforeExit(state);
    state.beforeExitListener = listener;
    process.on('beforeExit', listener);
  }
}

function removeListeners(state: ShutdownState): void {
  for (const [signal, listener] of state.signalListeners) process.removeListener(signal, listener);
  state.signalListeners.clear();
  if (state.beforeExitListener) process.removeListener('beforeExit', state.beforeExitListener);
  state.beforeExitListener = undefined;
}

function onSignal(state: ShutdownState, signal: NodeJS.Signals): void {
  if (state.running) {
    // A second signal while the closers run (Ctrl-C pressed twice, or an orchestrator that
    // got impatient): stop waiting and exit now.
    exitAfterSignal(state, signal);
    return;
  }
  shutdown(signal).then(
    () => exitAfterSignal(state, signal),
    () => exitAfterSignal(state, signal),
  );
}

function onBeforeExit(state: ShutdownState): void {
  // The closers' own work (sockets closing) refills the event loop; when it drains again
  // `beforeExit` fires again, and by then our listener is gone: the process exits with
  // whatever `process.exitCode` says, as it would have without us.
  if (state.running) return;
  shutdown('beforeExit').then(
    () => removeListeners(state),
    () => removeListeners(state),
  );
}

function exitAfterSignal(state: ShutdownState, signal: NodeJS.Signals): void {
  removeListeners(state);
  if (state.exit === 'never') return;
  const othersListen = process.listenerCount(signal) > 0;
  if (!othersListen) {
    // With no listener left, Node restores the default disposition: the process dies of the
    // signal and the parent sees it (status 128 + n, `signal: 'SIGTERM'` in child_process).
    process.kill(process.pid, signal);
    return;
  }
  if (state.exit === 'always') {
    // Re-raising would run the other handlers a second time; exit with the status a death by
    // this signal would have given instead.
    const number = signalNumber(signal);
    process.exit(number === undefined ? 1 : 128 + number);
  }
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return (constants.signals as Partial<Record<NodeJS.Signals, number>>)[signal];
}
