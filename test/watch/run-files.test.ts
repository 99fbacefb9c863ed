/** The synthetic run files the report tests draw: valid by the contract, and shaped like the real thing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunFile } from '../../src/watch/run-file.js';
import { programSeries } from '../../src/watch/summarize.js';
import { MB, syntheticRun } from '../helpers/run-files.js';

test('synthetic run files pass parseRunFile in every variant', () => {
  for (const options of [
    { variant: 'leaky' as const },
    { variant: 'fixed' as const },
    { variant: 'leaky' as const, programs: 2 as const, connections: 'unsupported' as const, limitBytes: null },
    { variant: 'fixed' as const, connections: 'none' as const, durationMs: 5000 },
  ]) {
    const run = syntheticRun(options);
    assert.deepEqual(parseRunFile(JSON.stringify(run), 'synthetic.json'), run, JSON.stringify(options));
  }
});

test('the leaky run rises and creates a client per request; the fixed one is flat with one of each', () => {
  const leaky = syntheticRun({ variant: 'leaky', programs: 2 });
  const fixed = syntheticRun({ variant: 'fixed', programs: 2 });
  assert.equal(leaky.summary.trend.rss.direction, 'rising');
  assert.equal(leaky.summary.trend.heapUsed.direction, 'rising');
  assert.equal(fixed.summary.trend.rss.direction, 'flat');
  assert.ok(leaky.summary.clients.created > 100);
  assert.deepEqual(fixed.summary.clients.byLibrary, { prisma: 1, ioredis: 1 });
  // Prisma's own pg pools are not the application's clients.
  assert.equal(leaky.clients.filter((c) => c.owner !== null).length, leaky.summary.clients.byLibrary.prisma);
  assert.ok(leaky.summary.connections!.peak > fixed.summary.connections!.peak);
  // Several processes: the wrapper (npm) is sampled but left out of the program's memory.
  assert.equal(new Set(leaky.samples.map((s) => s.pid)).size, 3);
  const single = syntheticRun({ variant: 'fixed' });
  const wrapper = single.processes.find((p) => p.role === 'wrapper')!.pid;
  assert.equal(programSeries(single).length, single.samples.filter((s) => s.pid !== wrapper).length);
  assert.ok(programSeries(single)[0]!.rss > 60 * MB);
  assert.ok(leaky.clients.some((c) => c.stack.some((frame) => frame.includes('<') && frame.includes('&'))));
});
