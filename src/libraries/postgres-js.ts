/** postgres.js: `postgres(url, { max })` keeps up to `max` connections (default 10). */
import { firstNumber, objectArgument } from './option-values.js';
import type { LibrarySpec } from './types.js';

export const postgresJsLibrary: LibrarySpec = {
  id: 'postgres',
  isClientModule: (specifier) => specifier === 'postgres',
  constructors: new Set(),
  factories: new Set(['postgres']),
  defaultExport: 'postgres',
  callableModule: 'postgres',
  distinctiveNames: new Set(),
  prefilterWords: ['postgres'],
  estimatePool(args) {
    const options = objectArgument(args);
    const max = firstNumber(options, ['max']);
    return {
      ...(max
        ? { connections: max.value, basis: `max: ${max.value} in the code`, stated: true }
        : { connections: 10, basis: "postgres.js's default pool size (max 10)", stated: false }),
      database: 'postgresql',
      idleTimeoutMs: (firstNumber(options, ['idle_timeout'])?.value ?? 0) * 1000 || undefined,
    };
  },
};
