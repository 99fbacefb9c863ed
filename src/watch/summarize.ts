/**
 * The summary of a run: the figures `compare` puts side by side and the report states up
 * front. Pure (run data in, numbers out), so it is computed the same way when a run is written
 * and when an old run file is re-read.
 */
import { analyzeTrend, blockMinima, timeToLimit } from '../runtime/trend.js';
import type { ClientSiteCount, ConnectionTimeline, MemoryFigures, RunClient, RunFile, RunMemorySample, RunSummary, TrendSummary } from './run-file.js';

const SERIES = ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const;

/** A point of the program's memory: the program processes' latest readings added up. */
export interface ProgramPoint extends MemoryFigures {
  t: number;
}

/**
 * The program's memory over time. A run may contain several Node processes (`npm start`
 * starts npm, which starts the server); wrappers are left out and the others are added up on
 * the time grid of the sampling interval, each process counting with its latest reading.
 */
export function programSeries(run: Pick<RunFile, 'processes' | 'samples' | 'intervalMs'>): ProgramPoint[] {
  const program = new Set(run.processes.filter((p) => p.role === 'program').map((p) => p.pid));
  // A run whose only processes are wrappers (the program is not Node) still has a series.
  const samples = run.samples.filter((s) => program.size === 0 || program.has(s.pid));
  const pids = new Set(samples.map((s) => s.pid));
  if (pids.size <= 1) return samples.map(({ pid: _pid, ...point }) => point);
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const ended = new Map(run.processes.map((p) => [p.pid, p.endedAt]));
  const latest = new Map<number, RunMemorySample>();
  const points: ProgramPoint[] = [];
  const step = Math.max(1, run.intervalMs);
  let next = 0;
  const emit = (t: number) => {
    const point: ProgramPoint = { t, rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
    for (const [pid, sample] of latest) {
      const end = ended.get(pid);
      if (end !== null && end !== undefined && end < t) continue;
      for (const key of SERIES) point[key] += sample[key];
    }
    points.push(point);
  };
  for (const sample of sorted) {
    while (sample.t >= next + step && latest.size > 0) {
      next += step;
      emit(next);
    }
    if (latest.size === 0) next = sample.t;
    latest.set(sample.pid, sample);
  }
  if (latest.size > 0) emit(sorted.at(-1)!.t);
  return points;
}

/** The summary of a run from its data. */
export function summarizeRun(run: Pick<RunFile, 'processes' | 'samples' | 'intervalMs' | 'clients' | 'connections' | 'limit' | 'load'>): RunSummary {
  const series = programSeries(run);
  const zero: MemoryFigures = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const start = series[0] ? pick(series[0]) : zero;
  const peak = { ...zero };
  for (const point of series) for (const key of SERIES) peak[key] = Math.max(peak[key], point[key]);
  const tail = series.slice(Math.floor((series.length * 2) / 3));
  const steady = { ...zero };
  for (const key of SERIES) steady[key] = median(tail.map((p) => p[key]));
  return {
    samples: series.length,
    memory: { start, peak, steady },
    trend: {
      rss: trendOf(series, 'rss', run.limit?.bytes ?? null, trendWindowStart(series, run.load)),
      heapUsed: trendOf(series, 'heapUsed', null, trendWindowStart(series, run.load)),
    },
    clients: summarizeClients(run.clients),
    connections: summarizeConnections(run.connections),
  };
}

function pick(point: ProgramPoint): MemoryFigures {
  return { rss: point.rss, heapUsed: point.heapUsed, heapTotal: point.heapTotal, external: point.external, arrayBuffers: point.arrayBuffers };
}

/**
 * Where the trend analysis starts: start-up is not a leak (modules loading, Prisma compiling
 * its wasm query compiler on the first query, pools filling), so it is left out — up to 10 %
 * into the load when a load ran, else the first 20 % of the run.
 */
export function trendWindowStart(series: ProgramPoint[], load: RunFile['load']): number {
  const first = series[0]?.t ?? 0;
  const last = series.at(-1)?.t ?? first;
  if (load) {
    const end = load.endedAt ?? last;
    return Math.min(last, load.startedAt + 0.1 * Math.max(0, end - load.startedAt));
  }
  return first + 0.2 * (last - first);
}

/**
 * The points the trend is fitted to, times in seconds: the floor of the GC sawtooth (block
 * minima, ~15 blocks over the window), from `fromMs` on. A leak raises the floor; a busy but
 * healthy process only the teeth. Short windows keep every sample.
 */
function trendFloor(series: ProgramPoint[], key: 'rss' | 'heapUsed', fromMs: number): { times: number[]; values: number[] } {
  const window = series.filter((p) => p.t >= fromMs);
  const times = window.map((p) => p.t / 1000);
  const values = window.map((p) => p[key]);
  return window.length >= 30 ? blockMinima(times, values, Math.floor(window.length / 15)) : { times, values };
}

function trendOf(series: ProgramPoint[], key: 'rss' | 'heapUsed', limit: number | null, fromMs: number): TrendSummary {
  const floor = trendFloor(series, key, fromMs);
  const result = analyzeTrend(floor.times, floor.values, { minSamples: 6 });
  let secondsToLimit: number | null = null;
  if (limit !== null && result.direction === 'rising' && series.length > 0) {
    const estimate = timeToLimit(result, series.at(-1)!.t / 1000, limit).estimate;
    secondsToLimit = Number.isFinite(estimate) ? estimate : null;
  }
  return {
    series: key,
    direction: result.direction,
    slopePerSecond: finite(result.slope),
    slopeLowPerSecond: finite(result.slopeLow),
    slopeHighPerSecond: finite(result.slopeHigh),
    pValue: finite(result.pValue, 1),
    n: result.n,
    secondsToLimit,
    windowStartMs: fromMs,
    intercept: finite(result.intercept),
  };
}

function summarizeClients(clients: RunClient[]): RunSummary['clients'] {
  const own = clients.filter((c) => c.owner === null);
  const byLibrary: Record<string, number> = {};
  for (const client of own) byLibrary[client.library] = (byLibrary[client.library] ?? 0) + 1;
  // Most open at once: +1 at creation, −1 at close, in time order (closes first on ties).
  const events = own.flatMap((c) => (c.closedAt === null ? [{ t: c.t, d: 1 }] : [{ t: c.t, d: 1 }, { t: c.closedAt, d: -1 }]));
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let maxOpen = 0;
  for (const event of events) {
    open += event.d;
    maxOpen = Math.max(maxOpen, open);
  }
  const sites = new Map<string, ClientSiteCount>();
  for (const client of own) {
    const site = client.stack[0] ?? 'unknown';
    const id = `${client.library}\0${client.type}\0${site}`;
    const entry = sites.get(id) ?? { library: client.library, type: client.type, site, count: 0 };
    entry.count++;
    sites.set(id, entry);
  }
  return {
    created: own.length,
    byLibrary,
    maxOpen,
    openAtEnd: own.filter((c) => c.state === 'open').length,
    sites: [...sites.values()].sort((a, b) => b.count - a.count || a.site.localeCompare(b.site)),
  };
}

function summarizeConnections(timeline: ConnectionTimeline | null): RunSummary['connections'] {
  if (timeline === null || !timeline.supported || timeline.samples.length === 0) return null;
  const totals = timeline.samples.map((s) => s.total);
  // A loop, not Math.max(...totals): a day of samples is more arguments than a call takes.
  const peak = totals.reduce((max, total) => Math.max(max, total), 0);
  const steady = median(totals.slice(Math.floor((totals.length * 2) / 3)));
  return { baseline: timeline.baseline, peak, steady, peakAboveBaseline: timeline.baseline === null ? null : Math.max(0, peak - timeline.baseline) };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function finite(value: number, fallback = 0): number {
  return Number.isFinite(value) ? value : fallback;
}
