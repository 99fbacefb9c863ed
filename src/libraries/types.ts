import type { Library, OptionValue } from '../types.js';

export type { OptionValue };

/** The database a client talks to: connection budgets are counted per database. */
export type Database = 'postgresql' | 'mysql' | 'sqlserver' | 'sqlite' | 'mongodb' | 'redis' | 'unknown';

/** The options a site was constructed with, as the scanner states them (see core/options.ts). */
export type SiteOptions = { [key: string]: OptionValue } | null;

/** What the rest of the project says that a pool size may depend on. */
export interface PoolContext {
  /** A variable from the project's `.env*` files (credentials redacted), with the file it came from. */
  env(name: string): { value: string; file: string } | null;
  /** Physical CPU cores assumed for the machine the service runs on. */
  cpus: number;
  /** Prisma's datasource: provider and the URL (or the env variable it names), when a schema declares one. */
  prismaDatasource: { provider: string; url: { value: string } | { env: string } | null } | null;
}

/** How many connections one client may hold, and what that figure rests on. */
export interface PoolEstimate {
  database: Database;
  /** Connections the client may open at once; 0 when it opens none of its own (drizzle over a passed pool). */
  connections: number;
  /** Where the figure comes from: "max: 20 in the code", "pg's default (max 10)". */
  basis: string;
  /** True when the code or the config states the figure; false when it is the library's default. */
  stated: boolean;
  /** How long a request may wait for a free connection: null when it waits forever, undefined when not applicable. */
  acquireTimeoutMs?: number | null;
  /** How long an idle connection stays open; undefined when unknown or not applicable. */
  idleTimeoutMs?: number;
}

/** How the binder recognises what a library's exports construct. */
export interface BindableSpec {
  id: string;
  /** Does an import of this specifier give the library's client constructors? */
  isClientModule(specifier: string): boolean;
  /** Exported names that construct a client with `new` (`Pool`, `PrismaClient`). */
  constructors: ReadonlySet<string>;
  /** Exported names that construct a client when called (`knex`, `createPool`, `connect`). */
  factories: ReadonlySet<string>;
  /**
   * What `import x from 'lib'` gives when it is not the module namespace (CommonJS interop):
   * the export it stands for (`Redis` for ioredis, `knex` for knex); null: the namespace.
   */
  defaultExport: string | null;
  /** `module.exports = fn`: `require('lib')` itself is this export (`knex`, ioredis's `Redis`); null otherwise. */
  callableModule: string | null;
  /**
   * Export names so particular to the library that an unresolvable module exporting one is
   * taken to be it (`PrismaClient` from a generated folder that does not exist yet).
   */
  distinctiveNames: ReadonlySet<string>;
}

/** What a client of one database library looks like in code. */
export interface LibrarySpec extends BindableSpec {
  id: Library;
  /**
   * Words at least one of which a file must contain to hold a site (the pre-filter). They must
   * never cost a true site: every way to reach a constructor spells one of them somewhere in
   * the file, or else goes through a name the binder adds in a later round. Prisma's word
   * (`PrismaClient`) is searched anywhere; the other libraries' words are their module names,
   * searched where a module specifier begins (`'pg'`, `"knex"`, `'@redis/client'`).
   */
  prefilterWords: readonly string[];
  /**
   * The connections one client may hold, from the arguments it was constructed with (each
   * described as core/options.ts describes values), the export that built it and its module.
   */
  estimatePool(args: readonly OptionValue[], built: { exportName: string; module: string }, context: PoolContext): PoolEstimate;
}
