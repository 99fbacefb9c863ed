import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { disconnectShared, forgetShared, hasShared, onShutdown, peekShared, shared, sharedKeys } from '../../src/runtime/index.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { createDatabase, generatePrismaClient } from '../helpers/prisma-client.js';

test('one instance per key, created once', () => {
  let created = 0;
  const make = () => ({ id: ++created });
  const first = shared('one-per-key', make);
  assert.equal(shared('one-per-key', make), first);
  assert.equal(shared('one-per-key', () => ({ id: -1 })), first, 'the first factory wins');
  assert.notEqual(shared('another-key', make), first);
  assert.equal(created, 2);
  assert.equal(peekShared<{ id: number }>('one-per-key'), first);
  assert.equal(hasShared('one-per-key'), true);
  assert.equal(peekShared('missing'), undefined);
  assert.equal(hasShared('missing'), false, 'peeking creates nothing');
  assert.ok(sharedKeys().includes('one-per-key'));
  assert.equal(forgetShared('one-per-key'), true);
  assert.equal(forgetShared('one-per-key'), false);
  assert.notEqual(shared('one-per-key', make), first);
});

test('a factory that throws caches nothing', () => {
  let attempts = 0;
  const factory = () => {
    attempts++;
    if (attempts === 1) throw new Error('database not ready');
    return { ok: true };
  };
  assert.throws(() => shared('flaky', factory), /database not ready/);
  assert.equal(hasShared('flaky'), false);
  assert.deepEqual(shared('flaky', factory), { ok: true });
  assert.equal(attempts, 2);
});

test('an async factory: concurrent callers share one creation; a rejection is forgotten', async () => {
  let calls = 0;
  const slow = () =>
    new Promise<{ n: number }>((resolve) => {
      calls++;
      setTimeout(() => resolve({ n: calls }), 20);
    });
  const [a, b] = await Promise.all([shared('async', slow), shared('async', slow)]);
  assert.equal(a, b);
  assert.equal(calls, 1);

  let tries = 0;
  const failing = async () => {
    tries++;
    if (tries === 1) throw new Error('connect refused');
    return 'connected';
  };
  await assert.rejects(shared('async-failing', failing), /connect refused/);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(hasShared('async-failing'), false);
  assert.equal(await shared('async-failing', failing), 'connected');
});

test('a factory that asks for its own key gets an error, not a stack overflow', () => {
  assert.throws(
    () => shared('recursive', (): unknown => shared('recursive', () => 1)),
    /shared\("recursive"\): the factory asked for "recursive" again while creating it/,
  );
  assert.equal(hasShared('recursive'), false);
  assert.equal(shared('recursive', () => 2), 2);
});

test('a second copy of the module (hot reload) sees the same instances', async () => {
  const copy = (await import(`../../src/runtime/shared.js?reload=${Date.now()}`)) as typeof import('../../src/runtime/shared.js');
  assert.notEqual(copy.shared, shared, 'really a second module instance');
  const original = shared('hot', () => ({ version: 1 }));
  assert.equal(copy.shared('hot', () => ({ version: 2 })), original);
});

test('the return type is the factory’s, promises and subclasses included', () => {
  class Client {
    query(): number {
      return 1;
    }
  }
  class Extended extends Client {
    extra = 'yes';
  }
  const extended = shared('typed', () => new Extended());
  const extra: string = extended.extra; // compile-time check: not widened to Client or unknown
  assert.equal(extra, 'yes');
  const promised: Promise<number> = shared('typed-async', async () => 42);
  assert.ok(promised instanceof Promise);
});

test('disconnectShared closes every instance with its own method, newest first, and forgets them', async () => {
  for (const key of sharedKeys()) forgetShared(key);
  const calls: string[] = [];
  shared('prisma-like', () => ({ $disconnect: async () => void calls.push('prisma-like.$disconnect'), end: () => calls.push('wrong') }));
  shared('pool-like', () => ({ end: async () => void calls.push('pool-like.end') }));
  shared('redis-like', () => ({ quit: async () => void calls.push('redis-like.quit'), disconnect: () => calls.push('wrong') }));
  shared('mongo-like', () => ({ close: async () => void calls.push('mongo-like.close') }));
  shared('knex-like', () => Object.assign(() => undefined, { destroy: async () => void calls.push('knex-like.destroy') }));
  shared('disposable', () => ({ [Symbol.asyncDispose]: async () => void calls.push('disposable.asyncDispose') }));
  shared('plain', () => ({ nothing: true }));
  shared('async-created', async () => ({ end: async () => void calls.push('async-created.end') }));
  const result = await disconnectShared();
  assert.deepEqual(calls, ['async-created.end', 'disposable.asyncDispose', 'knex-like.destroy', 'mongo-like.close', 'redis-like.quit', 'pool-like.end', 'prisma-like.$disconnect']);
  assert.deepEqual(
    result.map((entry) => [entry.key, entry.method]),
    [
      ['async-created', 'end'],
      ['plain', undefined],
      ['disposable', 'Symbol.asyncDispose'],
      ['knex-like', 'destroy'],
      ['mongo-like', 'close'],
      ['redis-like', 'quit'],
      ['pool-like', 'end'],
      ['prisma-like', '$disconnect'],
    ],
  );
  assert.deepEqual(sharedKeys(), []);
});

test('disconnectShared tries every client, bounds each by its timeout, and reports failures together', async () => {
  const closed: string[] = [];
  shared('ok-1', () => ({ end: async () => void closed.push('ok-1') }));
  shared('hangs', () => ({ end: () => new Promise(() => undefined) }));
  shared('fails', () => ({
    end: async () => {
      throw new Error('socket already closed');
    },
  }));
  shared('ok-2', () => ({ end: async () => void closed.push('ok-2') }));
  shared('never-created', () => Promise.reject(new Error('no database')));
  await new Promise((resolve) => setImmediate(resolve));
  const started = performance.now();
  const error: unknown = await disconnectShared({ timeoutMs: 200 }).catch((caught: unknown) => caught);
  assert.ok(error instanceof AggregateError, String(error));
  assert.equal(error.errors.length, 2);
  assert.match(error.message, /shared "fails": socket already closed/);
  assert.match(error.message, /shared "hangs": closing shared "hangs" did not finish within 200 ms/);
  assert.deepEqual(closed, ['ok-2', 'ok-1']);
  assert.ok(performance.now() - started < 5000);
  assert.deepEqual(sharedKeys(), []);
});

test('disconnectShared can close some keys only, and is a closer as it is', async () => {
  const closed: string[] = [];
  shared('keep', () => ({ end: async () => void closed.push('keep') }));
  shared('close-me', () => ({ end: async () => void closed.push('close-me') }));
  await disconnectShared({ keys: ['close-me'] });
  assert.deepEqual(closed, ['close-me']);
  assert.deepEqual(sharedKeys(), ['keep']);
  // Type-level: registrable in one line (the closer context carries an AbortSignal).
  const off = onShutdown(disconnectShared, { name: 'shared' });
  off();
  forgetShared('keep');
});

let server: PostgresServer | undefined;
let databaseUrl = '';

before(async () => {
  server = await startPostgres();
  databaseUrl = await createDatabase(server.url, 'shared');
});

after(async () => {
  await server?.stop();
});

async function connectionsNamed(name: string): Promise<number> {
  const probe = new pg.Client({ connectionString: databaseUrl });
  await probe.connect();
  try {
    const result = await probe.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [name]);
    return (result.rows[0] as { n: number }).n;
  } finally {
    await probe.end();
  }
}

test('a real Prisma 7 client: shared with $extends, one pool for every caller, disconnected in one call', async () => {
  const { PrismaClient } = (await import(generatePrismaClient().entry)) as { PrismaClient: new (options: unknown) => PrismaLike };
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const url = `${databaseUrl}?application_name=leakhound-shared-test`;
  let constructed = 0;
  const getPrisma = () =>
    shared('prisma', () => {
      constructed++;
      return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) }).$extends({ model: { user: { async countAll(this: unknown) { return 'extended'; } } } });
    });
  // Many modules asking for the client at once, as route files do at startup.
  const clients = Array.from({ length: 20 }, getPrisma);
  assert.ok(clients.every((client) => client === clients[0]));
  assert.equal(constructed, 1);
  await Promise.all(clients.map((client) => client.user.create({ data: { email: `${Math.random()}@example.com` } })));
  assert.equal(await clients[0]!.user.count(), 20);
  assert.ok((await connectionsNamed('leakhound-shared-test')) >= 1);
  const result = await disconnectShared({ keys: ['prisma'] });
  assert.deepEqual(result, [{ key: 'prisma', method: '$disconnect' }]);
  assert.equal(await connectionsNamed('leakhound-shared-test'), 0);
});

interface PrismaLike {
  $extends(extension: unknown): PrismaLike;
  $disconnect(): Promise<void>;
  user: { create(args: unknown): Promise<unknown>; count(): Promise<number> };
}
