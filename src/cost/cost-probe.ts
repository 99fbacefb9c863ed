/**
 * Runs in a fresh child process (started with --expose-gc) for `leakhound cost`: loads the
 * database library the user's project installs, creates N clients (or one client with N open
 * connections), runs one query on each, collects garbage twice and reports its memory. The
 * parent then reads the server's side of those connections and says `release`; the probe
 * closes what it opened and exits.
 *
 * Talks over IPC only (the request, with its connection string, never appears in argv, and
 * whatever the library prints does not matter). Self-contained: it is bundled on its own.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type CostLibrary = 'prisma' | 'pg';

export interface CostProbeRequest {
  library: CostLibrary;
  /**
   * `inspect`: load the library and say what it is, connect to nothing. `baseline`: load it,
   * create no client. `clients`: N clients, one query each. `connections`: one client, N
   * concurrent queries, so that its pool opens N connections.
   */
  mode: 'inspect' | 'baseline' | 'clients' | 'connections';
  n: number;
  /** Connection string, with an application_name that identifies this process's connections. */
  url: string;
  /** The user's project: libraries are resolved from here. */
  projectDir: string;
  /** The generated Prisma client module (`--prisma-client`), instead of `@prisma/client`. */
  prismaClient: string | null;
}

export interface LibraryInfo {
  library: CostLibrary;
  version: string;
  description: string;
  /** Absolute path of the loaded module. */
  entry: string;
  poolMax: number;
  poolMaxBasis: string;
}

export type CostProbeMessage =
  | { type: 'inspected'; info: LibraryInfo }
  | { type: 'ready'; memory: NodeJS.MemoryUsage; setupMs: number }
  | { type: 'fatal'; error: string; hint?: string };

export type CostParentMessage = { type: 'run'; request: CostProbeRequest } | { type: 'release' };

/** A client the probe created: something to query, and how to close it. */
interface OpenClient {
  query(sql: string): Promise<unknown>;
  close(): Promise<unknown>;
}

interface LoadedLibrary {
  info: LibraryInfo;
  /** A new client; `max` sizes its pool (per-connection runs), otherwise the library's default. */
  create(url: string, max?: number): OpenClient;
}

/** A failure the user can act on, with what to do. */
class ProbeError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const gc = (globalThis as { gc?: () => void }).gc;

function collect(): void {
  // Twice: the first pass may only queue finalizers that free what the second collects.
  gc?.();
  gc?.();
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${(error as NodeJS.ErrnoException).code ? `${(error as NodeJS.ErrnoException).code}: ` : ''}${error.message.split('\n').find((line) => line.trim() !== '')?.trim() ?? error.name}`;
  return String(error);
}

/** Where `name` resolves from the first folder that has it; null when none does. */
function requireResolve(folders: string[], name: string): string | null {
  for (const folder of folders) {
    try {
      return createRequire(join(folder, 'leakhound-cost-probe.cjs')).resolve(name);
    } catch {
      // Not installed there: try the next folder.
    }
  }
  return null;
}

/** Requires `name` from the first folder that has it; null when none does. */
function requireFrom(folders: string[], name: string): { module: unknown; path: string } | null {
  const path = requireResolve(folders, name);
  return path === null ? null : { module: createRequire(path)(path), path };
}

/**
 * The version of the package a resolved module belongs to: the nearest package.json above it
 * with that name (packages whose `exports` hide their package.json are found this way too).
 */
function versionAbove(modulePath: string, name: string): string | null {
  for (let folder = dirname(modulePath); dirname(folder) !== folder; folder = dirname(folder)) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name) return manifest.version ?? null;
    } catch {
      // No package.json here: keep going up.
    }
  }
  return null;
}

/** Adds query parameters to a connection string (Prisma ≤ 6 reads its pool size from there). */
function withParameters(url: string, parameters: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(parameters)) parsed.searchParams.set(key, value);
  return parsed.href;
}

type PrismaClientClass = new (options: Record<string, unknown>) => { $queryRawUnsafe(sql: string): Promise<unknown>; $disconnect(): Promise<void> };
type PrismaPgClass = new (config: Record<string, unknown>) => unknown;

async function loadPrisma(request: CostProbeRequest): Promise<LoadedLibrary> {
  let exports: Record<string, unknown>;
  let entry: string;
  try {
    if (request.prismaClient) {
      entry = request.prismaClient;
      // import() reads both the CommonJS (prisma-client-js) and the ESM (prisma-client) output.
      exports = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    } else {
      const found = requireFrom([request.projectDir], '@prisma/client');
      if (!found) throw new ProbeError(`@prisma/client is not installed in ${request.projectDir}`, 'run leakhound cost in your application folder (or pass --project DIR), or choose --client pg');
      entry = found.path;
      exports = found.module as Record<string, unknown>;
    }
  } catch (error) {
    if (error instanceof ProbeError) throw error;
    throw new ProbeError(
      `the Prisma client could not be loaded: ${describe(error)}`,
      'run `prisma generate`; when your generator writes elsewhere (the prisma-client generator, or an `output` folder), pass --prisma-client <the generated client module>',
    );
  }
  const PrismaClient = (exports.PrismaClient ?? (exports.default as Record<string, unknown> | undefined)?.PrismaClient) as PrismaClientClass | undefined;
  if (typeof PrismaClient !== 'function') {
    throw new ProbeError(`${entry} exports no PrismaClient`, 'pass --prisma-client the module your code imports PrismaClient from (for the prisma-client generator: <output>/client.js)');
  }
  const origin = dirname(entry);
  const folders = [origin, request.projectDir];
  const prismaNamespace = exports.Prisma as { prismaVersion?: { client?: string } } | undefined;
  const runtime = requireResolve(folders, '@prisma/client');
  const version = prismaNamespace?.prismaVersion?.client ?? (runtime ? versionAbove(runtime, '@prisma/client') : null) ?? 'unknown';
  const major = Number.parseInt(version, 10);
  const adapter = requireFrom(folders, '@prisma/adapter-pg');
  const PrismaPg = (adapter?.module as { PrismaPg?: PrismaPgClass } | undefined)?.PrismaPg;
  const adapterVersion = (adapter ? versionAbove(adapter.path, '@prisma/adapter-pg') : null) ?? '?';
  const wrap = (client: InstanceType<PrismaClientClass>): OpenClient => ({ query: (sql) => client.$queryRawUnsafe(sql), close: () => client.$disconnect() });

  // Prisma 7 has no query engine of its own: it needs a driver adapter. Prisma 5/6 take the URL.
  if (major >= 7 || Number.isNaN(major)) {
    if (!PrismaPg) {
      throw new ProbeError(`Prisma ${version} needs a driver adapter, and @prisma/adapter-pg is not installed in ${request.projectDir}`, 'npm install @prisma/adapter-pg (leakhound measures PostgreSQL through it, as your application would)');
    }
    // pg-pool's default size, read from the pg the adapter itself loads.
    const adapterPg = requireFrom([dirname(adapter!.path), ...folders], 'pg')?.module as { Pool?: new () => { options: { max: number } } } | undefined;
    const poolMax = adapterPg?.Pool ? new adapterPg.Pool().options.max : 10;
    return {
      info: {
        library: 'prisma',
        version,
        description: `PrismaClient with @prisma/adapter-pg ${adapterVersion}`,
        entry,
        poolMax,
        poolMaxBasis: `pg-pool's default max, for the pool @prisma/adapter-pg builds per client`,
      },
      create: (url, max) =>
        wrap(new PrismaClient({ adapter: new PrismaPg({ connectionString: url, ...(max === undefined ? {} : { max, idleTimeoutMillis: 60_000 }) }) })),
    };
  }
  const cpus = availableParallelism();
  return {
    info: {
      library: 'prisma',
      version,
      description: 'PrismaClient (query engine, datasourceUrl)',
      entry,
      poolMax: cpus * 2 + 1,
      poolMaxBasis: `Prisma ${major}'s default connection_limit, ${cpus} CPUs × 2 + 1`,
    },
    create: (url, max) => wrap(new PrismaClient({ datasourceUrl: max === undefined ? url : withParameters(url, { connection_limit: String(max) }) })),
  };
}

type PgPool = { query(sql: string): Promise<unknown>; end(): Promise<void>; on(event: 'error', listener: () => void): unknown; options: { max: number } };

function loadPg(request: CostProbeRequest): LoadedLibrary {
  const found = requireFrom([request.projectDir], 'pg');
  if (!found) throw new ProbeError(`pg is not installed in ${request.projectDir}`, 'run leakhound cost in your application folder (or pass --project DIR)');
  const pg = found.module as { Pool: new (config: Record<string, unknown>) => PgPool };
  const poolMax = new pg.Pool({}).options.max;
  return {
    info: {
      library: 'pg',
      version: versionAbove(found.path, 'pg') ?? 'unknown',
      description: 'pg.Pool',
      entry: found.path,
      poolMax,
      poolMaxBasis: `pg.Pool's default max`,
    },
    create(url, max) {
      const pool = new pg.Pool({ connectionString: url, ...(max === undefined ? {} : { max, idleTimeoutMillis: 60_000 }) });
      // An idle connection the server drops must not crash the probe before it reports.
      pool.on('error', () => undefined);
      return { query: (sql) => pool.query(sql), close: () => pool.end() };
    },
  };
}

let opened: OpenClient[] = [];

async function run(request: CostProbeRequest): Promise<CostProbeMessage> {
  const started = performance.now();
  const library = request.library === 'prisma' ? await loadPrisma(request) : loadPg(request);
  if (request.mode === 'inspect') {
    // Constructing connects to nothing, and it is where an ungenerated Prisma client throws.
    try {
      await library.create('postgresql://leakhound@127.0.0.1:1/inspect').close();
    } catch (error) {
      throw new ProbeError(`a ${library.info.description} could not be created: ${describe(error)}`, 'run `prisma generate` (or pass --prisma-client <the generated client module>)');
    }
    return { type: 'inspected', info: library.info };
  }
  if (request.mode === 'clients') {
    // One after the other: each client's first query is what opens its first connection.
    for (let i = 0; i < request.n; i++) {
      const client = library.create(request.url);
      opened.push(client);
      await client.query('SELECT 1');
    }
  } else if (request.mode === 'connections') {
    const client = library.create(request.url, request.n);
    opened.push(client);
    // N queries at once need N connections; pg_sleep keeps them overlapping while the pool
    // opens them. `SELECT 1 FROM` because Prisma cannot read pg_sleep's `void` column.
    await Promise.all(Array.from({ length: request.n }, () => client.query('SELECT 1 FROM pg_sleep(0.05)')));
  }
  const setupMs = performance.now() - started;
  // Let what the libraries schedule for the next turns (pool bookkeeping, timers) happen.
  await new Promise((resolve) => setTimeout(resolve, 50));
  collect();
  return { type: 'ready', memory: process.memoryUsage(), setupMs };
}

async function release(): Promise<void> {
  const closing = Promise.allSettled(opened.map((client) => client.close()));
  opened = [];
  // Closing politely spares the server's log; a library that hangs on close is not waited for.
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
  process.exit(0);
}

function send(message: CostProbeMessage, then: () => void = () => undefined): void {
  process.send?.(message, then);
}

process.on('unhandledRejection', (error) => send({ type: 'fatal', error: describe(error) }, () => process.exit(1)));
process.on('message', (message: CostParentMessage) => {
  if (message.type === 'release') {
    void release();
    return;
  }
  run(message.request).then(
    (reply) => send(reply, reply.type === 'inspected' ? () => process.exit(0) : undefined),
    (error: unknown) => send({ type: 'fatal', error: describe(error), ...(error instanceof ProbeError && error.hint ? { hint: error.hint } : {}) }, () => process.exit(0)),
  );
});
// The parent closes the channel if it goes away: nothing left to report to.
process.on('disconnect', () => process.exit(0));
