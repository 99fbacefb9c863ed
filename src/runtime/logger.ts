import { processState } from './process-state.js';

/**
 * Where leakhound/runtime writes its warnings (too many clients, memory alerts, a closer that
 * timed out). `console` satisfies it, and so do pino, winston and bunyan loggers.
 */
export interface RuntimeLogger {
  warn(message: string): void;
  /** Used for failures (a closer that threw); `warn` is used when it is missing. */
  error?(message: string): void;
}

interface LoggerState {
  logger: RuntimeLogger;
}

// `console` is looked up at call time, so a test or an app that replaces console.warn later
// still gets the messages.
const consoleLogger: RuntimeLogger = {
  warn: (message) => console.warn(`[leakhound] ${message}`),
  error: (message) => console.error(`[leakhound] ${message}`),
};

function loggerState(): LoggerState {
  return processState('logger', () => ({ logger: consoleLogger }));
}

/**
 * Replaces the logger every leakhound/runtime feature uses when it is not given its own
 * `logger` option. The default writes to `console.warn` / `console.error` with a `[leakhound]`
 * prefix. Pass `undefined` to restore the default.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * setLogger(pino().child({ module: 'leakhound' }));
 * ```
 */
export function setLogger(logger: RuntimeLogger | undefined): void {
  loggerState().logger = logger ?? consoleLogger;
}

/** The logger set with {@link setLogger}, or the console one. */
export function getLogger(): RuntimeLogger {
  return loggerState().logger;
}

/** Writes an error through `logger.error`, or `logger.warn` when the logger has no `error`. */
export function logError(logger: RuntimeLogger, message: string): void {
  if (logger.error) logger.error(message);
  else logger.warn(message);
}

/** Calls a user callback without letting its exception escape into our timer or hook. */
export function callSafely<A extends unknown[]>(logger: RuntimeLogger, what: string, fn: (...args: A) => unknown, ...args: A): void {
  try {
    const result = fn(...args);
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, (error: unknown) => logError(logger, `${what} failed: ${describeError(error)}`));
    }
  } catch (error) {
    logError(logger, `${what} failed: ${describeError(error)}`);
  }
}

/** One line that says what went wrong, with the stack when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
