/**
 * knex: `knex(config)` builds a pool of `pool.max` connections (default 10; one for SQLite)
 * and waits `acquireConnectionTimeout` (default 60 s) for one.
 */
import { databaseOfDriver, databaseOfUrl, firstNumber, objectArgument, stringAt, urlOf } from './option-values.js';
import type { LibrarySpec, PoolEstimate } from './types.js';

export const knexLibrary: LibrarySpec = {
  id: 'knex',
  isClientModule: (specifier) => specifier === 'knex',
  constructors: new Set(),
  factories: new Set(['knex']),
  defaultExport: 'knex',
  callableModule: 'knex',
  distinctiveNames: new Set(),
  prefilterWords: ['knex'],
  estimatePool(args, _built, context) {
    const options = objectArgument(args);
    const url = urlOf(options?.connection, context) ?? urlOf(args[0], context);
    const driver = stringAt(options, 'client') ?? stringAt(options, 'dialect');
    const database = driver ? databaseOfDriver(driver) : url ? databaseOfUrl(url.url) : 'unknown';
    const max = firstNumber(options, ['pool.max']);
    const acquire = firstNumber(options, ['acquireConnectionTimeout']);
    const fallback = database === 'sqlite' ? 1 : 10;
    const estimate: PoolEstimate = max
      ? { database, connections: max.value, basis: `pool.max: ${max.value} in the code`, stated: true }
      : { database, connections: fallback, basis: `knex's default pool size (max ${fallback})`, stated: false };
    estimate.acquireTimeoutMs = acquire ? acquire.value : 60_000;
    estimate.idleTimeoutMs = firstNumber(options, ['pool.idleTimeoutMillis'])?.value ?? 30_000;
    return estimate;
  },
};
