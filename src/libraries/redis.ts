/**
 * Redis clients hold one connection each (a cluster client one per node): ioredis's
 * `new Redis()` / `new Cluster()` and node-redis's `createClient()` / `createCluster()`.
 */
import type { LibrarySpec } from './types.js';

export const ioredisLibrary: LibrarySpec = {
  id: 'ioredis',
  isClientModule: (specifier) => specifier === 'ioredis',
  constructors: new Set(['Redis', 'Cluster']),
  factories: new Set(),
  defaultExport: 'Redis',
  callableModule: 'Redis',
  distinctiveNames: new Set(),
  prefilterWords: ['ioredis'],
  estimatePool: (_args, built) => ({
    database: 'redis',
    connections: 1,
    basis: built.exportName === 'Cluster' ? 'one connection per cluster node (counted as 1)' : 'one connection per ioredis client',
    stated: false,
  }),
};

export const redisLibrary: LibrarySpec = {
  id: 'redis',
  isClientModule: (specifier) => specifier === 'redis' || specifier === '@redis/client',
  constructors: new Set(),
  factories: new Set(['createClient', 'createCluster']),
  defaultExport: null,
  callableModule: null,
  distinctiveNames: new Set(),
  prefilterWords: ['redis'],
  estimatePool: (_args, built) => ({
    database: 'redis',
    connections: 1,
    basis: built.exportName === 'createCluster' ? 'one connection per cluster node (counted as 1)' : 'one connection per node-redis client',
    stated: false,
  }),
};
