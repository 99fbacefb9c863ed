/**
 * Query metrics at the driver-adapter level of Prisma 7 (`@prisma/adapter-pg` and the other
 * `SqlDriverAdapterFactory`s), as a cheaper alternative to the client extension.
 *
 * Why it exists: any Prisma query extension — even one that only calls `query(args)` — routes
 * every operation through Prisma's extension machinery, which costs tens of microseconds of
 * CPU per query in Prisma itself (leakhound's own recording is under a microsecond; see
 * bench/runtime/README.md). Wrapping the adapter costs about as much as a function call, and
 * measures what the database connection actually spent on each SQL statement. The price: SQL
 * statements, not Prisma operations — a `findMany` with `include` is two SELECTs — labelled by
 * table (`model`, from the statement's FROM / INTO / UPDATE) and statement verb (`operation`:
 * `select`, `insert`, …).
 */
import type { DurationRecorder } from './prisma-extension.js';

/** The shape of a Prisma 7 driver adapter factory (`new PrismaPg(...)`). */
export interface AdapterFactoryLike {
  connect(...args: unknown[]): Promise<object>;
}

/** Records SQL statements and driver-level transactions. */
export interface SqlRecorder extends DurationRecorder {
  recordTransaction(kind: 'interactive' | 'batch' | 'sql', durationMs: number, failed: boolean): void;
}

const QUERY_METHODS = new Set(['queryRaw', 'executeRaw']);
// Labels by SQL text: Prisma generates the same text for the same query shape, so a small
// cache makes labelling a map lookup. Bounded: cleared when full.
const LABEL_CACHE_SIZE = 1000;

export function wrapPrismaAdapter<F extends AdapterFactoryLike>(factory: F, recorder: SqlRecorder): F {
  if (typeof factory?.connect !== 'function') throw new TypeError('queryMetrics().prismaAdapter() needs a Prisma driver adapter factory, such as new PrismaPg(...)');
  const labels = new Map<string, { table: string | undefined; verb: string }>();
  const labelOf = (sql: string) => {
    let label = labels.get(sql);
    if (!label) {
      if (labels.size >= LABEL_CACHE_SIZE) labels.clear();
      label = parseStatement(sql);
      labels.set(sql, label);
    }
    return label;
  };
  const timedQuery = (method: (query: { sql: string }) => Promise<unknown>, self: object) =>
    function (query: { sql: string }) {
      if (!recorder.active) return method.call(self, query);
      const started = performance.now();
      return method.call(self, query).then(
        (result) => {
          const label = labelOf(query.sql);
          recorder.recordQuery(label.table, label.verb, performance.now() - started, false);
          return result;
        },
        (error: unknown) => {
          const label = labelOf(query.sql);
          recorder.recordQuery(label.table, label.verb, performance.now() - started, true);
          throw error;
        },
      );
    };
  const wrapTransaction = (transaction: object, started: number) => {
    let done = false;
    const finish = (failed: boolean) => {
      if (done || !recorder.active) return;
      done = true;
      recorder.recordTransaction('sql', performance.now() - started, failed);
    };
    return forward(transaction, (name, method) => {
      if (QUERY_METHODS.has(name)) return timedQuery(method as never, transaction);
      if (name === 'commit' || name === 'rollback') {
        return (...args: unknown[]) =>
          (method as (...a: unknown[]) => Promise<unknown>).apply(transaction, args).then(
            (result) => {
              finish(name === 'rollback');
              return result;
            },
            (error: unknown) => {
              finish(true);
              throw error;
            },
          );
      }
      return undefined;
    });
  };
  const wrapAdapter = (adapter: object) =>
    forward(adapter, (name, method) => {
      if (QUERY_METHODS.has(name)) return timedQuery(method as never, adapter);
      if (name === 'startTransaction') {
        return async (...args: unknown[]) => {
          const started = performance.now();
          const transaction = (await (method as (...a: unknown[]) => Promise<object>).apply(adapter, args)) as object;
          return wrapTransaction(transaction, started);
        };
      }
      return undefined;
    });
  return forward(factory, (name, method) => {
    if (name !== 'connect' && name !== 'connectToShadowDb') return undefined;
    return async (...args: unknown[]) => wrapAdapter(await (method as (...a: unknown[]) => Promise<object>).apply(factory, args));
  }) as F;
}

/**
 * A Proxy that hands out `replace(name, method)` for the methods it wants to wrap and the
 * target's own members otherwise — methods bound to the target, because adapters keep state
 * in private class fields that a Proxy receiver cannot reach. Each wrapper is made once.
 */
function forward<T extends object>(target: T, replace: (name: string, method: Function) => Function | undefined): T {
  const made = new Map<PropertyKey, Function>();
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      const known = made.get(property);
      if (known) return known;
      const wrapped: Function = (typeof property === 'string' ? replace(property, value) : undefined) ?? value.bind(object);
      made.set(property, wrapped);
      return wrapped;
    },
  });
}

const VERB = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/;
const TABLE = /\b(?:FROM|INTO|UPDATE|JOIN)\s+((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))*)/i;

/** The statement verb (lowercase) and the first table it names, from SQL text. */
export function parseStatement(sql: string): { table: string | undefined; verb: string } {
  const verb = VERB.exec(sql)?.[1]?.toLowerCase() ?? 'unknown';
  const reference = TABLE.exec(sql)?.[1];
  if (!reference) return { table: undefined, verb };
  const parts = reference.split(/\s*\.\s*/);
  const last = parts[parts.length - 1]!;
  return { table: last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last, verb };
}
