import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';
import { disconnectShared, shared, toPrometheus, trackClient, trackClients, trackedClients, type ClientEvent, type TooManyClients } from '../../src/runtime/index.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { repoRoot } from '../helpers/paths.js';
import { createDatabase, generatePrismaClient } from '../helpers/prisma-client.js';
import { runChild } from './child-process.js';
import { writeLibraryLookalikes } from './library-lookalikes.js';
import { parsePrometheus, valueOf } from './prometheus-format.js';

// `pg` is already loaded here (the helpers import it): these tests cover tracking a library
// loaded BEFORE trackClients(). The generated Prisma client is loaded after it. The child
// process tests below cover the other orders.

interface PrismaLike {
  $extends(extension: unknown): PrismaLike;
  $disconnect(): Promise<void>;
  $connect(): Promise<void>;
  user: { count(): Promise<number> };
}
type PrismaConstructor = new (options: unknown) => PrismaLike;

let server: PostgresServer | undefined;
let databaseUrl = '';
let PrismaClient: PrismaConstructor;
let PrismaPg: new (options: { connectionString: string }) => unknown;
const warnings: string[] = [];
const tooMany: TooManyClients[] = [];
const events: ClientEvent[] = [];
// One tracker with the defaults (its warnings go to `warnings`), one with a callback.
const defaultTracker = trackClients({ logger: { warn: (message) => warnings.push(message) } });
const tracker = trackClients({ onTooMany: (event) => tooMany.push(event), onClient: (event) => events.push(event) });

before(async () => {
  server = await startPostgres();
  databaseUrl = await createDatabase(server.url, 'tracking');
  ({ PrismaClient } = (await import(generatePrismaClient().entry)) as { PrismaClient: PrismaConstructor });
  ({ PrismaPg } = (await import('@prisma/adapter-pg')) as unknown as { PrismaPg: typeof PrismaPg });
});

after(async () => {
  tracker.stop();
  defaultTracker.stop();
  await server?.stop();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
const newPrisma = () => new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
const thisFile = /track-clients\.test\.js:\d+:\d+/;

test('a second open Prisma client is reported once, with where both were created', async () => {
  const first = newPrisma();
  await first.user.count();
  await settle();
  assert.equal(tooMany.length, 0, 'one client is fine');
  const second = newPrisma();
  const third = newPrisma();
  await settle();
  assert.equal(tooMany.length, 1, 'one report per episode, not one per client');
  const event = tooMany[0]!;
  assert.equal(event.library, 'prisma');
  assert.equal(event.key, 'default');
  assert.equal(event.limit, 1);
  assert.equal(event.live.length, 3);
  for (const client of event.live) {
    assert.match(client.stack[0]!, thisFile, client.stack.join('\n'));
    assert.equal(client.type, 'PrismaClient');
    assert.equal(client.owner, undefined);
  }
  // Built by the same helper: the helper's frame comes first, the callers' lines after it.
  assert.notDeepEqual(event.live[0]!.stack, event.live[1]!.stack, 'each client has its own site');
  assert.match(event.live[1]!.stack[1]!, thisFile);
  assert.match(event.message, /3 PrismaClient instances are open at once for key "default" \(limit 1\)/);
  assert.match(event.message, /shared\('prisma'/);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0], event.message, 'the default handler logs the same message');

  // Closing brings the count back within the limit and re-arms the report.
  await second.$disconnect();
  await third.$disconnect();
  await settle();
  assert.equal(tracker.clients().filter((client) => client.library === 'prisma').length, 1);
  const fourth = newPrisma();
  await settle();
  assert.equal(tooMany.length, 2, 'a new episode is reported again to a custom onTooMany');
  assert.equal(warnings.length, 1, 'but the default warns once per library and key for the life of the process');
  await Promise.all([first.$disconnect(), fourth.$disconnect()]);
  await settle();
});

test('a client made by shared() carries its key, so a read replica is not a duplicate', async () => {
  const before = tooMany.length;
  const main = shared('prisma-main', () => newPrisma());
  const replica = shared('prisma-replica', () => newPrisma().$extends({}));
  await settle();
  assert.equal(tooMany.length, before);
  const keys = tracker
    .clients()
    .filter((client) => client.library === 'prisma')
    .map((client) => client.key)
    .sort();
  assert.deepEqual(keys, ['prisma-main', 'prisma-replica']);
  // $disconnect through an $extends() result closes the tracked base client.
  await replica.$disconnect();
  await main.$disconnect();
  await settle();
  assert.deepEqual(
    tracker.clients().filter((client) => client.library === 'prisma'),
    [],
  );
  await disconnectShared({ keys: ['prisma-main', 'prisma-replica'] });
});

test('$connect after $disconnect counts the client as open again', async () => {
  const client = newPrisma();
  await client.$disconnect();
  await settle();
  assert.equal(tracker.clients().some((tracked) => tracked.library === 'prisma'), false);
  await client.$connect();
  await settle();
  assert.equal(tracker.clients().filter((tracked) => tracked.library === 'prisma').length, 1);
  await client.$disconnect();
  assert.deepEqual(
    events.filter((event) => event.client.library === 'prisma').slice(-3).map((event) => event.type),
    ['closed', 'reopened', 'closed'],
  );
});

test('pg pools and clients of an already-loaded pg are tracked; end() closes them', async () => {
  const before = tooMany.filter((event) => event.library === 'pg').length;
  // Only this test's records: pg clients of earlier tests may still be listed as closed.
  const firstId = Math.max(0, ...tracker.clients({ includeClosed: true }).map((tracked) => tracked.id)) + 1;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  await pool.query('SELECT 1');
  await settle();
  assert.equal(tooMany.filter((event) => event.library === 'pg').length, before, 'one pool is fine');
  // A second pg client under the same key — here a Client for LISTEN/NOTIFY that should
  // have been given its own key — goes over the limit.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await settle();
  const reported = tooMany.filter((event) => event.library === 'pg').slice(before);
  assert.equal(reported.length, 1);
  assert.deepEqual(reported[0]!.live.map((tracked) => tracked.type), ['Pool', 'Client']);
  assert.ok(pool instanceof pg.Pool, 'instanceof still works through the wrapper');
  await client.end();
  await pool.end();
  await settle();
  assert.equal(tracker.clients().filter((tracked) => tracked.library === 'pg').length, 0);
  assert.deepEqual(
    tracker.clients({ includeClosed: true }).filter((tracked) => tracked.library === 'pg' && tracked.id >= firstId).map((tracked) => tracked.state),
    ['closed', 'closed'],
  );
});

test('the pg pool adapter-pg creates for Prisma is the library’s, not the app’s: listed, never counted', async () => {
  const prisma = newPrisma();
  await prisma.user.count(); // adapter-pg creates its pool on first use
  await settle();
  const internal = tracker.clients({ includeInternal: true }).filter((client) => client.owner !== undefined);
  assert.ok(
    internal.some((client) => client.library === 'pg' && client.type === 'Pool' && client.owner === '@prisma/adapter-pg'),
    JSON.stringify(internal),
  );
  assert.equal(tracker.clients().some((client) => client.owner !== undefined), false, 'hidden by default');
  // Its counters are exported like a watched pool's.
  const families = parsePrometheus(toPrometheus({ processMetrics: false }));
  assert.equal(valueOf(families, 'db_client_pool_max_connections', { pool: '@prisma/adapter-pg' }), 10);
  assert.ok(valueOf(families, 'db_client_pool_total_connections', { pool: '@prisma/adapter-pg' })! >= 1);
  assert.equal(valueOf(families, 'db_client_live', { library: 'prisma', key: 'default', owner: 'app' }), 1);
  assert.equal(valueOf(families, 'db_client_live', { library: 'pg', key: 'default', owner: '@prisma/adapter-pg' }), 1);
  assert.ok(valueOf(families, 'db_client_created_total', { library: 'prisma' })! >= 5);
  await prisma.$disconnect();
});

test('trackClient() adds what no hook saw, recognised by shape, and names it', async () => {
  const poolShaped = { totalCount: 0, idleCount: 0, waitingCount: 0, connect() {}, end() {} };
  assert.equal(trackClient(poolShaped, { key: 'bundled' }), poolShaped, 'returns the client for inline use');
  const notAClient = { not: 'a client' };
  assert.equal(trackClient(notAClient), notAClient);
  await settle();
  const found = trackedClients().find((client) => client.key === 'bundled');
  assert.equal(found?.library, 'pg');
  assert.equal(found?.type, 'Pool');
  assert.match(found!.stack[0]!, thisFile);
  assert.equal(trackedClients().some((client) => JSON.stringify(client).includes('not')), false);
  // Renaming an already tracked client.
  trackClient(poolShaped, { key: 'renamed' });
  assert.equal(trackedClients().find((client) => client.id === found!.id)?.key, 'renamed');
  poolShaped.end(); // a plain object's end() is not wrapped: only its class's would be
});

test('a limit per library', async () => {
  const relaxed: TooManyClients[] = [];
  const custom = trackClients({ limit: { pg: 3 }, onTooMany: (event) => relaxed.push(event) });
  try {
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: databaseUrl }));
    await settle();
    assert.equal(relaxed.filter((event) => event.library === 'pg' && event.key === 'default').length, 0);
    pools.push(new pg.Pool({ connectionString: databaseUrl }));
    await settle();
    assert.equal(relaxed.filter((event) => event.library === 'pg' && event.key === 'default').length, 1);
    await Promise.all(pools.map((pool) => pool.end()));
  } finally {
    custom.stop();
  }
});

test('the library code calling the wrapped constructors still works (subclasses, statics, instanceof)', () => {
  class AppPool extends pg.Pool {
    tag = 'mine';
  }
  const pool = new AppPool({ connectionString: databaseUrl });
  assert.equal(pool.tag, 'mine');
  assert.ok(pool instanceof pg.Pool);
  assert.equal(pg.Pool.name, 'BoundPool');
  const found = trackedClients().find((client) => client.type === 'Pool' && client.stack[0]?.match(thisFile) && client.state === 'open');
  assert.ok(found, 'a subclass constructed in app code is tracked as the app’s');
  void pool.end();
});

test('with trackers stopped, nothing is recorded and wrapped constructors pass straight through', async () => {
  const local = trackClients();
  tracker.stop();
  defaultTracker.stop();
  local.stop();
  assert.deepEqual(trackedClients(), []);
  const pool = new pg.Pool({ connectionString: databaseUrl });
  await settle();
  assert.deepEqual(trackedClients(), []);
  assert.equal(trackClient(pool), pool);
  assert.deepEqual(trackedClients(), []);
  assert.equal(parsePrometheus(toPrometheus({ processMetrics: false })).has('db_client_live'), false);
  await pool.end();
});

// --- child processes: fresh module caches -------------------------------------------------

function lines(result: { lines: string[] }, prefix: string): unknown[] {
  return result.lines.filter((line) => line.startsWith(`${prefix} `)).map((line) => JSON.parse(line.slice(prefix.length + 1)) as unknown);
}

interface ChildClient {
  library: string;
  type: string;
  key: string;
  owner?: string;
  state: string;
  site: string;
}

test('pg imported (ESM) after tracking started is tracked through the compile hook', async () => {
  const result = await runChild('track-child', { env: { SCENARIO: 'late-pg' } });
  assert.equal(result.code, 0, result.stderr);
  const [clients] = lines(result, 'clients') as ChildClient[][];
  assert.deepEqual(
    clients!.map((client) => [client.type, client.state]),
    [
      ['Pool', 'open'],
      ['Pool', 'closed'],
      ['Client', 'open'],
    ],
  );
  assert.match(clients![0]!.site, /track-child\.js:\d+:\d+/);
  const [event] = lines(result, 'event') as { library: string; live: number }[];
  assert.deepEqual({ library: event!.library, live: event!.live }, { library: 'pg', live: 3 });
});

test('Prisma clients generated as ESM (prisma-client generator) are tracked', async () => {
  const result = await runChild('track-child', { env: { SCENARIO: 'esm-prisma', PRISMA_ENTRY: generatePrismaClient({ generator: 'prisma-client' }).entry } });
  assert.equal(result.code, 0, result.stderr);
  const [clients] = lines(result, 'clients') as ChildClient[][];
  assert.deepEqual(
    clients!.map((client) => [client.library, client.type, client.owner ?? 'app']),
    [
      ['prisma', 'PrismaClient', 'app'],
      ['prisma', 'PrismaClient', 'app'],
    ],
  );
  assert.equal(lines(result, 'event').length, 1);
});

test('a Prisma client class loaded before tracking started is swapped in its module', async () => {
  const result = await runChild('track-child', { env: { SCENARIO: 'prisma-before', PRISMA_ENTRY: generatePrismaClient().entry } });
  assert.equal(result.code, 0, result.stderr);
  const [clients] = lines(result, 'clients') as ChildClient[][];
  assert.equal(clients!.filter((client) => client.library === 'prisma').length, 2);
  assert.equal(lines(result, 'event').length, 1);
});

test('a client dropped without being closed leaves the count once garbage-collected', async () => {
  const result = await runChild('track-child', { env: { SCENARIO: 'gc' }, nodeArgs: ['--expose-gc'] });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.lines.includes('open before gc 2'), result.lines.join('\n'));
  assert.ok(result.lines.includes('open after gc 1'), result.lines.join('\n'));
  assert.ok(result.lines.includes('events ["created Pool","created Pool","collected Pool"]'), result.lines.join('\n'));
});

function checkLibraries(result: { lines: string[]; stderr: string; code: number | null }): void {
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.lines.includes('ioredis identity true'), 'ioredis.Redis and .default are the same (wrapped) class');
  const events = lines(result, 'event') as { library: string; key: string; live: number; stacks: string[] }[];
  assert.deepEqual(events.map((event) => [event.library, event.live]).sort(), [
    ['ioredis', 2],
    ['knex', 2],
    ['mongodb', 2],
    ['mongoose', 2],
    ['redis', 2],
  ]);
  for (const event of events) for (const stack of event.stacks) assert.match(stack, /track-child\.js:\d+:\d+/, `${event.library}: ${stack}`);
  const [clients] = lines(result, 'clients') as ChildClient[][];
  const app = clients!.filter((client) => client.owner === undefined);
  assert.deepEqual(
    app.map((client) => `${client.library} ${client.type} ${client.state}`),
    [
      'ioredis Redis open',
      'ioredis Redis closed',
      'knex Knex open',
      'knex Knex closed',
      'mongoose Connection open',
      'mongoose Connection closed',
      'mongodb MongoClient open',
      'mongodb MongoClient closed',
      'redis RedisClient open',
      'redis RedisClient closed',
    ],
  );
}

test('ioredis, knex, mongoose, mongodb and node-redis: every way their packages export clients', async () => {
  const dir = writeLibraryLookalikes();
  try {
    checkLibraries(await runChild('track-child', { env: { SCENARIO: 'libraries', LIBS_DIR: dir } }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the real ioredis, knex, mongoose, mongodb and node-redis packages, when installed', async (t) => {
  const require = createRequire(`${repoRoot}package.json`);
  const missing = ['ioredis', 'knex', 'mongoose', 'mongodb', 'redis'].filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) return t.skip(`not installed: ${missing.join(', ')} (the look-alike test above covers their export shapes)`);
  checkLibraries(await runChild('track-child', { env: { SCENARIO: 'libraries', LIBS_DIR: repoRoot } }));
});
