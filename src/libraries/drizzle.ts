/**
 * drizzle: `drizzle(…)` from a driver entry point (`drizzle-orm/node-postgres`, `/mysql2`,
 * `/postgres-js`, …). Given a connection string or `{ connection }` it opens the driver's pool
 * itself; given a pool or client built elsewhere it opens nothing (that site is counted on
 * its own).
 */
import { constructedValue, optionAt, firstNumber, objectArgument, urlOf } from './option-values.js';
import type { Database, LibrarySpec } from './types.js';

const DRIVERS: Record<string, { database: Database; defaultMax: number }> = {
  'node-postgres': { database: 'postgresql', defaultMax: 10 },
  'postgres-js': { database: 'postgresql', defaultMax: 10 },
  'vercel-postgres': { database: 'postgresql', defaultMax: 10 },
  'neon-serverless': { database: 'postgresql', defaultMax: 10 },
  'neon-http': { database: 'postgresql', defaultMax: 0 },
  'mysql2': { database: 'mysql', defaultMax: 10 },
  'planetscale-serverless': { database: 'mysql', defaultMax: 0 },
  'better-sqlite3': { database: 'sqlite', defaultMax: 1 },
  'libsql': { database: 'sqlite', defaultMax: 1 },
  'bun-sqlite': { database: 'sqlite', defaultMax: 1 },
};

export const drizzleLibrary: LibrarySpec = {
  id: 'drizzle',
  isClientModule: (specifier) => /^drizzle-orm\/[\w-]+$/.test(specifier) && !/-core$/.test(specifier) && specifier in DRIVER_MODULES,
  constructors: new Set(),
  factories: new Set(['drizzle']),
  defaultExport: null,
  callableModule: null,
  distinctiveNames: new Set(),
  prefilterWords: ['drizzle'],
  estimatePool(args, built, context) {
    const driver = DRIVERS[built.module.replace(/^drizzle-orm\//, '')] ?? { database: 'unknown' as Database, defaultMax: 10 };
    const [first] = args;
    const options = objectArgument(args);
    const ownConnection = typeof first === 'string' || urlOf(first, context) !== null || optionAt(options, 'connection') !== undefined;
    if (!ownConnection) {
      const passed = constructedValue(first) ?? constructedValue(optionAt(options, 'client'));
      return {
        database: driver.database,
        connections: 0,
        basis: passed ? `uses the ${passed.callee} passed in (counted where it is built)` : 'uses a client passed in (counted where it is built)',
        stated: true,
      };
    }
    const max = firstNumber(options, ['connection.max', 'connection.connectionLimit']);
    return max
      ? { database: driver.database, connections: max.value, basis: `connection.${max.path.split('.')[1]}: ${max.value} in the code`, stated: true }
      : { database: driver.database, connections: driver.defaultMax, basis: `the driver's default pool size (${driver.defaultMax})`, stated: false };
  },
};

const DRIVER_MODULES: Record<string, true> = Object.fromEntries(Object.keys(DRIVERS).map((name) => [`drizzle-orm/${name}`, true]));
