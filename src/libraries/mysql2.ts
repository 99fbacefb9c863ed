/**
 * mysql2 (and mysqljs/mysql): `createPool()` keeps up to `connectionLimit` connections
 * (default 10); `createConnection()` is one; a pool cluster holds several pools.
 */
import { firstNumber, objectArgument } from './option-values.js';
import type { LibrarySpec } from './types.js';

const MODULES = new Set(['mysql2', 'mysql2/promise', 'mysql']);

export const mysql2Library: LibrarySpec = {
  id: 'mysql2',
  isClientModule: (specifier) => MODULES.has(specifier),
  constructors: new Set(),
  factories: new Set(['createPool', 'createConnection', 'createPoolCluster']),
  defaultExport: null,
  callableModule: null,
  distinctiveNames: new Set(),
  prefilterWords: ['mysql2', 'mysql'],
  estimatePool(args, built) {
    if (built.exportName === 'createConnection') return { database: 'mysql', connections: 1, basis: 'a single mysql2 connection', stated: true };
    if (built.exportName === 'createPoolCluster') {
      return { database: 'mysql', connections: 10, basis: 'a pool cluster (its pools are added later; counted as one default pool of 10)', stated: false };
    }
    const max = firstNumber(objectArgument(args), ['connectionLimit']);
    return max
      ? { database: 'mysql', connections: max.value, basis: `connectionLimit: ${max.value} in the code`, stated: true }
      : { database: 'mysql', connections: 10, basis: "mysql2's default connectionLimit (10)", stated: false };
  },
};
