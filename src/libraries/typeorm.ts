/**
 * TypeORM: `new DataSource(options)` (or the older `createConnection`) opens its driver's pool:
 * `poolSize` or `extra.max` / `extra.connectionLimit`, by default 10.
 */
import { databaseOfDriver, databaseOfUrl, firstNumber, objectArgument, stringAt, urlOf } from './option-values.js';
import type { LibrarySpec, PoolEstimate } from './types.js';

export const typeormLibrary: LibrarySpec = {
  id: 'typeorm',
  isClientModule: (specifier) => specifier === 'typeorm',
  constructors: new Set(['DataSource', 'Connection']),
  factories: new Set(['createConnection', 'createConnections']),
  defaultExport: null,
  callableModule: null,
  distinctiveNames: new Set(),
  prefilterWords: ['typeorm'],
  estimatePool(args, _built, context) {
    const options = objectArgument(args);
    const url = urlOf(options?.url, context);
    const type = stringAt(options, 'type');
    const database = type ? databaseOfDriver(type) : url ? databaseOfUrl(url.url) : 'unknown';
    const fallback = database === 'sqlite' ? 1 : database === 'mongodb' ? 100 : 10;
    const max = firstNumber(options, ['poolSize', 'extra.max', 'extra.connectionLimit']);
    const estimate: PoolEstimate = max
      ? { database, connections: max.value, basis: `${max.path}: ${max.value} in the code`, stated: true }
      : { database, connections: fallback, basis: `the ${type ?? 'driver'} driver's default pool size (${fallback})`, stated: false };
    if (database === 'postgresql') {
      const acquire = firstNumber(options, ['extra.connectionTimeoutMillis', 'connectTimeoutMS']);
      estimate.acquireTimeoutMs = acquire && acquire.value > 0 ? acquire.value : null;
      estimate.idleTimeoutMs = firstNumber(options, ['extra.idleTimeoutMillis'])?.value ?? 10_000;
    }
    return estimate;
  },
};
