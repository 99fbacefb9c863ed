/**
 * A child process for the memory-monitor tests: a monitor running in a real process that
 * leaks, churns garbage, or sits idle.
 */
import { writeSync } from 'node:fs';
import { monitorMemory } from '../../../src/runtime/index.js';

const say = (line: string) => writeSync(1, `${line}\n`);
const scenario = process.env.SCENARIO ?? '';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (scenario === 'idle') {
  const monitor = monitorMemory({ intervalMs: 20, onAlert: () => undefined });
  say('monitor started');
  // One ref'd timer lets a few ticks happen; after it, nothing but the monitor's timer is
  // left, and the process must exit on its own.
  setTimeout(() => {
    if (monitor.samples().length > 1) say('ticks seen');
  }, 200);
} else {
  const leak = scenario === 'leak';
  const retained: number[][] = [];
  let last: number[] = [];
  const allocate = () => {
    const chunk = new Array<number>(8192).fill(retained.length);
    if (leak) retained.push(chunk);
    else last = chunk;
  };
  // Warm up first (code compiled, heap sized), as a service would be before a leak shows.
  const warmup = setInterval(() => {
    last = new Array<number>(8192).fill(1);
  }, 2);
  await sleep(300);
  clearInterval(warmup);
  let found = false;
  const monitor = monitorMemory({
    intervalMs: 20,
    windowSize: 90,
    trend: { minSamples: 45, warmupMs: 0, horizonMs: 3_600_000 },
    onAlert: (alert) => {
      if (alert.type !== 'leak' || !alert.trend) return;
      say(`leak ${alert.trend.series} ${(alert.trend.bytesPerSecond / 1048576).toFixed(1)} MB/s p=${alert.trend.result.pValue.toExponential(1)}`);
      if (alert.trend.series === 'heapUsed') found = true;
    },
  });
  const work = setInterval(allocate, 2);
  const deadline = Date.now() + (leak ? 15_000 : 3_000);
  while (!found && Date.now() < deadline) await sleep(50);
  clearInterval(work);
  monitor.stop();
  say(found ? 'found' : 'done');
  void last;
}
