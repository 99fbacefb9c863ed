import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorMemory, toPrometheus, type MemoryAlert, type MemorySample } from '../../src/runtime/index.js';
import { runChild } from './child-process.js';
import { parsePrometheus, valueOf } from './prometheus-format.js';
import { gaussian, seededRandom } from './series.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const HOUR = 3_600_000;

/**
 * A monitor fed by hand: the timer is set far away (it never fires during a test) and each
 * `feed()` sets the next reading and takes a sample at a simulated time, 10 s apart.
 */
function simulated(options: Parameters<typeof monitorMemory>[0] = {}) {
  let clock = 1_000_000;
  let reading: Omit<MemorySample, 'time'> = { rss: 100 * MB, heapUsed: 50 * MB, heapTotal: 80 * MB, external: 5 * MB, arrayBuffers: 1 * MB };
  const alerts: MemoryAlert[] = [];
  const monitor = monitorMemory({
    intervalMs: HOUR,
    limitBytes: 1 * GB,
    heapLimitBytes: 1 * GB,
    onAlert: (alert) => alerts.push(alert),
    readMemory: () => reading,
    now: () => clock,
    ...options,
    trend: { warmupMs: 0, ...options.trend },
  });
  return {
    monitor,
    alerts,
    feed(next: Partial<Omit<MemorySample, 'time'>>) {
      clock += 10_000;
      reading = { ...reading, ...next };
      return monitor.sampleNow();
    },
  };
}

test('levels follow RSS against the memory limit and used heap against the heap limit, with an alert per change', () => {
  const { monitor, alerts, feed } = simulated();
  try {
    assert.equal(feed({ rss: 500 * MB }).level, 'healthy');
    assert.equal(alerts.length, 0);
    const warning = feed({ rss: 750 * MB });
    assert.equal(warning.level, 'warning');
    assert.deepEqual(warning.reasons, ['RSS 750 MB is 73% of the 1024 MB memory limit (explicit) (warning at 70%)']);
    assert.equal(feed({ rss: 760 * MB }).level, 'warning');
    assert.equal(alerts.length, 1, 'no new alert while the level stays');
    const critical = feed({ rss: 900 * MB, heapUsed: 950 * MB });
    assert.equal(critical.level, 'critical');
    assert.equal(critical.reasons.length, 2);
    assert.match(critical.reasons[1]!, /used heap 950 MB is 93% of the 1024 MB heap limit \(critical at 85%\)/);
    feed({ rss: 100 * MB, heapUsed: 40 * MB });
    assert.deepEqual(
      alerts.map((alert) => [alert.type, alert.previousLevel, alert.level]),
      [
        ['level', 'healthy', 'warning'],
        ['level', 'warning', 'critical'],
        ['level', 'critical', 'healthy'],
      ],
    );
    assert.equal(alerts[2]!.message, 'memory is healthy again (was critical)');
    assert.ok(Math.abs(monitor.status().rssRatio - 100 / 1024) < 1e-9);
  } finally {
    monitor.stop();
  }
});

test('thresholds are configurable', () => {
  const { monitor, feed } = simulated({ thresholds: { rss: { warning: 0.2, critical: 0.3 }, heapUsed: { warning: 0.99, critical: 0.999 } } });
  try {
    assert.equal(feed({ rss: 250 * MB }).level, 'warning');
    assert.equal(feed({ rss: 350 * MB }).level, 'critical');
    assert.equal(feed({ rss: 10 * MB, heapUsed: 900 * MB }).level, 'healthy');
  } finally {
    monitor.stop();
  }
});

test('a steady RSS leak is reported once, with its rate and the time left, and exported', () => {
  const noise = gaussian(seededRandom(21));
  const { monitor, alerts, feed } = simulated({ windowSize: 60, trend: { minSamples: 20, horizonMs: 24 * HOUR } });
  try {
    let rss = 200 * MB;
    for (let i = 0; i < 18; i++) feed({ rss: (rss += 2 * MB) + noise() * MB });
    assert.equal(monitor.status().trend.rss, undefined, 'no verdict before minSamples (19 samples with the first)');
    for (let i = 0; i < 41; i++) feed({ rss: (rss += 2 * MB) + noise() * MB });
    const leaks = alerts.filter((alert) => alert.type === 'leak');
    assert.equal(leaks.length, 1, 'one alert per episode');
    const trend = leaks[0]!.trend!;
    assert.equal(trend.series, 'rss');
    // 2 MB every 10 s = 0.2 MB/s.
    assert.ok(Math.abs(trend.bytesPerSecond - 0.2 * MB) / (0.2 * MB) < 0.1, `${trend.bytesPerSecond / MB} MB/s`);
    assert.ok(trend.bytesPerSecondLow <= trend.bytesPerSecond && trend.bytesPerSecond <= trend.bytesPerSecondHigh);
    assert.ok(trend.secondsToLimit.earliest <= trend.secondsToLimit.estimate && trend.secondsToLimit.estimate <= trend.secondsToLimit.latest);
    assert.match(leaks[0]!.message, /possible memory leak: RSS grows by 7\d\d MB\/h .* reaches its 1024 MB limit in \d+ min/);
    const status = monitor.status();
    assert.equal(status.leakSuspected, true);
    // (limit − level now) / rate, with the level read off the fitted line.
    const expected = (1 * GB - rss) / (0.2 * MB);
    assert.ok(Math.abs(status.trend.rss!.secondsToLimit.estimate - expected) / expected < 0.15, `${status.trend.rss!.secondsToLimit.estimate} s vs ${expected} s`);

    const families = parsePrometheus(toPrometheusWithoutProcess());
    assert.equal(valueOf(families, 'leakhound_memory_leak_suspected', { series: 'rss' }), 1);
    assert.equal(valueOf(families, 'leakhound_memory_limit_bytes', { source: 'explicit' }), 1 * GB);
    assert.equal(valueOf(families, 'leakhound_memory_status'), 0);
    assert.ok(Math.abs(valueOf(families, 'leakhound_memory_growth_bytes_per_second', { series: 'rss' })! - 0.2 * MB) < 0.03 * MB);
    assert.equal(valueOf(families, 'leakhound_memory_seconds_to_limit', { series: 'heap_used' }), Number.POSITIVE_INFINITY, 'the heap does not grow');
  } finally {
    monitor.stop();
  }
  assert.equal(parsePrometheus(toPrometheusWithoutProcess()).has('leakhound_memory_status'), false, 'stop() leaves the export');
});

test('a leak too slow to reach the limit within the horizon is a trend, not an alert', () => {
  const { monitor, alerts, feed } = simulated({ windowSize: 60, trend: { minSamples: 20, horizonMs: 1 * HOUR } });
  try {
    let rss = 200 * MB;
    for (let i = 0; i < 60; i++) feed({ rss: (rss += 0.05 * MB) });
    const trend = monitor.status().trend.rss!;
    assert.equal(trend.result.direction, 'rising');
    assert.ok(trend.secondsToLimit.estimate > 3600, `${trend.secondsToLimit.estimate} s`);
    assert.equal(trend.leakSuspected, false);
    assert.equal(alerts.filter((alert) => alert.type === 'leak').length, 0);
  } finally {
    monitor.stop();
  }
});

test('the heap is judged by its post-GC floor: a sawtooth is fine, a rising floor is a leak', () => {
  const noise = gaussian(seededRandom(8));
  const sawtooth = (floorGrowth: number) => {
    const { monitor, alerts, feed } = simulated({ windowSize: 120, trend: { minSamples: 60, horizonMs: 24 * HOUR } });
    try {
      for (let i = 0; i < 120; i++) feed({ heapUsed: 100 * MB + (i % 8) * 40 * MB + i * floorGrowth + noise() * MB });
      return { alerts: alerts.filter((alert) => alert.type === 'leak'), trend: monitor.status().trend.heapUsed! };
    } finally {
      monitor.stop();
    }
  };
  const healthy = sawtooth(0);
  assert.equal(healthy.alerts.length, 0, `slope ${healthy.trend.bytesPerSecond} B/s, p ${healthy.trend.result.pValue}`);
  const leaking = sawtooth(1 * MB);
  assert.equal(leaking.alerts.length, 1);
  assert.equal(leaking.alerts[0]!.trend!.series, 'heapUsed');
  assert.ok(Math.abs(leaking.trend.bytesPerSecond - 0.1 * MB) / (0.1 * MB) < 0.2, `${leaking.trend.bytesPerSecond / MB} MB/s`);
});

test('samples taken during warm-up are left out of the trend, not of the levels', () => {
  const { monitor, feed } = simulated({ trend: { minSamples: 10, warmupMs: 24 * HOUR } });
  try {
    let rss = 100 * MB;
    for (let i = 0; i < 30; i++) feed({ rss: (rss += 22 * MB) });
    const status = monitor.status();
    assert.equal(status.trend.rss, undefined);
    assert.equal(status.samples, 31, 'one at start and thirty fed');
    assert.equal(status.level, 'warning');
  } finally {
    monitor.stop();
  }
});

test('the window is bounded, samples are copies, and a throwing onAlert does not stop the monitor', () => {
  const logged: string[] = [];
  let clock = 0;
  let rss = 100 * MB;
  const monitor = monitorMemory({
    intervalMs: HOUR,
    windowSize: 8,
    limitBytes: 1 * GB,
    readMemory: () => ({ rss, heapUsed: 1, heapTotal: 2, external: 3, arrayBuffers: 4 }),
    now: () => (clock += 1000),
    onAlert: () => {
      throw new Error('alert sink down');
    },
    logger: { warn: (message) => logged.push(message) },
  });
  try {
    for (let i = 0; i < 20; i++) monitor.sampleNow();
    const samples = monitor.samples();
    assert.equal(samples.length, 8);
    // The clock is read once at start (for the warm-up) and once per sample: 22 reads.
    assert.deepEqual(samples[7], { time: 22_000, rss: 100 * MB, heapUsed: 1, heapTotal: 2, external: 3, arrayBuffers: 4 });
    rss = 1000 * MB;
    assert.equal(monitor.sampleNow().level, 'critical');
    assert.match(logged[0]!, /memory monitor onAlert failed: Error: alert sink down/);
    rss = 100 * MB;
    assert.equal(monitor.sampleNow().level, 'healthy');
  } finally {
    monitor.stop();
  }
  assert.equal(monitor.running, false);
  assert.deepEqual(monitor.samples(), []);
  assert.equal(monitor.status().sample, undefined);
  monitor.stop(); // idempotent
});

test('the default onAlert logs through the logger, and real process memory is read by default', () => {
  const logged: string[] = [];
  const monitor = monitorMemory({ intervalMs: HOUR, limitBytes: 1, logger: { warn: (message) => logged.push(message) } });
  try {
    const status = monitor.status();
    assert.equal(status.samples, 1, 'one sample at start');
    assert.ok(status.sample!.rss > 0 && status.sample!.heapUsed > 0 && status.sample!.heapTotal >= status.sample!.heapUsed);
    assert.equal(status.level, 'critical', 'any process is above a 1-byte limit');
    assert.match(logged[0]!, /^memory critical: RSS .* of the 0\.0 MB memory limit \(explicit\)/);
  } finally {
    monitor.stop();
  }
  assert.throws(() => monitorMemory({ intervalMs: 0 }), RangeError);
});

test('the timer does not keep an idle process alive', async () => {
  const result = await runChild('monitor-child', { env: { SCENARIO: 'idle' } });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.lines.includes('monitor started'));
  // It ran for a while before exiting: the timer did fire, unref'd.
  assert.ok(result.lines.includes('ticks seen'), result.lines.join('\n'));
});

test('a real leak in a real process is detected from its heap floor; garbage that is freed is not', async () => {
  const leaking = await runChild('monitor-child', { env: { SCENARIO: 'leak' }, timeoutMs: 60_000 });
  assert.equal(leaking.code, 0, leaking.stderr);
  // RSS may be reported too; the heap floor must be.
  assert.ok(leaking.lines.some((line) => line.startsWith('leak heapUsed ')), leaking.lines.join('\n'));
  assert.ok(leaking.lines.includes('found'));

  const healthy = await runChild('monitor-child', { env: { SCENARIO: 'garbage' }, timeoutMs: 60_000 });
  assert.equal(healthy.code, 0, healthy.stderr);
  assert.equal(
    healthy.lines.filter((line) => line.startsWith('leak heapUsed')).length,
    0,
    healthy.lines.join('\n'),
  );
  assert.ok(healthy.lines.includes('done'), healthy.lines.join('\n'));
});

function toPrometheusWithoutProcess(): string {
  return toPrometheus({ processMetrics: false });
}
