/**
 * The shared vocabulary of leakhound: what a scan finds and how the report is shaped.
 * The JSON report (`leakhound scan --format json`) is this `Report` serialised; it is
 * versioned by `schemaVersion` and only ever grows (new optional fields), never changes.
 */
import type { MeasuredCost } from './cost/scan-cost.js';
import type { NativeInventory } from './native/types.js';

/** Database client libraries leakhound recognises. */
export type Library =
  | 'prisma'
  | 'pg'
  | 'knex'
  | 'ioredis'
  | 'redis'
  | 'mongoose'
  | 'typeorm'
  | 'sequelize'
  | 'mysql2'
  | 'drizzle'
  /** postgres.js (`import postgres from 'postgres'`), the driver under drizzle's postgres-js. */
  | 'postgres';

/**
 * `module`: runs once per process (top level, static class field, a module-level IIFE,
 * a lazily cached singleton). `function`: runs on every call of what encloses it.
 */
export type SiteScope = 'module' | 'function';

/** Where in an application a site lives, the way the field reports group them. */
export type Category = 'route' | 'service' | 'job' | 'script' | 'test' | 'other';

export const CATEGORIES: readonly Category[] = ['route', 'service', 'job', 'script', 'test', 'other'];

/** What kind of code encloses a construction site. */
export type ContextKind =
  | 'module'
  | 'static-field'
  | 'route-handler'
  | 'queue-processor'
  | 'timer'
  | 'event-listener'
  | 'constructor'
  | 'instance-field'
  | 'method'
  | 'function'
  | 'callback'
  /** Listed in a NestJS `@Module({ providers })`: the framework constructs it once per module. */
  | 'nest-provider';

export interface EnclosingContext {
  kind: ContextKind;
  /** A readable name: `GET /tasks`, `TaskService.constructor`, `processBounce`; null when anonymous. */
  name: string | null;
  /** 1-based line where the enclosing handler/function starts (the site's own line for `module`). */
  line: number;
}

/**
 * A statically known option value. Literals are kept as they are (strings with credentials
 * redacted); anything else is described rather than evaluated.
 */
export type OptionValue =
  | string
  | number
  | boolean
  | null
  | OptionValue[]
  | { [key: string]: OptionValue };

/** One place where a database client is constructed. */
export interface ClientSite {
  library: Library;
  /** Relative to the scan root, forward slashes. */
  file: string;
  /** 1-based line of the `new` (or of the factory call). */
  line: number;
  /** 1-based column of the `new` (or of the factory call). */
  column: number;
  scope: SiteScope;
  inTest: boolean;
  category: Category;
  /** Options passed to the constructor when statically known; null when none were passed. */
  options: { [key: string]: OptionValue } | null;
  /** The constructor as written at the site: `PrismaClient`, `Prisma.PrismaClient`, `Db`, `mysql.createPool`. */
  callee: string;
  /** `new`: built with `new callee(…)`; `call`: by a factory call `callee(…)` (knex, mysql2, mongoose…). */
  construction: 'new' | 'call';
  /** The module the constructor was resolved to (`@prisma/client`, `src/generated/prisma/client.ts`). */
  resolvedFrom: string;
  /** Project files the binding passed through (barrels, subclasses), when there were any. */
  via?: string[];
  /** `globalThis`: the cached-on-globalThis singleton; `lazy`: created once behind a cache check. */
  singleton: 'globalThis' | 'lazy' | null;
  /** What encloses the site. */
  context: EnclosingContext;
  /** What the client is assigned to (`prisma`, `this.prisma`, `globalForPrisma.prisma`), when it is. */
  assignedTo: string | null;
  /** The connections this client may hold, and what that figure rests on. */
  pool: ClientPool;
}

/** How many database connections one client may open (see `leakhound/src/libraries`). */
export interface ClientPool {
  /** `postgresql`, `mysql`, `sqlserver`, `sqlite`, `mongodb`, `redis` or `unknown`. */
  database: string;
  connections: number;
  /** Where the figure comes from: "max: 20 in the code", "pg's default pool size (max 10)". */
  basis: string;
  /** True when the code or config states the figure; false for a library default. */
  stated: boolean;
}

export type WarningKind =
  | 'read'
  | 'binary'
  | 'encoding'
  | 'size'
  | 'symlink'
  | 'parse'
  | 'config'
  | 'resolve';

/** A file or setting leakhound could not use; the scan goes on without it. */
export interface ScanWarning {
  kind: WarningKind;
  /** Relative to the scan root; null for warnings not tied to one file. */
  file: string | null;
  line?: number;
  column?: number;
  message: string;
}

/** A text edit: replace `[start, end)` (UTF-16 offsets into the file) with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export type Severity = 'error' | 'warning' | 'info';

export interface FindingLocation {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** Relative to the scan root, forward slashes. */
  file: string;
  line: number;
  column: number;
  message: string;
  /** Stable across edits that move lines: baselines match findings by it. */
  fingerprint: string;
  /** Other places that belong to the problem (the other clients, the listener…). */
  related?: FindingLocation[];
  /** The figures behind the message (connections, sites, limits), for reports and dashboards. */
  data?: { [name: string]: number | string | boolean | null };
  /** A safe fix as text edits on `file`, when there is one. */
  fix?: TextEdit[];
}

export interface ScanSummary {
  /** Source files considered (after ignores, build output and generated clients). */
  filesScanned: number;
  /** Files that were parsed (the rest could not contain a site). */
  filesParsed: number;
  sites: number;
  /** Files holding at least one site. */
  siteFiles: number;
  /** Sites that run on every call (scope `function`), outside tests. */
  perCall: number;
  /** Sites in test files. */
  inTests: number;
  /** Recognised singletons (globalThis or lazily cached). */
  singletons: number;
  byCategory: Record<Category, number>;
  byLibrary: Partial<Record<Library, number>>;
  /** Files skipped because they are build output, generated clients or self-declared generated code. */
  skipped: { buildOutput: number; generated: number };
  durationMs: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'leakhound'; version: string };
  /** Absolute path of the scanned directory. */
  root: string;
  clients: ClientSite[];
  findings: Finding[];
  warnings: ScanWarning[];
  summary: ScanSummary;
  /** The native addon inventory, with `scan --native` only (see `leakhound native`). */
  native?: NativeInventory;
  /** The connection estimates in measured units, with `scan --cost <file>` only (see `leakhound cost`). */
  cost?: MeasuredCost;
}
