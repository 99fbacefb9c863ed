/**
 * `leakhound cost`: what one more client and one more connection cost, on this machine and
 * this database, with the client library the user's project installs. For each library and
 * each N, a fresh probe process creates N clients (one query each) or one client holding N
 * connections; the server side of those connections is read while they are open. Repeats are
 * interleaved (every N once, then again), so a slow drift of the machine spreads over every N
 * instead of tilting the slope.
 */
import { availableParallelism, cpus, hostname, totalmem } from 'node:os';
import { relative, sep } from 'node:path';
import { EmbeddedPostgresUnavailable, startEmbeddedPostgres, type PostgresServer } from '../db/embedded-postgres.js';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { COST_FILE_KIND, COST_FILE_SCHEMA_VERSION, type CostFailure, type CostFile, type CostPoint, type CostSample, type LibraryCost } from './cost-file.js';
import type { CostLibrary, CostProbeRequest, LibraryInfo } from './cost-probe.js';
import { findGeneratedPrismaClient } from './find-prisma-client.js';
import { fitClientPoints, fitPoints, medianSample, oneTimeCost } from './fit-points.js';
import { inspectLibrary, sampleProbe, type ProbeFailure, type ProbeRunOptions } from './run-probe.js';
import { DatabaseUnreachable, openServerSide, SERVER_MEMORY_METHOD, type ServerSide } from './server-side.js';

export interface CostOptions {
  /**
   * The database, credentials included (they never reach the output). Without one, an
   * embedded PostgreSQL is started for the measurement and stopped after it.
   */
  databaseUrl?: string;
  /** The user's project: the client libraries are loaded from here. */
  projectDir: string;
  /** Which libraries to measure; `auto`: Prisma when the project has a usable client, else pg. */
  libraries: CostLibrary[] | 'auto';
  /** The generated Prisma client module, when it is not `@prisma/client`. */
  prismaClient?: string;
  /** The N of each point (clients, and connections in one pool). */
  points: number[];
  /** Fresh processes per point; figures are medians. */
  repeats: number;
  /** Time limit of one probe process. */
  timeoutMs: number;
  nodePath?: string;
  onProgress?: (progress: CostProgress) => void;
}

export interface CostProgress {
  /** Null while the database is being prepared. */
  library: CostLibrary | null;
  done: number;
  total: number;
  /** What runs now: `8 clients (repeat 2 of 3)`. */
  step: string;
}

export const DEFAULT_POINTS = [1, 2, 4, 8, 16, 32];

/** Measures every library asked for; throws UsageError for what the user can fix. */
export async function measureCost(options: CostOptions): Promise<CostFile> {
  if (options.databaseUrl !== undefined) return measureAgainst(options.databaseUrl, false, options);
  options.onProgress?.({ library: null, done: 0, total: 0, step: 'starting an embedded PostgreSQL' });
  let embedded: PostgresServer;
  try {
    // Room for the largest point, leakhound's own connection and a margin.
    embedded = await startEmbeddedPostgres({ settings: { max_connections: String(Math.max(100, Math.max(...options.points) + 20)) } });
  } catch (error) {
    if (error instanceof EmbeddedPostgresUnavailable) throw new UsageError(error.message, error.hint);
    throw error;
  }
  try {
    return await measureAgainst(embedded.url, true, options);
  } finally {
    await embedded.stop();
  }
}

async function measureAgainst(databaseUrl: string, embedded: boolean, options: CostOptions): Promise<CostFile> {
  const started = Date.now();
  let server: ServerSide;
  try {
    server = await openServerSide(databaseUrl, { embedded });
  } catch (error) {
    if (error instanceof DatabaseUnreachable) {
      throw new UsageError(error.message, 'check --database-url (or DATABASE_URL); without either, leakhound cost starts an embedded PostgreSQL');
    }
    throw error;
  }
  try {
    const needed = Math.max(...options.points);
    if (server.availableConnections !== null && server.availableConnections < needed) {
      throw new UsageError(
        `${server.url} has room for ${server.availableConnections} more connections (max_connections ${server.maxConnections}); the measurement opens up to ${needed} at once`,
        'lower --max or --points, or measure against an embedded PostgreSQL (leave out --database-url)',
      );
    }
    const warnings: string[] = [];
    const probeOptions: ProbeRunOptions = { timeoutMs: options.timeoutMs, nodePath: options.nodePath };
    options.onProgress?.({ library: null, done: 0, total: 0, step: "loading the project's client libraries" });
    // The generated client the schema points at is what the application imports.
    const prismaClient = options.prismaClient ?? findGeneratedPrismaClient(options.projectDir) ?? undefined;
    const chosen = await chooseLibraries({ ...options, prismaClient }, probeOptions, warnings, options.prismaClient !== undefined);
    const libraries: LibraryCost[] = [];
    for (const info of chosen) libraries.push(await measureLibrary(info, databaseUrl, { ...options, prismaClient }, probeOptions, server, warnings));
    return {
      schemaVersion: COST_FILE_SCHEMA_VERSION,
      kind: COST_FILE_KIND,
      tool: { name: 'leakhound', version: VERSION },
      measuredAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      machine: {
        hostname: hostname(),
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        totalMemory: totalmem(),
      },
      database: { kind: 'postgres', url: server.url, serverVersion: server.version, embedded, maxConnections: server.maxConnections },
      server: { measured: server.memory.measured, reason: server.memory.reason, method: SERVER_MEMORY_METHOD },
      settings: { points: options.points, repeats: options.repeats, timeoutMs: options.timeoutMs },
      libraries,
      warnings,
    };
  } finally {
    await server.close();
  }
}

/** The libraries to measure, each loaded once in a probe to see that it is there and usable. */
async function chooseLibraries(options: CostOptions, probeOptions: ProbeRunOptions, warnings: string[], explicitPrismaClient: boolean): Promise<LibraryInfo[]> {
  const inspect = (library: CostLibrary) => inspectLibrary({ library, projectDir: options.projectDir, prismaClient: options.prismaClient ?? null }, probeOptions);
  // A generated client named on the command line is a request to measure Prisma.
  const requested = options.libraries === 'auto' && explicitPrismaClient ? ['prisma' as const] : options.libraries;
  if (requested !== 'auto') {
    const found: LibraryInfo[] = [];
    for (const library of requested) {
      const outcome = await inspect(library);
      if ('status' in outcome) throw new UsageError(`--client ${library}: ${outcome.error}`, outcome.hint);
      found.push(outcome.info);
    }
    return found;
  }
  const prisma = await inspect('prisma');
  if (!('status' in prisma)) return [prisma.info];
  const pg = await inspect('pg');
  if ('status' in pg) {
    throw new UsageError(
      `no client library to measure in ${options.projectDir}: ${prisma.error}; ${pg.error}`,
      'run leakhound cost in your application folder or pass --project DIR (it measures the @prisma/client or pg your project installs); for a generated client elsewhere, pass --prisma-client',
    );
  }
  // A Prisma that is installed but unusable is worth a word; one that is simply absent is not.
  if (!/is not installed/.test(prisma.error)) warnings.push(`Prisma was not measured: ${prisma.error}${prisma.hint ? ` (${prisma.hint})` : ''}`);
  return [pg.info];
}

type Scenario = { mode: 'baseline' | 'clients' | 'connections'; n: number };

async function measureLibrary(info: LibraryInfo, databaseUrl: string, options: CostOptions, probeOptions: ProbeRunOptions, server: ServerSide, warnings: string[]): Promise<LibraryCost> {
  const scenarios: Scenario[] = [
    { mode: 'baseline', n: 0 },
    ...options.points.map((n): Scenario => ({ mode: 'clients', n })),
    ...options.points.map((n): Scenario => ({ mode: 'connections', n })),
  ];
  const results = new Map<Scenario, { samples: CostSample[]; failures: CostFailure[] }>(scenarios.map((scenario) => [scenario, { samples: [], failures: [] }]));
  const total = scenarios.length * options.repeats;
  let done = 0;
  for (let repeat = 1; repeat <= options.repeats; repeat++) {
    for (const scenario of scenarios) {
      options.onProgress?.({ library: info.library, done, total, step: `${describeScenario(scenario)}${options.repeats > 1 ? ` (repeat ${repeat} of ${options.repeats})` : ''}` });
      const applicationName = `leakhound-cost-${process.pid}-${done}`;
      const request: CostProbeRequest = {
        library: info.library,
        mode: scenario.mode,
        n: scenario.n,
        url: withApplicationName(databaseUrl, applicationName),
        projectDir: options.projectDir,
        prismaClient: options.prismaClient ?? null,
      };
      const outcome = await sampleProbe(request, probeOptions, () => server.readBackends(applicationName));
      const result = results.get(scenario)!;
      if ('status' in outcome) result.failures.push({ repeat, status: outcome.status, error: outcome.error });
      else result.samples.push({ ...pick(outcome.memory), ...outcome.server });
      done++;
    }
  }
  options.onProgress?.({ library: info.library, done, total, step: '' });

  const pointOf = (scenario: Scenario): CostPoint => {
    const { samples, failures } = results.get(scenario)!;
    return { n: scenario.n, median: medianSample(samples), repeats: samples, failures };
  };
  const baseline = pointOf(scenarios[0]!);
  const clientPoints = scenarios.filter((scenario) => scenario.mode === 'clients').map(pointOf);
  const connectionPoints = scenarios.filter((scenario) => scenario.mode === 'connections').map(pointOf);
  const clientFits = fitClientPoints(clientPoints);
  const failed = [baseline, ...clientPoints, ...connectionPoints].reduce((sum, point) => sum + point.failures.length, 0);
  if (failed > 0) warnings.push(`${info.library}: ${failed} of ${total} runs failed; their points use the runs that succeeded`);
  for (const point of connectionPoints) {
    if (point.median?.connections != null && point.median.connections < point.n) {
      warnings.push(`${info.library}: a pool asked for ${point.n} connections held ${point.median.connections}`);
    }
  }
  return {
    library: info.library,
    version: info.version,
    description: info.description,
    entry: shownEntry(info.entry, options.projectDir),
    poolMax: info.poolMax,
    poolMaxBasis: info.poolMaxBasis,
    perClient: { baseline, points: clientPoints, fits: clientFits, oneTime: oneTimeCost(clientFits, baseline.median) },
    perConnection: { points: connectionPoints, fits: fitPoints(connectionPoints) },
  };
}

function describeScenario(scenario: Scenario): string {
  if (scenario.mode === 'baseline') return 'library loaded, no client';
  if (scenario.mode === 'clients') return `${scenario.n} ${scenario.n === 1 ? 'client' : 'clients'}`;
  return `1 client holding ${scenario.n} ${scenario.n === 1 ? 'connection' : 'connections'}`;
}

function pick(memory: NodeJS.MemoryUsage): Pick<CostSample, 'rss' | 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers'> {
  return { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers };
}

/** The connection string with an application_name that marks this probe's connections. */
export function withApplicationName(url: string, applicationName: string): string {
  try {
    const parsed = new URL(url);
    parsed.searchParams.set('application_name', applicationName);
    return parsed.href;
  } catch {
    return `${url}${url.includes('?') ? '&' : '?'}application_name=${encodeURIComponent(applicationName)}`;
  }
}

function shownEntry(path: string, projectDir: string): string {
  const inside = relative(projectDir, path);
  return inside.startsWith('..') ? path : inside.split(sep).join('/');
}
