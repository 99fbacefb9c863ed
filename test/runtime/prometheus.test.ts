import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectMetrics, METRIC_DEFINITIONS } from '../../src/runtime/metrics.js';
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE, toPrometheus } from '../../src/runtime/prometheus.js';
import { queryMetrics } from '../../src/runtime/query-metrics.js';
import { monitorMemory } from '../../src/runtime/monitor-memory.js';
import { watchPool } from '../../src/runtime/pool-metrics.js';
import { parsePrometheus, valueOf } from './prometheus-format.js';

test('process memory is exported under the names of prom-client default metrics', () => {
  const families = parsePrometheus(toPrometheus());
  for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes', 'nodejs_array_buffers_bytes']) {
    const family = families.get(name);
    assert.equal(family?.type, 'gauge', name);
    assert.ok(family.samples[0]!.value > 0, `${name} has a value`);
  }
  assert.equal(families.get('process_resident_memory_bytes')?.help, 'Resident memory size in bytes.');
  assert.equal(PROMETHEUS_CONTENT_TYPE, 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(parsePrometheus(toPrometheus({ processMetrics: false })).has('process_resident_memory_bytes'), false);
});

test('query metrics become a valid histogram with cumulative buckets, errors and slow counters', () => {
  const metrics = queryMetrics({ name: 'main', slowQueryMs: 100 });
  try {
    const durations = [0.5, 2, 2, 7, 40, 150, 900, 12_000];
    for (const ms of durations) metrics.recordQuery('User', 'findMany', ms);
    metrics.recordQuery('User', 'create', 3, true);
    metrics.recordQuery(undefined, '$queryRaw', 30);
    metrics.recordTransaction('interactive', 55);
    metrics.recordTransaction('batch', 8, true);
    const families = parsePrometheus(toPrometheus({ processMetrics: false }));
    const labels = { client: 'main', model: 'User', operation: 'findMany' };
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_count', labels), durations.length);
    assert.ok(Math.abs(valueOf(families, 'db_client_query_duration_seconds_sum', labels)! - durations.reduce((a, b) => a + b) / 1000) < 1e-9);
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_bucket', { ...labels, le: '0.001' }), 1);
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_bucket', { ...labels, le: '0.0025' }), 3, 'cumulative');
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_bucket', { ...labels, le: '10' }), 7);
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_bucket', { ...labels, le: '+Inf' }), 8, '12 s lands above the largest bound');
    assert.equal(valueOf(families, 'db_client_slow_queries_total', labels), 3);
    assert.equal(valueOf(families, 'db_client_query_errors_total', { client: 'main', model: 'User', operation: 'create' }), 1);
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_count', { client: 'main', model: '', operation: '$queryRaw' }), 1, 'raw queries have an empty model');
    assert.equal(valueOf(families, 'db_client_transaction_duration_seconds_count', { client: 'main', kind: 'interactive' }), 1);
    assert.equal(valueOf(families, 'db_client_transaction_errors_total', { client: 'main', kind: 'batch' }), 1);
    assert.equal(families.get('db_client_slow_queries_total')?.type, 'counter');
  } finally {
    metrics.stop();
  }
  assert.equal(parsePrometheus(toPrometheus({ processMetrics: false })).has('db_client_query_duration_seconds'), false, 'stop() leaves the export');
});

test('label values are escaped (backslash, quote, newline) and read back unchanged', () => {
  const name = 'we"ird\\client\nname';
  const metrics = queryMetrics({ name });
  try {
    metrics.recordQuery('Model"X', 'find\\Many', 1);
    const text = toPrometheus({ processMetrics: false });
    assert.ok(text.includes('client="we\\"ird\\\\client\\nname"'), text);
    const families = parsePrometheus(text);
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_count', { client: name, model: 'Model"X', operation: 'find\\Many' }), 1);
  } finally {
    metrics.stop();
  }
});

test('two sources with the same labels: counts are added up, a gauge is reported once', () => {
  const a = queryMetrics({ name: 'same' });
  const b = queryMetrics({ name: 'same' });
  try {
    a.recordQuery('User', 'count', 1);
    b.recordQuery('User', 'count', 2);
    b.recordQuery('User', 'count', 3);
    const families = parsePrometheus(toPrometheus({ processMetrics: false }));
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_count', { client: 'same', model: 'User', operation: 'count' }), 3);
  } finally {
    a.stop();
    b.stop();
  }
  // Two memory monitors know the same limit: it must not be exported as twice the limit.
  const first = monitorMemory({ intervalMs: 3_600_000, limitBytes: 512 * 1024 * 1024 });
  const second = monitorMemory({ intervalMs: 3_600_000, limitBytes: 512 * 1024 * 1024 });
  try {
    const families = parsePrometheus(toPrometheus({ processMetrics: false }));
    assert.equal(valueOf(families, 'leakhound_memory_limit_bytes', { source: 'explicit' }), 512 * 1024 * 1024);
  } finally {
    first.stop();
    second.stop();
  }
});

test('watched pools export their counters, numbered when two share a name', () => {
  const pool = (total: number, idle: number, waiting: number) => ({ totalCount: total, idleCount: idle, waitingCount: waiting, options: { max: 10 } });
  const first = pool(4, 1, 0);
  const second = pool(10, 0, 7);
  const unwatchFirst = watchPool(first, { name: 'main' });
  const unwatchSecond = watchPool(second, { name: 'main' });
  try {
    const families = parsePrometheus(toPrometheus({ processMetrics: false }));
    assert.equal(valueOf(families, 'db_client_pool_total_connections', { pool: 'main' }), 4);
    assert.equal(valueOf(families, 'db_client_pool_waiting_requests', { pool: 'main#2' }), 7);
    assert.equal(valueOf(families, 'db_client_pool_max_connections', { pool: 'main' }), 10);
    // An ended pool leaves on its own.
    Object.assign(second, { ended: true });
    assert.equal(valueOf(parsePrometheus(toPrometheus({ processMetrics: false })), 'db_client_pool_total_connections', { pool: 'main#2' }), undefined);
  } finally {
    unwatchFirst();
    unwatchSecond();
  }
  assert.equal(parsePrometheus(toPrometheus({ processMetrics: false })).has('db_client_pool_total_connections'), false);
});

test('special values use the spellings Prometheus parses', () => {
  const text = formatPrometheus([
    { name: 'leakhound_memory_seconds_to_limit', help: 'a\\b\nc', type: 'gauge', labelNames: ['series'], samples: [{ labels: { series: 'rss' }, value: Number.POSITIVE_INFINITY }, { labels: { series: 'heap_used' }, value: Number.NaN }] },
  ]);
  assert.equal(text, '# HELP leakhound_memory_seconds_to_limit a\\\\b\\nc\n# TYPE leakhound_memory_seconds_to_limit gauge\nleakhound_memory_seconds_to_limit{series="rss"} +Inf\nleakhound_memory_seconds_to_limit{series="heap_used"} NaN\n');
  parsePrometheus(text);
  assert.equal(formatPrometheus([]), '');
});

test('every metric definition has a valid name, a help text, and counters end in _total', () => {
  for (const [name, definition] of Object.entries(METRIC_DEFINITIONS)) {
    assert.match(name, /^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
    assert.ok(definition.help.length > 10, name);
    if (definition.type === 'counter') assert.match(name, /_total$/);
    if (definition.type === 'histogram') assert.match(name, /_seconds$/);
  }
  // collectMetrics returns families in definition order, each at most once.
  const names = collectMetrics().map((family) => family.name);
  assert.deepEqual(names, [...new Set(names)]);
});
