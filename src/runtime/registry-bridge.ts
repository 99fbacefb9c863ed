import { collectMetrics, DURATION_BUCKETS_SECONDS, METRIC_DEFINITIONS, type CollectOptions, type MetricFamily, type MetricName } from './metrics.js';
import { durationObservers, type DurationEvent } from './query-metrics.js';

/**
 * Bridges to the metrics libraries an app may already use — prom-client and OpenTelemetry —
 * typed by the shape of their APIs so that leakhound/runtime depends on neither.
 */

/** What leakhound gives a prom-client metric constructor; `M` is the instance `collect` runs on. */
export interface PromMetricConfiguration<R, M> {
  name: string;
  help: string;
  labelNames: string[];
  registers: R[];
  collect(this: M): void;
}

/** The configuration leakhound gives prom-client's `Gauge` constructor. */
export type PromGaugeConfiguration<R> = PromMetricConfiguration<R, PromGaugeLike>;

/** The configuration leakhound gives prom-client's `Counter` constructor. */
export type PromCounterConfiguration<R> = PromMetricConfiguration<R, PromCounterLike>;

/** The parts of a prom-client `Gauge` instance used in `collect`. */
export interface PromGaugeLike {
  reset(): void;
  set(labels: Record<string, string>, value: number): void;
}

/** The parts of a prom-client `Counter` instance used in `collect`. */
export interface PromCounterLike {
  reset(): void;
  inc(labels: Record<string, string>, value: number): void;
}

/** The parts of a prom-client `Registry` used. */
export interface PromRegistryLike {
  registerMetric(metric: never): void;
  getSingleMetric?(name: string): unknown;
  removeSingleMetric?(name: string): void;
}

/**
 * What {@link registerPromClientMetrics} needs from `import * as client from 'prom-client'`.
 * Generic over the registry type so that prom-client's own `Registry` class fits as it is.
 */
export interface PromClientLike<R extends PromRegistryLike = PromRegistryLike> {
  Gauge: new (configuration: PromGaugeConfiguration<R>) => unknown;
  Counter?: new (configuration: PromCounterConfiguration<R>) => unknown;
  /** The default registry, used when no `registry` option is given. */
  register?: R;
}

/** Options of the prom-client bridge. */
export interface PromBridgeOptions<R extends PromRegistryLike = PromRegistryLike> extends CollectOptions {
  /** The registry to add to. Default `promClient.register`. */
  registry?: R;
}

/**
 * Registers leakhound's metrics on a prom-client registry, so that your existing `/metrics`
 * endpoint serves them: gauges and counters as prom-client `Gauge`s and `Counter`s whose
 * `collect()` reads leakhound's values at scrape time, histograms as metrics in prom-client's
 * registry format. A name the registry already has is skipped — so prom-client's own
 * `collectDefaultMetrics()` keeps `process_resident_memory_bytes` and friends, without a
 * duplicate-registration error.
 *
 * @returns a function that removes what was registered.
 *
 * @example
 * ```ts
 * import * as promClient from 'prom-client';
 * promClient.collectDefaultMetrics();
 * registerPromClientMetrics(promClient);
 * app.get('/metrics', async (req, res) => res.type(promClient.register.contentType).send(await promClient.register.metrics()));
 * ```
 */
export function registerPromClientMetrics<R extends PromRegistryLike>(promClient: PromClientLike<R>, options: PromBridgeOptions<R> = {}): () => void {
  const registry = options.registry ?? promClient.register;
  if (!registry) throw new TypeError('registerPromClientMetrics: pass prom-client itself (it has `register`), or a `registry` option');
  const read = oncePerTick(() => collectMetrics(options));
  const registered: string[] = [];
  for (const name of Object.keys(METRIC_DEFINITIONS) as MetricName[]) {
    if (!wanted(name, options)) continue;
    if (registry.getSingleMetric?.(name) !== undefined) continue;
    const definition = METRIC_DEFINITIONS[name];
    const labelNames = [...definition.labelNames];
    if (definition.type === 'histogram') {
      registry.registerMetric(promHistogram(name, definition.help, read) as never);
    } else if (definition.type === 'counter' && promClient.Counter) {
      // Counters are rebuilt from leakhound's totals at each scrape (reset, then inc by the total).
      promMetric(promClient.Counter, name, labelNames, registry, read, (counter, labels, value) => counter.inc(labels, value));
    } else {
      promMetric(promClient.Gauge, name, labelNames, registry, read, (gauge, labels, value) => gauge.set(labels, value));
    }
    registered.push(name);
  }
  return () => {
    for (const name of registered) registry.removeSingleMetric?.(name);
    registered.length = 0;
  };
}

/** An OpenTelemetry `ObservableGauge` / `ObservableCounter`. */
export interface OtelObservableLike {
  addCallback(callback: (result: { observe(value: number, attributes?: Record<string, string>): void }) => void): void;
  removeCallback?(callback: (result: { observe(value: number, attributes?: Record<string, string>): void }) => void): void;
}

/** An OpenTelemetry `Histogram`. */
export interface OtelHistogramLike {
  record(value: number, attributes?: Record<string, string>): void;
}

/** What {@link registerOpenTelemetryMetrics} needs from an OpenTelemetry `Meter`. */
export interface OtelMeterLike {
  createObservableGauge(name: string, options?: { description?: string; unit?: string }): OtelObservableLike;
  createObservableCounter?(name: string, options?: { description?: string; unit?: string }): OtelObservableLike;
  createHistogram?(name: string, options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } }): OtelHistogramLike;
}

/**
 * Registers leakhound's metrics on an OpenTelemetry `Meter`, under the same names as
 * `toPrometheus()`: gauges as observable gauges and counters as observable counters, read
 * when the SDK collects (one leakhound collection per export, whatever the instrument
 * count); query and transaction durations as histograms that record each query from now on
 * (OpenTelemetry has no observable histogram, so earlier queries are not replayed).
 *
 * @returns a function that removes the callbacks and stops recording durations.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * registerOpenTelemetryMetrics(metrics.getMeter('my-service'));
 * ```
 */
export function registerOpenTelemetryMetrics(meter: OtelMeterLike, options: CollectOptions = {}): () => void {
  const read = oncePerTick(() => collectMetrics(options));
  const removers: (() => void)[] = [];
  const histograms = new Map<MetricName, OtelHistogramLike>();
  for (const name of Object.keys(METRIC_DEFINITIONS) as MetricName[]) {
    if (!wanted(name, options)) continue;
    const definition = METRIC_DEFINITIONS[name];
    if (definition.type === 'histogram') {
      const histogram = meter.createHistogram?.(name, {
        description: definition.help,
        unit: 's',
        advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
      });
      if (histogram) histograms.set(name, histogram);
      continue;
    }
    const instrument =
      definition.type === 'counter' && meter.createObservableCounter
        ? meter.createObservableCounter(name, { description: definition.help })
        : meter.createObservableGauge(name, { description: definition.help });
    const callback = (result: { observe(value: number, attributes?: Record<string, string>): void }) => {
      for (const sample of samplesOf(read(), name)) result.observe(sample.value, sample.labels);
    };
    instrument.addCallback(callback);
    removers.push(() => instrument.removeCallback?.(callback));
  }
  if (histograms.size > 0) {
    const queries = histograms.get('db_client_query_duration_seconds');
    const transactions = histograms.get('db_client_transaction_duration_seconds');
    const observer = (event: DurationEvent) => {
      if (event.kind === 'query') queries?.record(event.seconds, { client: event.client, model: event.model, operation: event.operation });
      else transactions?.record(event.seconds, { client: event.client, kind: event.operation });
    };
    const { observers } = durationObservers();
    observers.push(observer);
    removers.push(() => {
      const index = observers.indexOf(observer);
      if (index !== -1) observers.splice(index, 1);
    });
  }
  return () => {
    for (const remove of removers.splice(0)) remove();
  };
}

/** Creates one prom-client metric whose collect() copies leakhound's current values into it. */
function promMetric<R, M extends { reset(): void }>(
  Metric: new (configuration: PromMetricConfiguration<R, M>) => unknown,
  name: MetricName,
  labelNames: string[],
  registry: R,
  read: () => MetricFamily[],
  update: (metric: M, labels: Record<string, string>, value: number) => void,
): void {
  new Metric({
    name,
    help: METRIC_DEFINITIONS[name].help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const sample of samplesOf(read(), name)) update(this, sample.labels, sample.value);
    },
  });
}

function wanted(name: MetricName, options: CollectOptions): boolean {
  // Process memory names belong to `processMetrics`.
  const processName = name.startsWith('process_') || name.startsWith('nodejs_');
  return !(processName && options.processMetrics === false);
}

function samplesOf(families: MetricFamily[], name: MetricName): { labels: Record<string, string>; value: number }[] {
  const family = families.find((candidate) => candidate.name === name);
  if (!family || family.type === 'histogram') return [];
  return family.samples;
}

/** A histogram in the shape prom-client's registry formats (`get()` → name, type, values). */
function promHistogram(name: MetricName, help: string, read: () => MetricFamily[]) {
  const get = () => {
    const family = read().find((candidate) => candidate.name === name);
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    if (family?.type === 'histogram') {
      for (const sample of family.samples) {
        for (const bucket of sample.buckets) values.push({ metricName: `${name}_bucket`, labels: { ...sample.labels, le: bucket.le === Number.POSITIVE_INFINITY ? '+Inf' : bucket.le }, value: bucket.count });
        values.push({ metricName: `${name}_sum`, labels: sample.labels, value: sample.sum });
        values.push({ metricName: `${name}_count`, labels: sample.labels, value: sample.count });
      }
    }
    return { name, help, type: 'histogram', aggregator: 'sum', values };
  };
  return { name, help, type: 'histogram', aggregator: 'sum', get: async () => get(), reset: () => undefined };
}

/**
 * Collecting is cheap but not free, and prom-client calls every metric's `collect` (and an
 * OpenTelemetry export every callback) in one go: collect once and reuse it until the
 * current task ends.
 */
function oncePerTick<T>(compute: () => T): () => T {
  let cached: { value: T } | undefined;
  return () => {
    if (!cached) {
      cached = { value: compute() };
      queueMicrotask(() => {
        cached = undefined;
      });
    }
    return cached.value;
  };
}
