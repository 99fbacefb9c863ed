import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChild } from './child-process.js';

// leakhound/runtime is tested for the leaks it exists to find: each check runs in a child
// process started with --expose-gc, so that full collections can be forced and the heap read.

function values(lines: string[]): Map<string, string> {
  return new Map(lines.map((line) => line.split(' ') as [string, string]));
}

test('a million recorded queries leave the heap where it was (bounded series, bounded slow-query log)', async () => {
  const result = await runChild('leak-child', { env: { SCENARIO: 'queries' }, nodeArgs: ['--expose-gc'], timeoutMs: 120_000 });
  assert.equal(result.code, 0, result.stderr);
  const out = values(result.lines);
  assert.equal(out.get('recorded'), '1100000');
  assert.equal(out.get('series'), '51', '50 series and the folded __other__');
  assert.equal(out.get('slow-log'), '100');
  assert.equal(out.get('export-series-growth'), '0', 'no new series in the export, only larger counts');
  const growth = Number(out.get('heap-growth'));
  // Fixed-size state: what remains is noise (JIT code, caches). 1 MB would be ~1 byte per query.
  assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes over 1,000,000 queries`);
  assert.equal(out.get('metrics-alive-while-referenced'), 'true');
});

test('a stopped memory monitor is collected; a running one is kept alive only by its own timer', async () => {
  const result = await runChild('leak-child', { env: { SCENARIO: 'monitor' }, nodeArgs: ['--expose-gc'] });
  assert.equal(result.code, 0, result.stderr);
  const out = values(result.lines);
  assert.equal(out.get('stopped-monitor-collected'), 'true');
  // The control: without stop() the monitor is still reachable — the check above can fail.
  assert.equal(out.get('running-monitor-collected'), 'false');
  assert.equal(out.get('after-stop-collected'), 'true');
});

test('tracking thousands of short-lived clients keeps no record of the collected ones', async () => {
  const result = await runChild('leak-child', { env: { SCENARIO: 'tracker' }, nodeArgs: ['--expose-gc'], timeoutMs: 120_000 });
  assert.equal(result.code, 0, result.stderr);
  const out = values(result.lines);
  assert.equal(out.get('records-left'), '0');
  const growth = Number(out.get('heap-growth'));
  // 20,000 clients: 512 KB would be 26 bytes each. Measured: ~90 KB, the same for 40,000.
  assert.ok(growth < 512 * 1024, `heap grew by ${growth} bytes over 20,000 clients`);
});
