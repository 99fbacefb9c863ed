import { processState } from './process-state.js';

/**
 * The metrics leakhound/runtime exports, defined once: the Prometheus text output, the
 * prom-client bridge and the OpenTelemetry bridge all read this table, so the three always
 * agree on names, types, help texts and label names.
 *
 * Process memory uses prom-client's default metric names, so existing Node.js dashboards
 * (Grafana "NodeJS Application Dashboard" and the like) work unchanged.
 */
export const METRIC_DEFINITIONS = {
  process_resident_memory_bytes: { type: 'gauge', help: 'Resident memory size in bytes.', labelNames: [] },
  nodejs_heap_size_total_bytes: { type: 'gauge', help: 'Process heap size from Node.js in bytes.', labelNames: [] },
  nodejs_heap_size_used_bytes: { type: 'gauge', help: 'Process heap size used from Node.js in bytes.', labelNames: [] },
  nodejs_external_memory_bytes: { type: 'gauge', help: 'Node.js external memory size in bytes.', labelNames: [] },
  nodejs_array_buffers_bytes: { type: 'gauge', help: 'Memory of ArrayBuffers and SharedArrayBuffers in bytes (part of external memory).', labelNames: [] },
  leakhound_memory_limit_bytes: { type: 'gauge', help: 'Memory limit of the process in bytes, and where it was found.', labelNames: ['source'] },
  leakhound_heap_limit_bytes: { type: 'gauge', help: 'V8 heap size limit in bytes.', labelNames: [] },
  leakhound_memory_status: { type: 'gauge', help: 'Memory status against the thresholds: 0 healthy, 1 warning, 2 critical.', labelNames: [] },
  leakhound_memory_growth_bytes_per_second: { type: 'gauge', help: 'Theil-Sen slope of memory over the monitoring window (heap_used: its post-GC floor).', labelNames: ['series'] },
  leakhound_memory_seconds_to_limit: { type: 'gauge', help: 'Estimated seconds until the series reaches its limit at the current growth (+Inf when not growing).', labelNames: ['series'] },
  leakhound_memory_leak_suspected: { type: 'gauge', help: '1 when the series grows significantly and would reach its limit within the alert horizon.', labelNames: ['series'] },
  db_client_live: { type: 'gauge', help: 'Database clients constructed and neither closed nor garbage-collected.', labelNames: ['library', 'key', 'owner'] },
  db_client_created_total: { type: 'counter', help: 'Database clients constructed since tracking started.', labelNames: ['library'] },
  db_client_pool_total_connections: { type: 'gauge', help: 'Connections open in the pool (idle and in use).', labelNames: ['pool'] },
  db_client_pool_idle_connections: { type: 'gauge', help: 'Idle connections in the pool.', labelNames: ['pool'] },
  db_client_pool_waiting_requests: { type: 'gauge', help: 'Requests waiting for a connection from the pool.', labelNames: ['pool'] },
  db_client_pool_max_connections: { type: 'gauge', help: 'Maximum size of the pool.', labelNames: ['pool'] },
  db_client_query_duration_seconds: { type: 'histogram', help: 'Duration of database queries in seconds.', labelNames: ['client', 'model', 'operation'] },
  db_client_query_errors_total: { type: 'counter', help: 'Database queries that failed.', labelNames: ['client', 'model', 'operation'] },
  db_client_slow_queries_total: { type: 'counter', help: 'Database queries slower than the slow-query threshold.', labelNames: ['client', 'model', 'operation'] },
  db_client_transaction_duration_seconds: { type: 'histogram', help: 'Duration of database transactions in seconds, from the call until commit or rollback.', labelNames: ['client', 'kind'] },
  db_client_transaction_errors_total: { type: 'counter', help: 'Database transactions that failed (rolled back).', labelNames: ['client', 'kind'] },
} as const satisfies Record<string, { type: 'gauge' | 'counter' | 'histogram'; help: string; labelNames: readonly string[] }>;

/** The name of a metric leakhound/runtime exports. */
export type MetricName = keyof typeof METRIC_DEFINITIONS;

type NamesOfType<T extends 'gauge' | 'counter' | 'histogram'> = { [K in MetricName]: (typeof METRIC_DEFINITIONS)[K]['type'] extends T ? K : never }[MetricName];
type LabelsOf<N extends MetricName> = { [L in (typeof METRIC_DEFINITIONS)[N]['labelNames'][number]]: string };

/**
 * Upper bounds (seconds) of the duration histogram buckets, shared by every histogram so that
 * series from different clients can be summed in PromQL. From 1 ms (a primary-key lookup on a
 * warm connection) to 10 s (past any sane statement timeout).
 */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One labelled value of a gauge or counter. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

/** One labelled histogram: cumulative counts per upper bound (the last bound is +Inf). */
export interface HistogramSample {
  labels: Record<string, string>;
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

/** A metric with all its series, as {@link collectMetrics} returns it. */
export type MetricFamily =
  | { name: MetricName; help: string; type: 'gauge' | 'counter'; labelNames: readonly string[]; samples: MetricSample[] }
  | { name: MetricName; help: string; type: 'histogram'; labelNames: readonly string[]; samples: HistogramSample[] };

/** What the pool gauges read: a `pg.Pool` (or anything with the same counters). */
export interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/**
 * Receives the values of one collection, and never lets a series appear twice: counts
 * (counters, histograms) with the same labels from several sources are added up (two
 * query-metrics objects with the same client name), while for a gauge the first source
 * wins (two memory monitors both report the one memory limit).
 */
export class MetricsCollector {
  #series = new Map<MetricName, Map<string, MetricSample | HistogramSample>>();
  #pools = new Map<PoolLike, { name: string; explicit: boolean }>();

  gauge<N extends NamesOfType<'gauge'>>(name: N, labels: LabelsOf<N>, value: number): void {
    this.#add(name, labels, value, false);
  }

  counter<N extends NamesOfType<'counter'>>(name: N, labels: LabelsOf<N>, value: number): void {
    this.#add(name, labels, value, true);
  }

  /**
   * @param counts per-bucket (not cumulative) counts, one per {@link DURATION_BUCKETS_SECONDS}
   *   entry plus a last one for values above the largest bound.
   */
  histogram<N extends NamesOfType<'histogram'>>(name: N, labels: LabelsOf<N>, counts: ArrayLike<number>, sum: number, count: number): void {
    const key = seriesKey(name, labels);
    const family = this.#family(name);
    let sample = family.get(key) as HistogramSample | undefined;
    if (!sample) {
      sample = { labels: { ...labels }, buckets: [...DURATION_BUCKETS_SECONDS, Number.POSITIVE_INFINITY].map((le) => ({ le, count: 0 })), sum: 0, count: 0 };
      family.set(key, sample);
    }
    let cumulative = 0;
    for (let i = 0; i < sample.buckets.length; i++) {
      cumulative += counts[i] ?? 0;
      sample.buckets[i]!.count += cumulative;
    }
    sample.sum += sum;
    sample.count += count;
  }

  /**
   * A pool to report. A pool named explicitly (`watchPool`) keeps that name even when the
   * client tracker also reports it under a generated one.
   */
  pool(pool: PoolLike, name: string, explicit: boolean): void {
    const known = this.#pools.get(pool);
    if (!known || (explicit && !known.explicit)) this.#pools.set(pool, { name, explicit });
  }

  /** The collected families, in the order of {@link METRIC_DEFINITIONS}. */
  families(): MetricFamily[] {
    this.#flushPools();
    const out: MetricFamily[] = [];
    for (const name of Object.keys(METRIC_DEFINITIONS) as MetricName[]) {
      const series = this.#series.get(name);
      if (!series || series.size === 0) continue;
      const definition = METRIC_DEFINITIONS[name];
      out.push({ name, help: definition.help, type: definition.type, labelNames: definition.labelNames, samples: [...series.values()] } as MetricFamily);
    }
    return out;
  }

  #flushPools(): void {
    const names = new Map<string, number>();
    for (const [pool, { name }] of this.#pools) {
      // Two pools may share a name (two clients under one key); number the later ones rather
      // than add their counts together, which would hide the duplicate this exists to show.
      const seen = names.get(name) ?? 0;
      names.set(name, seen + 1);
      const labels = { pool: seen === 0 ? name : `${name}#${seen + 1}` };
      this.#add('db_client_pool_total_connections', labels, pool.totalCount, false);
      this.#add('db_client_pool_idle_connections', labels, pool.idleCount, false);
      this.#add('db_client_pool_waiting_requests', labels, pool.waitingCount, false);
      const max = pool.options?.max;
      if (typeof max === 'number') this.#add('db_client_pool_max_connections', labels, max, false);
    }
    this.#pools.clear();
  }

  #family(name: MetricName): Map<string, MetricSample | HistogramSample> {
    let family = this.#series.get(name);
    if (!family) {
      family = new Map();
      this.#series.set(name, family);
    }
    return family;
  }

  #add(name: MetricName, labels: Record<string, string>, value: number, sum: boolean): void {
    const family = this.#family(name);
    const key = seriesKey(name, labels);
    const sample = family.get(key) as MetricSample | undefined;
    if (!sample) family.set(key, { labels: { ...labels }, value });
    else if (sum) sample.value += value;
  }
}

function seriesKey(name: MetricName, labels: Record<string, string>): string {
  return JSON.stringify(METRIC_DEFINITIONS[name].labelNames.map((label) => labels[label] ?? ''));
}

/** Something that contributes metrics at collection time. */
export interface MetricSource {
  collect(collector: MetricsCollector): void;
}

interface SourcesState {
  // Weak, so that a metrics object the app dropped (with the client it was attached to)
  // leaves the export on its own instead of being kept alive by it.
  sources: Set<WeakRef<MetricSource>>;
  // Strong references for sources that must stay until explicitly removed (the tracker).
  pinned: Set<MetricSource>;
}

function sourcesState(): SourcesState {
  return processState('metric-sources', () => ({ sources: new Set(), pinned: new Set() }));
}

/**
 * Adds a source to the process-wide export. Returns a function that removes it. With
 * `pinned`, the registry holds it strongly; otherwise it disappears once unreachable.
 */
export function registerMetricSource(source: MetricSource, pinned = false): () => void {
  const state = sourcesState();
  if (pinned) {
    state.pinned.add(source);
    return () => void state.pinned.delete(source);
  }
  const ref = new WeakRef(source);
  state.sources.add(ref);
  // Prune collected sources now and then, so an app that creates metrics objects in a loop
  // does not grow the set between scrapes.
  if (state.sources.size > 64 && state.sources.size % 64 === 0) pruneSources(state);
  return () => void state.sources.delete(ref);
}

function pruneSources(state: SourcesState): void {
  for (const ref of state.sources) if (ref.deref() === undefined) state.sources.delete(ref);
}

/** Options of {@link collectMetrics} and `toPrometheus`. */
export interface CollectOptions {
  /**
   * Include process memory (`process_resident_memory_bytes`, `nodejs_heap_size_*`, …).
   * Default true; turn it off when prom-client's default metrics already export them.
   */
  processMetrics?: boolean;
}

/**
 * Everything leakhound/runtime measures right now, as metric families: process memory (read
 * now), and whatever the running memory monitors, client tracker, query metrics and watched
 * pools contribute. Cheap enough for every scrape: no sampling happens here beyond one
 * `process.memoryUsage()` call.
 */
export function collectMetrics(options: CollectOptions = {}): MetricFamily[] {
  const collector = new MetricsCollector();
  if (options.processMetrics !== false) {
    const usage = process.memoryUsage();
    collector.gauge('process_resident_memory_bytes', {}, usage.rss);
    collector.gauge('nodejs_heap_size_total_bytes', {}, usage.heapTotal);
    collector.gauge('nodejs_heap_size_used_bytes', {}, usage.heapUsed);
    collector.gauge('nodejs_external_memory_bytes', {}, usage.external);
    collector.gauge('nodejs_array_buffers_bytes', {}, usage.arrayBuffers);
  }
  const state = sourcesState();
  for (const source of state.pinned) source.collect(collector);
  for (const ref of state.sources) {
    const source = ref.deref();
    if (source) source.collect(collector);
    else state.sources.delete(ref);
  }
  return collector.families();
}
