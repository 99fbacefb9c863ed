import { DURATION_BUCKETS_SECONDS, registerMetricSource, type MetricsCollector, type MetricSource } from './metrics.js';
import { callSafely, getLogger, type RuntimeLogger } from './logger.js';
import { wrapPrismaAdapter, type AdapterFactoryLike } from './prisma-adapter.js';
import { prismaMetricsExtension, type PrismaMetricsExtension } from './prisma-extension.js';
import { processState } from './process-state.js';
import { RingBuffer } from './ring-buffer.js';

/** Options of {@link queryMetrics}. */
export interface QueryMetricsOptions {
  /** The `client` label of the exported series. Default `'prisma'`. */
  name?: string;
  /** Queries at least this slow are counted as slow and kept in the slow-query log. Default 200 ms. */
  slowQueryMs?: number;
  /** How many slow queries the log keeps (the newest). Default 100. */
  slowQueryLogSize?: number;
  /**
   * Most model × operation series kept. Further combinations are folded into one series
   * labelled `__other__` so that memory stays bounded whatever the schema. Default 500.
   */
  maxSeries?: number;
  /** Called for each slow query (after it is logged). */
  onSlowQuery?: (query: SlowQuery) => void;
  /** Logger for errors thrown by `onSlowQuery`. */
  logger?: RuntimeLogger;
}

/** A query slower than the threshold. Never holds the query's arguments or parameters. */
export interface SlowQuery {
  /** When it finished, ms since the epoch. */
  time: number;
  /** The model (`User`), or `undefined` for raw queries. */
  model: string | undefined;
  /** The operation (`findMany`, `$queryRaw`, …). */
  operation: string;
  durationMs: number;
  failed: boolean;
}

/** Count, total time and failures of one series, with its histogram. */
export interface DurationStats {
  count: number;
  failed: number;
  totalMs: number;
  /** Upper bound (seconds) and NON-cumulative count of each bucket; the last bound is `Infinity`. */
  buckets: { le: number; count: number }[];
}

/** What {@link QueryMetrics.snapshot} returns. */
export interface QueryMetricsSnapshot {
  client: string;
  queries: ({ model: string | undefined; operation: string; slow: number } & DurationStats)[];
  transactions: ({ kind: TransactionKind } & DurationStats)[];
  slowQueries: SlowQuery[];
}

/**
 * `interactive`: `$transaction(async (tx) => …)`; `batch`: `$transaction([a, b])` (both from
 * the client extension); `sql`: BEGIN to COMMIT/ROLLBACK on the connection (from the adapter).
 */
export type TransactionKind = 'interactive' | 'batch' | 'sql';

/** Query and transaction metrics of one client. */
export interface QueryMetrics {
  /**
   * The Prisma Client extension that feeds these metrics: times every operation (model
   * queries and raw queries, inside transactions too) and every `$transaction` call. Typed
   * to return the client it extends, so `$extends` keeps your client's type.
   *
   * @example
   * ```ts
   * const metrics = queryMetrics({ slowQueryMs: 100 });
   * export const prisma = shared('prisma', () => new PrismaClient({ adapter }).$extends(metrics.prismaExtension));
   * ```
   */
  readonly prismaExtension: PrismaMetricsExtension;
  /**
   * The cheaper alternative for Prisma 7: wraps a driver adapter factory so that every SQL
   * statement and transaction the adapter runs is timed, at about the cost of a function call
   * (a Prisma query extension costs Prisma tens of microseconds of CPU per query). Statements
   * are labelled by table (`model`) and SQL verb (`operation`: `select`, `insert`, …), and
   * transactions with kind `sql`. Use this or `prismaExtension`, not both (queries would be
   * counted twice, under two kinds of labels).
   *
   * @example
   * ```ts
   * const metrics = queryMetrics();
   * const prisma = new PrismaClient({ adapter: metrics.prismaAdapter(new PrismaPg({ connectionString })) });
   * ```
   */
  prismaAdapter<F extends AdapterFactoryLike>(factory: F): F;
  /**
   * Records one query measured elsewhere (a `pg` pool wrapper, knex's `query-response`
   * event, …). `model` may be undefined.
   */
  recordQuery(model: string | undefined, operation: string, durationMs: number, failed?: boolean): void;
  /** Records one transaction measured elsewhere. */
  recordTransaction(kind: TransactionKind, durationMs: number, failed?: boolean): void;
  /** A copy of everything recorded so far. */
  snapshot(): QueryMetricsSnapshot;
  /** The slow-query log, oldest first. */
  slowQueries(): SlowQuery[];
  /** Clears the counters, histograms and slow-query log. */
  reset(): void;
  /** Stops recording and leaves the metrics export. The extension then passes queries through untouched. */
  stop(): void;
}

/** What a registry bridge is told about each query or transaction (see registry-bridge.ts). */
export interface DurationEvent {
  kind: 'query' | 'transaction';
  client: string;
  model: string;
  operation: string;
  seconds: number;
  failed: boolean;
}

interface ObserverState {
  observers: ((event: DurationEvent) => void)[];
}

/** Process-wide listeners of every recorded duration (the OpenTelemetry bridge uses it). */
export function durationObservers(): ObserverState {
  return processState('duration-observers', () => ({ observers: [] }));
}

const BUCKET_COUNT = DURATION_BUCKETS_SECONDS.length + 1;
const OTHER = '__other__';

class Series {
  counts = new Float64Array(BUCKET_COUNT);
  count = 0;
  failed = 0;
  slow = 0;
  totalMs = 0;

  add(durationMs: number, failed: boolean): void {
    const seconds = durationMs / 1000;
    let bucket = 0;
    while (bucket < DURATION_BUCKETS_SECONDS.length && seconds > DURATION_BUCKETS_SECONDS[bucket]!) bucket++;
    this.counts[bucket]!++;
    this.count++;
    this.totalMs += durationMs;
    if (failed) this.failed++;
  }

  stats(): DurationStats {
    return {
      count: this.count,
      failed: this.failed,
      totalMs: this.totalMs,
      buckets: Array.from(this.counts, (count, i) => ({ le: DURATION_BUCKETS_SECONDS[i] ?? Number.POSITIVE_INFINITY, count })),
    };
  }
}

/**
 * Creates query metrics for one client: a duration histogram per model and operation (fixed
 * buckets, shared with {@link DURATION_BUCKETS_SECONDS}), failures, slow queries (counted,
 * and the newest kept in a bounded log — model, operation and duration, never the
 * parameters), and transaction durations. Memory is bounded whatever the traffic: fixed
 * arrays per series, at most `maxSeries` series, a ring buffer for the log.
 *
 * While it is reachable (held by you or by the client it extends), its metrics are part of
 * `toPrometheus()`; `stop()` removes them.
 */
export function queryMetrics(options: QueryMetricsOptions = {}): QueryMetrics {
  return new QueryMetricsImpl(options);
}

class QueryMetricsImpl implements QueryMetrics, MetricSource {
  readonly prismaExtension: PrismaMetricsExtension;
  #client: string;
  #slowQueryMs: number;
  #maxSeries: number;
  #onSlowQuery: ((query: SlowQuery) => void) | undefined;
  #logger: RuntimeLogger;
  // model → operation → series. Two levels avoid building a "model.operation" string per query.
  #queries = new Map<string | undefined, Map<string, Series>>();
  #seriesCount = 0;
  #other: Series | undefined;
  #transactions = new Map<TransactionKind, Series>();
  #slowLog: RingBuffer<SlowQuery>;
  #stopped = false;
  #unregister: () => void;

  constructor(options: QueryMetricsOptions) {
    this.#client = options.name ?? 'prisma';
    this.#slowQueryMs = options.slowQueryMs ?? 200;
    this.#maxSeries = Math.max(1, options.maxSeries ?? 500);
    this.#onSlowQuery = options.onSlowQuery;
    this.#logger = options.logger ?? getLogger();
    this.#slowLog = new RingBuffer(Math.max(1, options.slowQueryLogSize ?? 100));
    this.prismaExtension = prismaMetricsExtension(this);
    this.#unregister = registerMetricSource(this);
  }

  prismaAdapter<F extends AdapterFactoryLike>(factory: F): F {
    return wrapPrismaAdapter(factory, this);
  }

  get active(): boolean {
    return !this.#stopped;
  }

  recordQuery(model: string | undefined, operation: string, durationMs: number, failed = false): void {
    if (this.#stopped) return;
    const series = this.#querySeries(model, operation);
    series.add(durationMs, failed);
    if (durationMs >= this.#slowQueryMs) {
      series.slow++;
      const slow: SlowQuery = { time: Date.now(), model, operation, durationMs, failed };
      this.#slowLog.push(slow);
      if (this.#onSlowQuery) callSafely(this.#logger, 'onSlowQuery', this.#onSlowQuery, slow);
    }
    const { observers } = durationObservers();
    if (observers.length > 0) this.#notify(observers, { kind: 'query', client: this.#client, model: model ?? '', operation, seconds: durationMs / 1000, failed });
  }

  recordTransaction(kind: TransactionKind, durationMs: number, failed = false): void {
    if (this.#stopped) return;
    let series = this.#transactions.get(kind);
    if (!series) {
      series = new Series();
      this.#transactions.set(kind, series);
    }
    series.add(durationMs, failed);
    const { observers } = durationObservers();
    if (observers.length > 0) this.#notify(observers, { kind: 'transaction', client: this.#client, model: '', operation: kind, seconds: durationMs / 1000, failed });
  }

  snapshot(): QueryMetricsSnapshot {
    const queries: QueryMetricsSnapshot['queries'] = [];
    for (const [model, operations] of this.#queries) {
      for (const [operation, series] of operations) queries.push({ model, operation, slow: series.slow, ...series.stats() });
    }
    if (this.#other) queries.push({ model: OTHER, operation: OTHER, slow: this.#other.slow, ...this.#other.stats() });
    const transactions = [...this.#transactions].map(([kind, series]) => ({ kind, ...series.stats() }));
    return { client: this.#client, queries, transactions, slowQueries: this.#slowLog.toArray() };
  }

  slowQueries(): SlowQuery[] {
    return this.#slowLog.toArray();
  }

  reset(): void {
    this.#queries.clear();
    this.#seriesCount = 0;
    this.#other = undefined;
    this.#transactions.clear();
    this.#slowLog.clear();
  }

  stop(): void {
    this.#stopped = true;
    this.#unregister();
    this.reset();
  }

  collect(collector: MetricsCollector): void {
    const client = this.#client;
    const emit = (model: string, operation: string, series: Series) => {
      const labels = { client, model, operation };
      collector.histogram('db_client_query_duration_seconds', labels, series.counts, series.totalMs / 1000, series.count);
      collector.counter('db_client_query_errors_total', labels, series.failed);
      collector.counter('db_client_slow_queries_total', labels, series.slow);
    };
    for (const [model, operations] of this.#queries) for (const [operation, series] of operations) emit(model ?? '', operation, series);
    if (this.#other) emit(OTHER, OTHER, this.#other);
    for (const [kind, series] of this.#transactions) {
      collector.histogram('db_client_transaction_duration_seconds', { client, kind }, series.counts, series.totalMs / 1000, series.count);
      collector.counter('db_client_transaction_errors_total', { client, kind }, series.failed);
    }
  }

  #querySeries(model: string | undefined, operation: string): Series {
    let operations = this.#queries.get(model);
    const existing = operations?.get(operation);
    if (existing) return existing;
    if (this.#seriesCount >= this.#maxSeries) return (this.#other ??= new Series());
    if (!operations) {
      operations = new Map();
      this.#queries.set(model, operations);
    }
    const series = new Series();
    operations.set(operation, series);
    this.#seriesCount++;
    return series;
  }

  #notify(observers: ((event: DurationEvent) => void)[], event: DurationEvent): void {
    for (const observer of observers) callSafely(this.#logger, 'metrics bridge', observer, event);
  }
}
