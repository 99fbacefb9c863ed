/**
 * Prisma: `PrismaClient` from `@prisma/client` (any entry point that exports it: `/edge`,
 * `/wasm`, `/react-native`, `/default`, …), from `.prisma/client`, or from a generated client
 * folder (`prisma-client-js` or Prisma 7's `prisma-client` generator with a custom `output`),
 * which the resolver recognises from the schema's generator blocks.
 *
 * Pool size: with a driver adapter (required from Prisma 7) the adapter's pool decides; without
 * one, Prisma ≤ 6's own engine opens `connection_limit` connections (from the URL), by default
 * physical CPUs × 2 + 1, and waits `pool_timeout` seconds (default 10, 0 = forever) for one.
 */
import { constructedValue, objectArgument, databaseOfUrl, firstNumber, optionAt, urlOf, urlParameter } from './option-values.js';
import type { Database, LibrarySpec, PoolContext, PoolEstimate, SiteOptions } from './types.js';
import type { OptionValue } from '../types.js';

const NOT_CLIENT_ENTRY_POINTS = /^@prisma\/client\/(runtime|extension|sql|index-browser|generator-build)(\/|$)/;

export const prismaLibrary: LibrarySpec = {
  id: 'prisma',
  isClientModule(specifier) {
    if (NOT_CLIENT_ENTRY_POINTS.test(specifier)) return false;
    return (
      specifier === '@prisma/client' ||
      specifier.startsWith('@prisma/client/') ||
      specifier === '.prisma/client' ||
      specifier.startsWith('.prisma/client/')
    );
  },
  constructors: new Set(['PrismaClient']),
  factories: new Set(),
  defaultExport: null,
  callableModule: null,
  distinctiveNames: new Set(['PrismaClient']),
  prefilterWords: ['PrismaClient'],
  estimatePool(args, _built, context) {
    const options = objectArgument(args);
    const adapter = optionAt(options, 'adapter');
    if (adapter !== undefined) return adapterPool(adapter);
    return enginePool(options, context);
  },
};

/** Driver adapters and the pools they open (their drivers' defaults). */
const ADAPTERS: Record<string, { database: Database; driver: string; defaultMax: number; maxKeys: string[] }> = {
  PrismaPg: { database: 'postgresql', driver: 'pg', defaultMax: 10, maxKeys: ['max'] },
  PrismaNeon: { database: 'postgresql', driver: '@neondatabase/serverless', defaultMax: 10, maxKeys: ['max'] },
  PrismaMariaDb: { database: 'mysql', driver: 'mariadb', defaultMax: 10, maxKeys: ['connectionLimit'] },
  PrismaMssql: { database: 'sqlserver', driver: 'mssql', defaultMax: 10, maxKeys: ['pool.max'] },
  PrismaBetterSqlite3: { database: 'sqlite', driver: 'better-sqlite3', defaultMax: 1, maxKeys: [] },
  PrismaLibSql: { database: 'sqlite', driver: 'libsql', defaultMax: 1, maxKeys: [] },
  PrismaD1: { database: 'sqlite', driver: 'D1', defaultMax: 0, maxKeys: [] },
  PrismaPlanetScale: { database: 'mysql', driver: 'PlanetScale (HTTP)', defaultMax: 0, maxKeys: [] },
};

function adapterPool(adapter: OptionValue): PoolEstimate {
  const constructed = constructedValue(adapter);
  const known = constructed ? ADAPTERS[constructed.callee.replace(/^.*\./, '')] : undefined;
  if (!constructed || !known) {
    return { database: 'unknown', connections: 10, basis: 'a driver adapter whose pool is not stated here (taken as 10, the pg and mariadb default)', stated: false };
  }
  const [first] = constructed.args;
  // new PrismaPg(pool) / new PrismaPg(new Pool({ max })): the pool is built by its own code,
  // which the scan counts as a site of its own; counting it here too would count it twice.
  const ownsPool = first === undefined || (typeof first === 'object' && first !== null && !Array.isArray(first) && !('$new' in first) && !('$expr' in first));
  if (!ownsPool) {
    return { database: known.database, connections: 0, basis: `uses the pool passed to ${constructed.callee} (counted where that pool is built)`, stated: true };
  }
  const poolOptions = first;
  const max = firstNumber(poolOptions, known.maxKeys);
  const estimate: PoolEstimate = max
    ? { database: known.database, connections: max.value, basis: `${max.path}: ${max.value} in ${constructed.callee}'s options`, stated: true }
    : { database: known.database, connections: known.defaultMax, basis: `${known.driver}'s default pool size (${known.defaultMax})`, stated: false };
  if (known.driver === 'pg' || known.driver === '@neondatabase/serverless') {
    const acquire = firstNumber(poolOptions, ['connectionTimeoutMillis']);
    estimate.acquireTimeoutMs = acquire && acquire.value > 0 ? acquire.value : null;
    estimate.idleTimeoutMs = firstNumber(poolOptions, ['idleTimeoutMillis'])?.value ?? 10_000;
  }
  return estimate;
}

function enginePool(options: SiteOptions, context: PoolContext): PoolEstimate {
  const url = statedUrl(options, context);
  const database: Database = url ? databaseOfUrl(url.url) : providerDatabase(context.prismaDatasource?.provider);
  const limit = url ? urlParameter(url.url, 'connection_limit') : null;
  const timeout = url ? urlParameter(url.url, 'pool_timeout') : null;
  const acquireTimeoutMs = timeout === null ? 10_000 : Number(timeout) === 0 ? null : Number(timeout) * 1000;
  if (limit !== null && /^\d+$/.test(limit)) {
    return { database, connections: Number(limit), basis: `connection_limit=${limit} in ${url!.from}`, stated: true, acquireTimeoutMs };
  }
  const connections = context.cpus * 2 + 1;
  return {
    database,
    connections,
    basis: `Prisma's default connection_limit: ${context.cpus} CPUs × 2 + 1 = ${connections} (set the CPU count with --cpus)`,
    stated: false,
    acquireTimeoutMs,
  };
}

/** The URL this client connects with: its own options first, then the schema's datasource. */
function statedUrl(options: SiteOptions, context: PoolContext): { url: string; from: string } | null {
  const own = optionAt(options, 'datasourceUrl');
  if (own !== undefined) return urlOf(own, context);
  const datasources = optionAt(options, 'datasources');
  if (datasources && typeof datasources === 'object' && !Array.isArray(datasources)) {
    for (const source of Object.values(datasources)) {
      const url = urlOf(optionAt(source, 'url'), context);
      if (url) return url;
    }
  }
  const schemaUrl = context.prismaDatasource?.url;
  if (!schemaUrl) return null;
  if ('value' in schemaUrl) return { url: schemaUrl.value, from: 'schema.prisma' };
  const found = context.env(schemaUrl.env);
  return found ? { url: found.value, from: `${schemaUrl.env} in ${found.file}` } : null;
}

function providerDatabase(provider: string | undefined): Database {
  switch (provider) {
    case 'postgresql':
    case 'postgres':
    case 'cockroachdb':
      return 'postgresql';
    case 'mysql':
      return 'mysql';
    case 'sqlite':
      return 'sqlite';
    case 'sqlserver':
      return 'sqlserver';
    case 'mongodb':
      return 'mongodb';
    default:
      return 'unknown';
  }
}

export type { PoolContext };
