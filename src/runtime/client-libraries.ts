/**
 * What a database client of each supported library looks like at run time: which module
 * file exports its constructor or factory, under which names, how it is closed, and how to
 * recognise an instance handed to `trackClient()` or created by a `shared()` factory.
 */

/** A library whose clients `trackClients()` counts. */
export type ClientLibrary = 'prisma' | 'pg' | 'ioredis' | 'redis' | 'knex' | 'mongoose' | 'mongodb';

/** Every supported library. */
export const CLIENT_LIBRARIES: readonly ClientLibrary[] = ['prisma', 'pg', 'ioredis', 'redis', 'knex', 'mongoose', 'mongodb'];

/**
 * How one export creates clients:
 * - `class`: `new X()` returns a client;
 * - `factory`: `x()` returns a client;
 * - `class-factory`: `x()` returns a client CLASS (Prisma's `getPrismaClient(config)`, which
 *   every generated client — `prisma-client-js` or `prisma-client`, CommonJS or ESM — calls).
 */
export type CreatorKind = 'class' | 'factory' | 'class-factory';

export interface CreatorSpec {
  kind: CreatorKind;
  /** The type shown for its clients: `PrismaClient`, `Pool`, `Redis`, … */
  type: string;
}

export interface LibrarySpec {
  library: ClientLibrary;
  /** The compiled file whose exports hold the creators (matched against absolute paths). */
  file: RegExp;
  /** `module.exports` itself is a creator (knex's function, ioredis's class). */
  self?: CreatorSpec;
  /** Named exports that are creators. */
  members?: Record<string, CreatorSpec>;
  /** Methods on the prototype of `module.exports` that are creators (mongoose's `createConnection`). */
  prototypeMembers?: Record<string, CreatorSpec>;
  /** Instance methods that close a client / open it again. Wrapped on the client's class. */
  closeMethods: readonly string[];
  openMethods: readonly string[];
  /** Reads a closed state the library exposes, when it has one. */
  isClosed?: (client: Record<string, unknown>) => boolean;
  /**
   * Other objects that stand for the same client when a close method runs (`this` is then one
   * of them): Prisma's `$extends()` results share the base client's `_originalClient`.
   */
  aliases?: (client: Record<string, unknown>) => unknown[];
}

const PACKAGE_FILE = (path: string) => new RegExp(`[\\\\/]node_modules[\\\\/]${path.replace(/\//g, '[\\\\/]').replace(/\./g, '\\.')}$`);

export const LIBRARY_SPECS: readonly LibrarySpec[] = [
  {
    library: 'prisma',
    // @prisma/client/runtime/client.js (Prisma 7), runtime/library.js (≤ 6), and the copy of
    // the runtime that `prisma-client-js` writes next to a client generated with `output`.
    file: /[\\/]runtime[\\/](?:client|library|binary)\.c?js$/,
    members: { getPrismaClient: { kind: 'class-factory', type: 'PrismaClient' } },
    closeMethods: ['$disconnect'],
    openMethods: ['$connect'],
    aliases: (client) => [client._originalClient],
  },
  {
    library: 'pg',
    file: PACKAGE_FILE('pg/lib/index.js'),
    members: { Pool: { kind: 'class', type: 'Pool' }, Client: { kind: 'class', type: 'Client' } },
    closeMethods: ['end'],
    openMethods: [],
    // pg-pool's public `ending` flag; pg.Client's `_ending` (set by end(), never reset).
    isClosed: (client) => client.ending === true || client._ending === true,
  },
  {
    library: 'ioredis',
    file: PACKAGE_FILE('ioredis/built/index.js'),
    self: { kind: 'class', type: 'Redis' },
    members: { default: { kind: 'class', type: 'Redis' }, Redis: { kind: 'class', type: 'Redis' }, Cluster: { kind: 'class', type: 'Cluster' } },
    closeMethods: ['quit', 'disconnect'],
    openMethods: ['connect'],
    isClosed: (client) => client.status === 'end',
  },
  {
    library: 'redis',
    // `redis` wraps `@redis/client`'s factories; both are hooked, and the outer call wins
    // the attribution (see track-clients.ts).
    file: /[\\/]node_modules[\\/](?:redis|@redis[\\/]client)[\\/]dist[\\/]index\.js$/,
    members: { createClient: { kind: 'factory', type: 'RedisClient' }, createCluster: { kind: 'factory', type: 'RedisCluster' } },
    closeMethods: ['quit', 'close', 'destroy', 'disconnect'],
    openMethods: ['connect'],
  },
  {
    library: 'knex',
    file: PACKAGE_FILE('knex/lib/index.js'),
    self: { kind: 'factory', type: 'Knex' },
    // A knex instance is a function; its methods are its own properties, not a prototype's.
    closeMethods: [],
    openMethods: [],
    // destroy() sets client.pool to undefined (and initialize() creates a new one).
    isClosed: (client) => {
      const inner = client.client as { pool?: unknown } | undefined;
      return inner !== undefined && inner.pool === undefined;
    },
  },
  {
    library: 'mongoose',
    file: PACKAGE_FILE('mongoose/lib/mongoose.js'),
    prototypeMembers: { createConnection: { kind: 'factory', type: 'Connection' } },
    closeMethods: ['close', 'destroy'],
    openMethods: ['openUri'],
  },
  {
    library: 'mongodb',
    file: PACKAGE_FILE('mongodb/lib/index.js'),
    members: { MongoClient: { kind: 'class', type: 'MongoClient' } },
    closeMethods: ['close'],
    openMethods: ['connect'],
  },
];

export function librarySpec(library: ClientLibrary): LibrarySpec {
  return LIBRARY_SPECS.find((spec) => spec.library === library)!;
}

/**
 * Recognises a client of a supported library by its shape, for objects that were not
 * constructed through a hooked export (bundled code, ESM-only builds, clients created before
 * tracking started). Returns the library and a type name, or `undefined`.
 */
export function detectClient(value: unknown): { library: ClientLibrary; type: string } | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const client = value as Record<string, unknown>;
  const has = (name: string, type: string) => typeof client[name] === type;
  // Prisma's class name is minified; its toStringTag is not.
  if (Object.prototype.toString.call(value) === '[object PrismaClient]') return { library: 'prisma', type: 'PrismaClient' };
  if (typeof value === 'function' && has('destroy', 'function') && has('raw', 'function') && typeof client.client === 'object') return { library: 'knex', type: 'Knex' };
  if (has('totalCount', 'number') && has('idleCount', 'number') && has('waitingCount', 'number') && has('connect', 'function')) return { library: 'pg', type: 'Pool' };
  if (has('query', 'function') && has('connect', 'function') && typeof client.connectionParameters === 'object') return { library: 'pg', type: 'Client' };
  if (has('status', 'string') && has('quit', 'function') && has('duplicate', 'function')) return { library: 'ioredis', type: 'Redis' };
  if (has('isOpen', 'boolean') && has('sendCommand', 'function')) return { library: 'redis', type: 'RedisClient' };
  if (has('readyState', 'number') && has('openUri', 'function') && has('model', 'function')) return { library: 'mongoose', type: 'Connection' };
  if (has('db', 'function') && has('connect', 'function') && has('close', 'function') && has('startSession', 'function')) return { library: 'mongodb', type: 'MongoClient' };
  return undefined;
}
