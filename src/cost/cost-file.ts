/**
 * The cost file: what `leakhound cost` measured on one machine against one database, as one
 * JSON document (`leakhound cost --out cost.json`). `scan --cost` reads it to state its
 * connection and memory estimates in measured units. Like the scan report and the run file it
 * is versioned and additive-only: readers ignore fields they do not know.
 *
 * Sizes are bytes. A "point" is one N (clients, or connections in one pool): a fresh process
 * per repeat, figures are the medians of the repeats. Slopes are per client or per connection.
 * The connection string in it has been through `redactCredentials`, and so has every error.
 */
import * as z from 'zod/mini';
import { parseVersionedDocument } from '../core/versioned-document.js';

export const COST_FILE_KIND = 'leakhound-cost';
export const COST_FILE_SCHEMA_VERSION = 1;

/** `process.memoryUsage()` of the probe process after two full GCs. */
const processMemory = z.object({
  rss: z.number(),
  heapUsed: z.number(),
  heapTotal: z.number(),
  external: z.number(),
  arrayBuffers: z.number(),
});

/** One process's reading: its memory, and what the server saw of its connections. */
const sample = z.extend(processMemory, {
  /** Server-side connections of this process (pg_stat_activity, by its application_name). */
  connections: z.nullable(z.number()),
  /** Private memory (Private_Clean + Private_Dirty) of those connections' backends, added up; null when not measurable. */
  serverPrivate: z.nullable(z.number()),
  /** Proportional set size of those backends, added up: private memory plus their share of what they share. */
  serverPss: z.nullable(z.number()),
});

/** A run that produced no sample: the process crashed, hung, or its scenario failed. */
const failure = z.object({
  /** 1-based repeat number. */
  repeat: z.number(),
  status: z.enum(['crashed', 'timeout', 'failed']),
  error: z.string(),
});

const point = z.object({
  /** Clients created (per-client series; 0 = the library loaded, no client) or connections open (per-connection series). */
  n: z.number(),
  /** The median of each figure over the repeats that succeeded; null when none did. */
  median: z.nullable(sample),
  repeats: z.array(sample),
  failures: z.array(failure),
});

/**
 * A robust line through the points' medians: Theil–Sen slope (per client or per connection)
 * and intercept; `low`/`high` are the lowest and highest slope of the repeats taken one at a
 * time (equal to `slope` with one repeat): how much the figure moves between runs.
 */
const fit = z.object({
  slope: z.number(),
  intercept: z.number(),
  low: z.number(),
  high: z.number(),
  /** Points the line went through. */
  points: z.number(),
});

/** One fit per figure; null when fewer than two points have it. */
const fits = z.object({
  rss: z.nullable(fit),
  heapUsed: z.nullable(fit),
  external: z.nullable(fit),
  arrayBuffers: z.nullable(fit),
  connections: z.nullable(fit),
  serverPrivate: z.nullable(fit),
  serverPss: z.nullable(fit),
});

const memoryDelta = z.object({
  rss: z.number(),
  heapUsed: z.number(),
  external: z.number(),
  arrayBuffers: z.number(),
});

const libraryCost = z.object({
  /** `prisma` or `pg` today; readers should accept others. */
  library: z.string(),
  /** The version the project installs (for Prisma: the generated client's). */
  version: z.string(),
  /** What a "client" is here: `PrismaClient with @prisma/adapter-pg 7.10.1`, `pg.Pool`. */
  description: z.string(),
  /** The module that was loaded, relative to the project when inside it. */
  entry: z.string(),
  /** The most connections one client opens (its pool's default `max`), and where that figure comes from. */
  poolMax: z.number(),
  poolMaxBasis: z.string(),
  /** N clients, each after running one query (`SELECT 1`). */
  perClient: z.object({
    /** The library loaded, no client created. */
    baseline: point,
    points: z.array(point),
    fits,
    /** What the first client costs once, beyond the per-client slope: the intercept minus the baseline. */
    oneTime: z.nullable(memoryDelta),
  }),
  /** One client whose pool holds N open connections (N concurrent queries). */
  perConnection: z.object({
    points: z.array(point),
    fits,
  }),
});

export const costFileSchema = z.object({
  schemaVersion: z.literal(COST_FILE_SCHEMA_VERSION),
  kind: z.literal(COST_FILE_KIND),
  tool: z.object({ name: z.string(), version: z.string() }),
  /** ISO 8601 time the measurement started. */
  measuredAt: z.string(),
  durationMs: z.number(),
  machine: z.object({
    hostname: z.string(),
    node: z.string(),
    platform: z.string(),
    arch: z.string(),
    cpus: z.number(),
    cpuModel: z.string(),
    totalMemory: z.number(),
  }),
  database: z.object({
    kind: z.literal('postgres'),
    /** Redacted connection string. */
    url: z.string(),
    serverVersion: z.string(),
    /** True when leakhound started an embedded PostgreSQL for the measurement. */
    embedded: z.boolean(),
    maxConnections: z.nullable(z.number()),
  }),
  /** Whether the server's memory per connection could be read, and if not, why. */
  server: z.object({
    measured: z.boolean(),
    reason: z.nullable(z.string()),
    method: z.string(),
  }),
  settings: z.object({
    points: z.array(z.number()),
    repeats: z.number(),
    timeoutMs: z.number(),
  }),
  libraries: z.array(libraryCost),
  warnings: z.array(z.string()),
});

export type CostFile = z.infer<typeof costFileSchema>;
export type CostSample = z.infer<typeof sample>;
export type CostPoint = z.infer<typeof point>;
export type CostFailure = z.infer<typeof failure>;
export type CostFit = z.infer<typeof fit>;
export type CostFits = z.infer<typeof fits>;
export type LibraryCost = z.infer<typeof libraryCost>;
export type MemoryDelta = z.infer<typeof memoryDelta>;

/** Why a file is not a cost file, in words a user can act on. */
export class CostFileError extends Error {}

/** Parses and checks a cost file's text; throws {@link CostFileError} with the first problem. */
export function parseCostFile(text: string, name: string): CostFile {
  return parseVersionedDocument(text, name, {
    kind: COST_FILE_KIND,
    schemaVersion: COST_FILE_SCHEMA_VERSION,
    schema: costFileSchema,
    noun: 'cost file',
    fail: (message) => new CostFileError(message),
  });
}
