/**
 * Synthetic run files, shaped like what `leakhound watch` records for the classic field
 * report: an API behind `npm start` that creates a `new PrismaClient()` per request (leaky),
 * and the same API after the fix, with one shared client (fixed). Deterministic (seeded), so
 * a failure reproduces exactly; the summary is computed by the real `summarizeRun`.
 *
 * Stacks, the label, the command and a warning contain `<`, `&` and quotes on purpose: every
 * reader of a run file must escape them.
 */
import { summarizeRun } from '../../src/watch/summarize.js';
import { RUN_FILE_KIND, RUN_FILE_SCHEMA_VERSION, type ConnectionTimeline, type RunClient, type RunFile, type RunMemorySample, type RunProcess } from '../../src/watch/run-file.js';
import { gaussian, seededRandom } from '../runtime/series.js';

export const MB = 1024 * 1024;

export interface SyntheticRunOptions {
  /** `leaky`: a client per request, memory and connections climb; `fixed`: one shared client. */
  variant?: 'leaky' | 'fixed';
  label?: string;
  durationMs?: number;
  intervalMs?: number;
  /** Program processes (a worker process is added for 2); a wrapper (npm) is always there. */
  programs?: 1 | 2;
  /** Application clients created per request in the leaky variant (default: 4 a second of load). */
  requestClients?: number;
  /** The memory limit; null for none. Default 512 MB. */
  limitBytes?: number | null;
  connections?: 'postgres' | 'unsupported' | 'none';
  seed?: number;
  cwd?: string;
}

const PID_WRAPPER = 4100;
const PID_PROGRAM = 4101;
const PID_WORKER = 4102;

export function syntheticRun(options: SyntheticRunOptions = {}): RunFile {
  const variant = options.variant ?? 'leaky';
  const durationMs = options.durationMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 250;
  const cwd = options.cwd ?? '/srv/api';
  const random = seededRandom(options.seed ?? (variant === 'leaky' ? 7 : 11));
  const noise = gaussian(random);
  const load = { command: 'autocannon -c 10 -d 50 http://localhost:3000/tasks?status=open&limit=20', startedAt: 5000, endedAt: durationMs - 3000, exitCode: 0 };

  const clients = syntheticClients(variant, cwd, load, options.requestClients ?? Math.round(((load.endedAt - load.startedAt) / 1000) * 4));
  const ownCreatedBy = (t: number) => clients.filter((c) => c.owner === null && c.t <= t).length;
  // Clients per moment, counted once (the samples loop asks for every sample).
  const createdAt = clients.filter((c) => c.owner === null).map((c) => c.t);
  let createdIndex = 0;

  const processes: RunProcess[] = [
    { pid: PID_WRAPPER, ppid: 1, argv: ['/usr/bin/node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'start'], role: 'wrapper', startedAt: 0, endedAt: durationMs, exitCode: 0 },
    { pid: PID_PROGRAM, ppid: PID_WRAPPER, argv: ['/usr/bin/node', `${cwd}/dist/server.js`, '--name=<api & "co">'], role: 'program', startedAt: 120, endedAt: durationMs, exitCode: null },
  ];
  if (options.programs === 2) processes.push({ pid: PID_WORKER, ppid: PID_PROGRAM, argv: ['/usr/bin/node', `${cwd}/dist/worker.js`], role: 'program', startedAt: 2000, endedAt: durationMs - 1000, exitCode: 0 });

  const samples: RunMemorySample[] = [];
  const period = Math.max(4, Math.round(4000 / intervalMs));
  for (let i = 0, t = 150; t <= durationMs; i++, t += intervalMs) {
    samples.push({ pid: PID_WRAPPER, t: t - 30, rss: 44 * MB + noise() * 0.2 * MB, heapUsed: 6 * MB, heapTotal: 9 * MB, external: 1.2 * MB, arrayBuffers: 0.1 * MB });
    while (createdIndex < createdAt.length && createdAt[createdIndex]! <= t) createdIndex++;
    const leaked = variant === 'leaky' ? createdIndex : 0;
    const busy = t >= load.startedAt && t <= load.endedAt ? 1 : 0.35;
    const warm = 1 - Math.exp(-t / 3000);
    const floor = 34 * MB + 6 * MB * warm + leaked * 0.2 * MB;
    const tooth = ((i % period) / period) * 22 * MB * busy;
    const heapUsed = floor + tooth + Math.abs(noise()) * 0.4 * MB;
    const heapTotal = floor + 26 * MB + Math.max(0, noise()) * 0.5 * MB;
    const arrayBuffers = 0.6 * MB + ((i % period) / period) * 1.5 * MB * busy;
    const external = 2.8 * MB + arrayBuffers + leaked * 0.08 * MB;
    const rss = heapTotal + external + 58 * MB * warm + leaked * 0.5 * MB + noise() * 0.6 * MB;
    samples.push({ pid: PID_PROGRAM, t, rss, heapUsed, heapTotal, external, arrayBuffers });
    if (options.programs === 2 && t >= 2000 && t <= durationMs - 1000) {
      samples.push({ pid: PID_WORKER, t: t + 10, rss: 52 * MB + noise() * 0.3 * MB, heapUsed: 11 * MB + ((i % period) / period) * 4 * MB, heapTotal: 18 * MB, external: 1.5 * MB, arrayBuffers: 0.3 * MB });
    }
  }
  samples.sort((a, b) => a.t - b.t);

  const connections = syntheticConnections(options.connections ?? 'postgres', variant, durationMs, load, ownCreatedBy);
  const limit = options.limitBytes === null ? null : { bytes: options.limitBytes ?? 512 * MB, source: 'cgroup' };
  const data = { processes, samples, intervalMs, clients, connections, limit, load };
  return {
    schemaVersion: RUN_FILE_SCHEMA_VERSION,
    kind: RUN_FILE_KIND,
    tool: { name: 'leakhound', version: '0.1.0' },
    label: options.label ?? (variant === 'leaky' ? 'before: new PrismaClient() per request <main & co>' : 'after: one shared client'),
    command: ['npm', 'start', '--', '--name=<api & "co">', "it's"],
    cwd,
    startedAt: '2025-11-20T09:30:00.000Z',
    durationMs,
    intervalMs,
    exit: { code: null, signal: 'SIGTERM', reason: 'duration' },
    machine: { node: 'v20.20.2', platform: 'linux', arch: 'x64', cpus: 2, totalMemory: 8 * 1024 * MB },
    limit,
    processes,
    samples,
    clients,
    connections,
    load,
    summary: summarizeRun(data),
    warnings: variant === 'leaky' ? ['the program wrote to stderr: <b>Error</b> & "too many clients already"'] : [],
  };
}

function syntheticClients(variant: 'leaky' | 'fixed', cwd: string, load: { startedAt: number; endedAt: number }, requestClients: number): RunClient[] {
  const clients: RunClient[] = [];
  const add = (client: Omit<RunClient, 'pid' | 'id'>) => clients.push({ pid: PID_PROGRAM, id: clients.length + 1, ...client });
  const prisma = (t: number, stack: string[], closedAt: number | null) => {
    add({ t, library: 'prisma', type: 'PrismaClient', key: 'default', owner: null, stack, closedAt, state: closedAt === null ? 'open' : 'closed' });
    // Prisma 7 with @prisma/adapter-pg builds a pg Pool of its own for every client.
    add({ t: t + 3, library: 'pg', type: 'Pool', key: 'default', owner: '@prisma/adapter-pg', stack, closedAt, state: closedAt === null ? 'open' : 'closed' });
  };
  prisma(420, [`${cwd}/src/lib/db.ts:4:23 (<module>)`, `${cwd}/src/server.ts:3:1`], null);
  add({ t: 450, library: 'ioredis', type: 'Redis', key: 'cache', owner: null, stack: [`${cwd}/src/lib/cache.ts:7:15 (connect<Redis & Cluster>)`], closedAt: null, state: 'open' });
  if (variant === 'fixed') return clients;
  const span = load.endedAt - load.startedAt;
  for (let k = 0; k < requestClients; k++) {
    const t = Math.round(load.startedAt + ((k + 0.5) * span) / requestClients);
    // Two routes do it; one in five is disconnected again by its handler.
    const stack =
      k % 3 === 2
        ? [`${cwd}/src/routes/reports.ts:12:18 (buildReport)`, `${cwd}/src/routes/reports.ts:40:11 (Router.<anonymous>)`, `file://${cwd}/node_modules/express/lib/router/layer.js:95:5 (Layer.handle [as handle_request])`]
        : [`${cwd}/src/routes/tasks.ts:5:18 (getClient)`, `${cwd}/src/routes/tasks.ts:31:20 (<anonymous>)`, `${cwd}/src/app.ts:44:7 (handle & next)`];
    prisma(t, stack, k % 5 === 4 ? t + 900 : null);
  }
  return clients;
}

function syntheticConnections(kind: 'postgres' | 'unsupported' | 'none', variant: 'leaky' | 'fixed', durationMs: number, load: { startedAt: number; endedAt: number }, clientsBy: (t: number) => number): ConnectionTimeline | null {
  if (kind === 'none') return null;
  const database = { kind: kind === 'postgres' ? ('postgres' as const) : ('mysql' as const), url: `${kind === 'postgres' ? 'postgresql' : 'mysql'}://app:***@localhost:5432/app?schema=public&sslmode=disable`, embedded: false };
  if (kind === 'unsupported') return { database, supported: false, note: 'MySQL connections are read with mysql2 <3.0 & it is not installed', baseline: null, samples: [] };
  const samples: ConnectionTimeline['samples'] = [];
  for (let t = 0; t <= durationMs; t += 1000) {
    const busy = t >= load.startedAt && t <= load.endedAt;
    // Each leaked client keeps one connection of its pool; the server stops at 100.
    const own = variant === 'leaky' ? Math.min(92, clientsBy(t)) : busy ? 10 : t > 500 ? 1 : 0;
    const active = busy ? Math.min(own, 3 + (t % 3)) : 0;
    const groups = [
      { applicationName: 'psql', state: 'idle', count: 2 },
      { applicationName: '', state: 'active', count: 1 },
      { applicationName: 'api', state: 'active', count: active },
      { applicationName: 'api', state: 'idle', count: own - active },
    ].filter((group) => group.count > 0);
    samples.push({ t, total: groups.reduce((sum, group) => sum + group.count, 0), groups });
  }
  return { database, supported: true, note: null, baseline: 3, samples };
}
