import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { queryMetrics, registerOpenTelemetryMetrics, registerPromClientMetrics, watchPool, type OtelMeterLike, type PromClientLike } from '../../src/runtime/index.js';
import { repoRoot } from '../helpers/paths.js';
import { parsePrometheus, valueOf } from './prometheus-format.js';

/** Resolves an optional package from the repository (prom-client, OpenTelemetry), or undefined. */
function optional<T>(name: string): T | undefined {
  try {
    return createRequire(`${repoRoot}package.json`)(name) as T;
  } catch {
    return undefined;
  }
}

const fakePool = () => ({ totalCount: 3, idleCount: 1, waitingCount: 2, options: { max: 5 } });

// --- The contract, with stand-ins that record what the bridge asks of them ---------------

test('prom-client bridge: Gauges and Counters read at scrape time, one collection per scrape, known names skipped', async () => {
  const registered = new Map<string, unknown>();
  const registry = {
    registerMetric: (metric: { name: string }) => void registered.set(metric.name, metric),
    getSingleMetric: (name: string) => registered.get(name),
    removeSingleMetric: (name: string) => void registered.delete(name),
  };
  // What the Gauge and Counter constructors receive (the union of the two configurations).
  interface Configuration {
    name: string;
    labelNames: string[];
    registers: { registerMetric(metric: never): void }[];
    collect(this: never): void;
  }
  const made: { kind: string; configuration: Configuration; values: [Record<string, string>, number][] }[] = [];
  const metricClass = (kind: string) =>
    class {
      values: [Record<string, string>, number][] = [];
      constructor(public configuration: Configuration) {
        made.push(this as unknown as (typeof made)[number] & { kind: string });
        (this as unknown as { kind: string }).kind = kind;
        for (const target of configuration.registers) target.registerMetric({ name: configuration.name } as never);
      }
      reset() {
        this.values = [];
      }
      set(labels: Record<string, string>, value: number) {
        this.values.push([labels, value]);
      }
      inc(labels: Record<string, string>, value: number) {
        this.values.push([labels, value]);
      }
    };
  // As if prom-client's collectDefaultMetrics() had run: that name is taken.
  registered.set('process_resident_memory_bytes', {});
  const promClient: PromClientLike = { Gauge: metricClass('gauge'), Counter: metricClass('counter'), register: registry };
  const metrics = queryMetrics({ name: 'bridge' });
  const unwatch = watchPool(fakePool(), { name: 'p' });
  const unregister = registerPromClientMetrics(promClient);
  try {
    metrics.recordQuery('User', 'find', 5);
    const byName = new Map(made.map((metric) => [metric.configuration.name, metric]));
    assert.equal(byName.has('process_resident_memory_bytes'), false, 'skipped: already registered');
    assert.equal(byName.get('nodejs_heap_size_used_bytes')?.kind, 'gauge');
    assert.equal(byName.get('db_client_query_errors_total')?.kind, 'counter');
    assert.deepEqual(byName.get('db_client_pool_waiting_requests')?.configuration.labelNames, ['pool']);
    // A scrape: prom-client calls every collect() in one synchronous pass.
    for (const metric of made) metric.configuration.collect.call(metric as never);
    assert.deepEqual((byName.get('db_client_pool_waiting_requests') as unknown as { values: unknown }).values, [[{ pool: 'p' }, 2]]);
    assert.deepEqual((byName.get('db_client_query_errors_total') as unknown as { values: unknown }).values, [[{ client: 'bridge', model: 'User', operation: 'find' }, 0]]);
    // Histograms are registered in prom-client's metric format.
    const histogram = registered.get('db_client_query_duration_seconds') as { get(): Promise<{ type: string; values: { metricName: string; labels: Record<string, unknown>; value: number }[] }> };
    const value = await histogram.get();
    assert.equal(value.type, 'histogram');
    const count = value.values.find((entry) => entry.metricName === 'db_client_query_duration_seconds_count');
    assert.deepEqual(count, { metricName: 'db_client_query_duration_seconds_count', labels: { client: 'bridge', model: 'User', operation: 'find' }, value: 1 });
    assert.ok(value.values.some((entry) => entry.labels.le === '+Inf'));
  } finally {
    unregister();
    unwatch();
    metrics.stop();
  }
  assert.deepEqual([...registered.keys()], ['process_resident_memory_bytes'], 'unregister removes what it added, nothing else');
  assert.throws(() => registerPromClientMetrics({ Gauge: metricClass('gauge') }), /pass prom-client itself/);
});

test('OpenTelemetry bridge: observable instruments with attributes, durations recorded as they happen', () => {
  const instruments = new Map<string, { kind: string; callbacks: ((result: { observe(value: number, attributes?: Record<string, string>): void }) => void)[]; recorded: [number, Record<string, string> | undefined][] }>();
  const instrument = (kind: string) => (name: string) => {
    const entry = { kind, callbacks: [] as never[], recorded: [] as [number, Record<string, string> | undefined][] };
    instruments.set(name, entry);
    return {
      addCallback: (callback: never) => void entry.callbacks.push(callback),
      removeCallback: (callback: never) => void entry.callbacks.splice(entry.callbacks.indexOf(callback), 1),
      record: (value: number, attributes?: Record<string, string>) => void entry.recorded.push([value, attributes]),
    };
  };
  const meter: OtelMeterLike = { createObservableGauge: instrument('gauge'), createObservableCounter: instrument('counter'), createHistogram: instrument('histogram') };
  const metrics = queryMetrics({ name: 'otel' });
  metrics.recordQuery('User', 'find', 1); // before registration: not replayed into the histogram
  const unwatch = watchPool(fakePool(), { name: 'otel-pool' });
  const unregister = registerOpenTelemetryMetrics(meter, { processMetrics: false });
  try {
    assert.equal(instruments.has('process_resident_memory_bytes'), false);
    assert.equal(instruments.get('db_client_pool_idle_connections')?.kind, 'gauge');
    assert.equal(instruments.get('db_client_slow_queries_total')?.kind, 'counter');
    assert.equal(instruments.get('db_client_query_duration_seconds')?.kind, 'histogram');
    const observed: [number, Record<string, string> | undefined][] = [];
    for (const callback of instruments.get('db_client_pool_idle_connections')!.callbacks) callback({ observe: (value, attributes) => observed.push([value, attributes]) });
    assert.deepEqual(observed, [[1, { pool: 'otel-pool' }]]);
    metrics.recordQuery('Post', 'create', 250, true);
    metrics.recordTransaction('batch', 40);
    assert.deepEqual(instruments.get('db_client_query_duration_seconds')!.recorded, [[0.25, { client: 'otel', model: 'Post', operation: 'create' }]]);
    assert.deepEqual(instruments.get('db_client_transaction_duration_seconds')!.recorded, [[0.04, { client: 'otel', kind: 'batch' }]]);
  } finally {
    unregister();
    unwatch();
  }
  metrics.recordQuery('Post', 'create', 1);
  assert.equal(instruments.get('db_client_query_duration_seconds')!.recorded.length, 1, 'unregister stops the recording');
  assert.equal(instruments.get('db_client_pool_idle_connections')!.callbacks.length, 0);
  metrics.stop();
});

// --- The real libraries, when installed --------------------------------------------------

test('with the real prom-client: one valid exposition next to its default metrics', async (t) => {
  const promClient = optional<PromClientLike & { Registry: new () => { metrics(): Promise<string> } & PromClientLike['register']; collectDefaultMetrics(options: { register: unknown }): void }>('prom-client');
  if (!promClient) return t.skip('prom-client is not installed');
  const registry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: registry });
  const metrics = queryMetrics({ name: 'prom' });
  const unwatch = watchPool(fakePool(), { name: 'prom-pool' });
  const unregister = registerPromClientMetrics(promClient, { registry: registry! });
  try {
    metrics.recordQuery('User', 'findMany', 12);
    metrics.recordQuery('User', 'findMany', 3000, true);
    const families = parsePrometheus(await registry!.metrics());
    assert.ok(valueOf(families, 'process_resident_memory_bytes')! > 0, "prom-client's own");
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_count', { client: 'prom', model: 'User', operation: 'findMany' }), 2);
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_bucket', { client: 'prom', model: 'User', operation: 'findMany', le: '2.5' }), 1);
    assert.equal(valueOf(families, 'db_client_query_errors_total', { client: 'prom', model: 'User', operation: 'findMany' }), 1);
    assert.equal(valueOf(families, 'db_client_pool_waiting_requests', { pool: 'prom-pool' }), 2);
    assert.ok(valueOf(families, 'nodejs_array_buffers_bytes')! >= 0);
  } finally {
    unregister();
    unwatch();
    metrics.stop();
  }
  assert.equal(parsePrometheus(await registry!.metrics()).has('db_client_query_duration_seconds'), false);
});

test('with the real OpenTelemetry SDK: gauges, counters and histograms reach a metric reader', async (t) => {
  interface DataPoint {
    attributes: Record<string, string>;
    value: number | { count: number; sum: number };
  }
  interface Sdk {
    MeterProvider: new (options: { readers: unknown[] }) => { getMeter(name: string): OtelMeterLike; shutdown(): Promise<void> };
    MetricReader: new () => { collect(): Promise<{ resourceMetrics: { scopeMetrics: { metrics: { descriptor: { name: string }; dataPoints: DataPoint[] }[] }[] } }> };
  }
  const sdk = optional<Sdk>('@opentelemetry/sdk-metrics');
  if (!sdk) return t.skip('@opentelemetry/sdk-metrics is not installed');
  class TestReader extends sdk.MetricReader {
    protected async onShutdown() {}
    protected async onForceFlush() {}
  }
  const reader = new TestReader();
  const provider = new sdk.MeterProvider({ readers: [reader] });
  const metrics = queryMetrics({ name: 'otel-real' });
  const unwatch = watchPool(fakePool(), { name: 'otel-real-pool' });
  const unregister = registerOpenTelemetryMetrics(provider.getMeter('leakhound-test'));
  try {
    metrics.recordQuery('User', 'count', 20);
    metrics.recordQuery('User', 'count', 40);
    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const points = (name: string) => all.find((metric) => metric.descriptor.name === name)?.dataPoints ?? [];
    assert.ok((points('process_resident_memory_bytes')[0]?.value as number) > 0);
    assert.deepEqual(points('db_client_pool_total_connections').map((point) => [point.attributes, point.value]), [[{ pool: 'otel-real-pool' }, 3]]);
    const histogram = points('db_client_query_duration_seconds')[0]!;
    assert.deepEqual(histogram.attributes, { client: 'otel-real', model: 'User', operation: 'count' });
    assert.equal((histogram.value as { count: number }).count, 2);
    assert.ok(Math.abs((histogram.value as { sum: number }).sum - 0.06) < 1e-9);
  } finally {
    unregister();
    unwatch();
    metrics.stop();
    await provider.shutdown();
  }
});
