/**
 * mongoose: `connect()` / `createConnection()` open a MongoDB driver pool of `maxPoolSize`
 * connections (the driver's default is 100).
 */
import { firstNumber, objectArgument } from './option-values.js';
import type { LibrarySpec } from './types.js';

export const mongooseLibrary: LibrarySpec = {
  id: 'mongoose',
  isClientModule: (specifier) => specifier === 'mongoose',
  constructors: new Set(['Mongoose']),
  factories: new Set(['connect', 'createConnection']),
  defaultExport: null,
  callableModule: null,
  distinctiveNames: new Set(),
  prefilterWords: ['mongoose'],
  estimatePool(args) {
    const max = firstNumber(objectArgument(args), ['maxPoolSize', 'poolSize']);
    return max
      ? { database: 'mongodb', connections: max.value, basis: `${max.path}: ${max.value} in the code`, stated: true }
      : { database: 'mongodb', connections: 100, basis: "the MongoDB driver's default maxPoolSize (100)", stated: false };
  },
};
