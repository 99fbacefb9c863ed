/**
 * node-postgres: `new Pool()` opens up to `max` connections (default 10) and by default waits
 * forever for a free one (`connectionTimeoutMillis: 0`); `new Client()` is one connection.
 * `@neondatabase/serverless` exports the same `Pool`/`Client` API.
 */
import { databaseOfUrl, firstNumber, objectArgument, urlOf } from './option-values.js';
import type { LibrarySpec, PoolEstimate } from './types.js';

const MODULES = new Set(['pg', '@neondatabase/serverless']);

export const pgLibrary: LibrarySpec = {
  id: 'pg',
  isClientModule: (specifier) => MODULES.has(specifier),
  constructors: new Set(['Pool', 'Client']),
  factories: new Set(),
  defaultExport: null,
  callableModule: null,
  distinctiveNames: new Set(),
  prefilterWords: ['pg', 'neondatabase'],
  estimatePool(args, built, context) {
    const options = objectArgument(args);
    const url = urlOf(options?.connectionString, context) ?? urlOf(args[0], context);
    const database = url ? databaseOfUrl(url.url) : 'postgresql';
    if (built.exportName === 'Client') return { database, connections: 1, basis: 'a single pg Client', stated: true };
    const max = firstNumber(options, ['max']);
    const acquire = firstNumber(options, ['connectionTimeoutMillis']);
    const estimate: PoolEstimate = max
      ? { database, connections: max.value, basis: `max: ${max.value} in the code`, stated: true }
      : { database, connections: 10, basis: "pg's default pool size (max 10)", stated: false };
    estimate.acquireTimeoutMs = acquire && acquire.value > 0 ? acquire.value : null;
    estimate.idleTimeoutMs = firstNumber(options, ['idleTimeoutMillis'])?.value ?? 10_000;
    return estimate;
  },
};
