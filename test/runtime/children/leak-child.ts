/**
 * Leak checks of leakhound/runtime itself, run with --expose-gc. Prints `name value` lines.
 */
import { writeSync } from 'node:fs';
import { monitorMemory, queryMetrics, toPrometheus, trackClients, trackedClients } from '../../../src/runtime/index.js';

const say = (line: string) => writeSync(1, `${line}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Used heap after full collections, the smallest of a few readings. */
async function heapAfterGc(): Promise<number> {
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    await tick();
    gc!();
    smallest = Math.min(smallest, process.memoryUsage().heapUsed);
  }
  return smallest;
}

const scenario = process.env.SCENARIO;

if (scenario === 'queries') {
  const metrics = queryMetrics({ name: 'leak', slowQueryMs: 5, slowQueryLogSize: 100, maxSeries: 50 });
  // The real extension, on a stand-in client that hands back what $extends receives.
  let allOperations: ((params: { model?: string; operation: string; args: unknown; query: (args: unknown) => Promise<unknown> }) => PromiseLike<unknown>) | undefined;
  metrics.prismaExtension({
    $transaction: () => undefined,
    $extends(extension: { query: { $allOperations: typeof allOperations } }) {
      allOperations = extension.query.$allOperations;
      return this;
    },
  });
  const models = Array.from({ length: 80 }, (_, i) => `Model${i}`);
  const operations = ['findMany', 'findUnique', 'create', 'update', 'delete', 'count', 'aggregate'];
  const result = Promise.resolve({ id: 1 });
  const query = () => result;
  const record = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const model = models[i % models.length];
      const operation = operations[i % operations.length]!;
      // Half through the extension's promise path, half through recordQuery directly.
      if (i % 2 === 0) await allOperations!({ model, operation, args: { where: { id: i } }, query });
      else metrics.recordQuery(model, operation, i % 1000 === 1 ? 50 : (i % 37) / 10, i % 997 === 0);
    }
  };
  await record(100_000); // warm-up: every series and the whole slow log exist after this
  const seriesInExport = () => toPrometheus({ processMetrics: false }).split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  const exportBefore = seriesInExport();
  const before = await heapAfterGc();
  await record(1_000_000);
  const after = await heapAfterGc();
  const snapshot = metrics.snapshot();
  say(`recorded ${snapshot.queries.reduce((sum, series) => sum + series.count, 0)}`);
  say(`series ${snapshot.queries.length}`);
  say(`slow-log ${snapshot.slowQueries.length}`);
  say(`export-series-growth ${seriesInExport() - exportBefore}`);
  say(`heap-growth ${after - before}`);
  // stop() leaves nothing reachable from the export.
  const ref = new WeakRef(metrics);
  metrics.stop();
  await heapAfterGc();
  say(`metrics-alive-while-referenced ${ref.deref() !== undefined}`);
}

if (scenario === 'monitor') {
  let stopped: ReturnType<typeof monitorMemory> | undefined = monitorMemory({ intervalMs: 5, windowSize: 500 });
  let running: ReturnType<typeof monitorMemory> | undefined = monitorMemory({ intervalMs: 5, windowSize: 500 });
  const stoppedRef = new WeakRef(stopped);
  const runningRef = new WeakRef(running);
  await new Promise((resolve) => setTimeout(resolve, 100));
  stopped.stop();
  stopped = undefined;
  running = undefined; // dropped but NOT stopped: its timer still holds it
  await heapAfterGc();
  say(`stopped-monitor-collected ${stoppedRef.deref() === undefined}`);
  say(`running-monitor-collected ${runningRef.deref() === undefined}`);
  runningRef.deref()?.stop();
  await heapAfterGc();
  say(`after-stop-collected ${runningRef.deref() === undefined}`);
}

if (scenario === 'tracker') {
  const pg = (await import('pg')).default;
  const tracker = trackClients({ onTooMany: () => undefined });
  // Batches of a thousand with collections in between, as a per-request client would be
  // created and dropped: what is measured is what stays per client, not the peak (V8's weak
  // tables keep the capacity their peak needed, whatever the total).
  const churn = async (count: number) => {
    for (let batch = 0; batch < count / 1000; batch++) {
      for (let i = 0; i < 1000; i++) new pg.Pool({ connectionString: 'postgresql://127.0.0.1:1/none' });
      await tick();
      gc!();
      await tick();
    }
  };
  await churn(2_000);
  const before = await heapAfterGc();
  await churn(Number(process.env.CHURN ?? 20_000));
  const after = await heapAfterGc();
  await tick();
  say(`records-left ${trackedClients({ includeClosed: true, includeInternal: true }).length}`);
  say(`heap-growth ${after - before}`);
  tracker.stop();
}
