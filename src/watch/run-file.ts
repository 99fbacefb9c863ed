/**
 * The run file: what `leakhound watch` measured, as one JSON document. `compare` reads two of
 * them, the HTML report draws one, `scan --cost` reads the cost file (a different kind). Like
 * the scan report it is versioned and additive-only: readers ignore fields they do not know.
 *
 * Times (`t`, `startedAt`, `endedAt`, `closedAt`) are milliseconds since the run started
 * (the moment the program was spawned), so two runs line up on one axis. Sizes are bytes.
 * Every command line and connection string in it has been through `redactCredentials`.
 */
import * as z from 'zod/mini';
import { parseVersionedDocument } from '../core/versioned-document.js';

export const RUN_FILE_KIND = 'leakhound-run';
export const RUN_FILE_SCHEMA_VERSION = 1;

const memoryFigures = z.object({
  rss: z.number(),
  heapUsed: z.number(),
  heapTotal: z.number(),
  external: z.number(),
  arrayBuffers: z.number(),
});

/** One reading of `process.memoryUsage()` in one process. */
const memorySample = z.extend(memoryFigures, {
  pid: z.number(),
  t: z.number(),
});

/** A Node.js process of the run: the program and any Node process it started. */
const processInfo = z.object({
  pid: z.number(),
  ppid: z.number(),
  /** `process.argv`, redacted; `argv[1]` is the script. */
  argv: z.array(z.string()),
  /**
   * `wrapper`: a package manager or launcher (npm, npx, pnpm, yarn, tsx's and nodemon's
   * parent processes) that only starts the program; `program`: everything else. Summaries
   * add up the `program` processes.
   */
  role: z.enum(['program', 'wrapper']),
  startedAt: z.number(),
  /** When its last report was written; `null` if it was still running when the run ended. */
  endedAt: z.nullable(z.number()),
  exitCode: z.nullable(z.number()),
});

/** A database client constructed at run time, as the runtime library's tracker saw it. */
const clientCreation = z.object({
  pid: z.number(),
  t: z.number(),
  /** The tracker's id, unique within its process. */
  id: z.number(),
  /** `prisma`, `pg`, `ioredis`, `knex`, `mongoose`, … (`ClientLibrary`). */
  library: z.string(),
  /** `PrismaClient`, `Pool`, `Client`, `Redis`, … */
  type: z.string(),
  key: z.string(),
  /** The package that constructed it (`@prisma/adapter-pg` for Prisma's pool), or null. */
  owner: z.nullable(z.string()),
  /** Application frames, innermost first: `/abs/src/db.ts:4:16 (getDb)`. */
  stack: z.array(z.string()),
  /** When it was closed or collected; null if it was open at the end. */
  closedAt: z.nullable(z.number()),
  state: z.enum(['open', 'closed', 'collected']),
});

const connectionGroup = z.object({
  applicationName: z.string(),
  /** `active`, `idle`, `idle in transaction`, … (PostgreSQL), `Sleep`/`Query` (MySQL). */
  state: z.string(),
  count: z.number(),
});

const connectionSample = z.object({
  t: z.number(),
  total: z.number(),
  groups: z.array(connectionGroup),
});

/** Database connections over the run, read from the server's side. */
const connectionTimeline = z.object({
  database: z.object({
    kind: z.enum(['postgres', 'mysql', 'other']),
    /** Redacted connection string. */
    url: z.string(),
    /** True when leakhound started an embedded PostgreSQL for the run. */
    embedded: z.boolean(),
  }),
  /** False when this kind of database cannot be sampled (then `note` says why). */
  supported: z.boolean(),
  note: z.nullable(z.string()),
  /** Connections open before the program started (other clients of the same server). */
  baseline: z.nullable(z.number()),
  samples: z.array(connectionSample),
});

const trendSummary = z.object({
  /** Which series: `rss` or `heapUsed` of the program processes, added up. */
  series: z.enum(['rss', 'heapUsed']),
  direction: z.enum(['rising', 'falling', 'flat', 'insufficient']),
  /** Theil–Sen slope and its confidence interval, bytes per second. */
  slopePerSecond: z.number(),
  slopeLowPerSecond: z.number(),
  slopeHighPerSecond: z.number(),
  pValue: z.number(),
  /** Samples used (block minima of the series, to see through the GC sawtooth). */
  n: z.number(),
  /** Seconds until the series reaches the limit at the estimated slope; null when not rising or no limit. */
  secondsToLimit: z.nullable(z.number()),
  /**
   * Where the analysed window starts (ms since the run started): start-up (module loading,
   * Prisma's wasm compile, pools filling) is not a leak, so the first part of the run is left
   * out — up to 10 % into the load when there is one, else the first 20 % of the run.
   */
  windowStartMs: z.number(),
  /** The fitted line's value at t = 0, in bytes: `intercept + slopePerSecond × t / 1000`. */
  intercept: z.number(),
});

const clientSite = z.object({
  library: z.string(),
  type: z.string(),
  /** The innermost application frame, `file:line:column (function)`, or `unknown`. */
  site: z.string(),
  count: z.number(),
});

const runSummary = z.object({
  /** Number of memory samples of the program processes. */
  samples: z.number(),
  memory: z.object({
    /** First sample. */
    start: memoryFigures,
    /** Highest value of each series (each at its own moment). */
    peak: memoryFigures,
    /** Median of the last third of the run: where memory settled under the load. */
    steady: memoryFigures,
  }),
  trend: z.object({ rss: trendSummary, heapUsed: trendSummary }),
  clients: z.object({
    /** Clients the application created (those created by other libraries not counted). */
    created: z.number(),
    /** Created per library. */
    byLibrary: z.record(z.string(), z.number()),
    /** Most application clients open at one time. */
    maxOpen: z.number(),
    /** Open at the end of the run. */
    openAtEnd: z.number(),
    /** Where they were created, most first. */
    sites: z.array(clientSite),
  }),
  connections: z.nullable(
    z.object({
      baseline: z.nullable(z.number()),
      peak: z.number(),
      steady: z.number(),
      /** Peak minus baseline: what the program itself held at most. */
      peakAboveBaseline: z.nullable(z.number()),
    }),
  ),
});

export const runFileSchema = z.object({
  schemaVersion: z.literal(RUN_FILE_SCHEMA_VERSION),
  kind: z.literal(RUN_FILE_KIND),
  tool: z.object({ name: z.string(), version: z.string() }),
  /** A short name for the run (`--label`; default: the command). Shown by compare. */
  label: z.string(),
  command: z.array(z.string()),
  cwd: z.string(),
  /** ISO 8601 time the program was spawned. */
  startedAt: z.string(),
  durationMs: z.number(),
  intervalMs: z.number(),
  exit: z.object({
    code: z.nullable(z.number()),
    signal: z.nullable(z.string()),
    /**
     * `exited`: on its own; `duration`: stopped by leakhound after --duration; `load-finished`:
     * stopped by leakhound once the --load command had finished; `interrupted`: by the user (Ctrl-C).
     */
    reason: z.enum(['exited', 'duration', 'load-finished', 'interrupted']),
  }),
  machine: z.object({
    node: z.string(),
    platform: z.string(),
    arch: z.string(),
    cpus: z.number(),
    totalMemory: z.number(),
  }),
  /** The memory limit the program runs under (cgroup, Heroku dyno, --limit) or null if none is known. */
  limit: z.nullable(z.object({ bytes: z.number(), source: z.string() })),
  processes: z.array(processInfo),
  samples: z.array(memorySample),
  clients: z.array(clientCreation),
  connections: z.nullable(connectionTimeline),
  load: z.nullable(
    z.object({
      command: z.string(),
      startedAt: z.number(),
      endedAt: z.nullable(z.number()),
      exitCode: z.nullable(z.number()),
    }),
  ),
  summary: runSummary,
  warnings: z.array(z.string()),
});

export type RunFile = z.infer<typeof runFileSchema>;
export type MemoryFigures = z.infer<typeof memoryFigures>;
export type RunMemorySample = z.infer<typeof memorySample>;
export type RunProcess = z.infer<typeof processInfo>;
export type RunClient = z.infer<typeof clientCreation>;
export type ConnectionTimeline = z.infer<typeof connectionTimeline>;
export type ConnectionSample = z.infer<typeof connectionSample>;
export type RunSummary = z.infer<typeof runSummary>;
export type TrendSummary = z.infer<typeof trendSummary>;
export type ClientSiteCount = z.infer<typeof clientSite>;

/** Why a file is not a run file, in words a user can act on. */
export class RunFileError extends Error {}

/** Parses and checks a run file's text; throws {@link RunFileError} with the first problem. */
export function parseRunFile(text: string, name: string): RunFile {
  return parseVersionedDocument(text, name, {
    kind: RUN_FILE_KIND,
    schemaVersion: RUN_FILE_SCHEMA_VERSION,
    schema: runFileSchema,
    noun: 'run file',
    fail: (message) => new RunFileError(message),
  });
}
