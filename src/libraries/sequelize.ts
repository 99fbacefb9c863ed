/**
 * Sequelize: `new Sequelize(…)` keeps a pool of `pool.max` connections (default 5) and waits
 * `pool.acquire` ms (default 60 s) for one. Its options are the last object argument:
 * `(uri, options)`, `(database, user, password, options)` or `(options)`.
 */
import { databaseOfDriver, databaseOfUrl, firstNumber, objectArgument, stringAt, urlOf } from './option-values.js';
import type { LibrarySpec, PoolEstimate } from './types.js';

const MODULES = new Set(['sequelize', 'sequelize-typescript', '@sequelize/core']);

export const sequelizeLibrary: LibrarySpec = {
  id: 'sequelize',
  isClientModule: (specifier) => MODULES.has(specifier),
  constructors: new Set(['Sequelize']),
  factories: new Set(),
  defaultExport: 'Sequelize',
  callableModule: 'Sequelize',
  distinctiveNames: new Set(),
  prefilterWords: ['sequelize'],
  estimatePool(args, _built, context) {
    const options = objectArgument([...args].reverse());
    const url = urlOf(args[0], context) ?? urlOf(options?.url, context);
    const dialect = stringAt(options, 'dialect');
    const database = dialect ? databaseOfDriver(dialect) : url ? databaseOfUrl(url.url) : 'unknown';
    const max = firstNumber(options, ['pool.max']);
    const estimate: PoolEstimate = max
      ? { database, connections: max.value, basis: `pool.max: ${max.value} in the code`, stated: true }
      : { database, connections: 5, basis: "Sequelize's default pool size (max 5)", stated: false };
    estimate.acquireTimeoutMs = firstNumber(options, ['pool.acquire'])?.value ?? 60_000;
    estimate.idleTimeoutMs = firstNumber(options, ['pool.idle'])?.value ?? 10_000;
    return estimate;
  },
};
