import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { queryMetrics, toPrometheus, type QueryMetrics, type SlowQuery } from '../../src/runtime/index.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { createDatabase, generatePrismaClient } from '../helpers/prisma-client.js';
import { parsePrometheus, valueOf } from './prometheus-format.js';

// A loosely typed view of the generated client: the test drives it through its real API.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Prisma = any;

let server: PostgresServer | undefined;
let databaseUrl = '';
let PrismaClient: new (options: unknown) => Prisma;
let PrismaPg: new (options: { connectionString: string }) => unknown;

before(async () => {
  server = await startPostgres();
  databaseUrl = await createDatabase(server.url, 'metrics');
  ({ PrismaClient } = (await import(generatePrismaClient().entry)) as { PrismaClient: typeof PrismaClient });
  ({ PrismaPg } = (await import('@prisma/adapter-pg')) as unknown as { PrismaPg: typeof PrismaPg });
});

after(async () => {
  await server?.stop();
});

function client(metrics: QueryMetrics): Prisma {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) }).$extends(metrics.prismaExtension);
}

const SECRET = 'never-in-metrics@example.com';

test('every operation of a real Prisma client is timed by model and operation, failures and slow ones counted', async () => {
  const slowSeen: SlowQuery[] = [];
  const metrics = queryMetrics({ name: 'app', slowQueryMs: 120, onSlowQuery: (query) => slowSeen.push(query) });
  const prisma = client(metrics);
  try {
    // The first query of a Prisma 7 client compiles its query compiler (wasm) and connects:
    // a one-time cost that would make it "slow". Start from a warm client.
    await prisma.user.count();
    metrics.reset();
    slowSeen.length = 0;
    const user = await prisma.user.create({ data: { email: SECRET, name: 'Ada' } });
    await prisma.post.create({ data: { title: 'first', authorId: user.id } });
    await prisma.user.findMany({ where: { email: SECRET } });
    await prisma.user.findMany();
    await assert.rejects(prisma.user.create({ data: { email: SECRET } }), /Unique constraint/);
    const [{ slept }] = await prisma.$queryRaw`SELECT pg_sleep(0.3)::text AS slept`;
    assert.equal(slept, '');
    const snapshot = metrics.snapshot();
    assert.equal(snapshot.client, 'app');
    const find = (model: string | undefined, operation: string) => snapshot.queries.find((query) => query.model === model && query.operation === operation);
    assert.equal(find('User', 'create')?.count, 2);
    assert.equal(find('User', 'create')?.failed, 1);
    assert.equal(find('Post', 'create')?.count, 1);
    assert.equal(find('User', 'findMany')?.count, 2);
    const raw = find(undefined, '$queryRaw')!;
    assert.equal(raw.count, 1);
    assert.equal(raw.slow, 1);
    assert.ok(raw.totalMs >= 300, `pg_sleep(0.3) took ${raw.totalMs} ms`);
    // Buckets are per bucket here (not cumulative) and add up to the count.
    assert.equal(raw.buckets.reduce((sum, bucket) => sum + bucket.count, 0), 1);
    assert.equal(raw.buckets.find((bucket) => bucket.le === 0.5)?.count ?? 0, raw.totalMs <= 500 ? 1 : 0);

    assert.deepEqual(
      metrics.slowQueries().map((query) => [query.model, query.operation, query.failed]),
      [[undefined, '$queryRaw', false]],
    );
    assert.equal(slowSeen.length, 1);
    assert.deepEqual(Object.keys(slowSeen[0]!).sort(), ['durationMs', 'failed', 'model', 'operation', 'time']);
    // Never the parameters: not in the snapshot, not in the export.
    assert.equal(JSON.stringify(snapshot).includes(SECRET), false);
    const text = toPrometheus({ processMetrics: false });
    assert.equal(text.includes(SECRET), false);
    const families = parsePrometheus(text);
    assert.equal(valueOf(families, 'db_client_query_duration_seconds_count', { client: 'app', model: 'User', operation: 'create' }), 2);
    assert.equal(valueOf(families, 'db_client_query_errors_total', { client: 'app', model: 'User', operation: 'create' }), 1);
    assert.equal(valueOf(families, 'db_client_slow_queries_total', { client: 'app', model: '', operation: '$queryRaw' }), 1);
  } finally {
    await prisma.$disconnect();
    metrics.stop();
  }
});

test('transactions: interactive and batch, committed and rolled back, with the queries inside them', async () => {
  const metrics = queryMetrics({ name: 'tx' });
  // A result extension added AFTER the metrics one must still apply inside transactions.
  const prisma = client(metrics).$extends({ result: { user: { shout: { needs: { email: true }, compute: (user: { email: string }) => user.email.toUpperCase() } } } });
  try {
    const shout = await prisma.$transaction(async (tx: Prisma) => {
      const user = await tx.user.create({ data: { email: 'tx@example.com' } });
      await tx.post.create({ data: { title: 'in a transaction', authorId: user.id } });
      return (await tx.user.findFirst({ where: { id: user.id } })).shout;
    });
    assert.equal(shout, 'TX@EXAMPLE.COM');
    await assert.rejects(
      prisma.$transaction(async (tx: Prisma) => {
        await tx.user.create({ data: { email: 'rolled-back@example.com' } });
        throw new Error('abort the transaction');
      }),
      /abort the transaction/,
    );
    assert.equal(await prisma.user.count({ where: { email: 'rolled-back@example.com' } }), 0, 'really rolled back');
    const [count, posts] = await prisma.$transaction([prisma.user.count(), prisma.post.findMany()]);
    assert.ok(count >= 1 && Array.isArray(posts));

    const snapshot = metrics.snapshot();
    const interactive = snapshot.transactions.find((entry) => entry.kind === 'interactive')!;
    const batch = snapshot.transactions.find((entry) => entry.kind === 'batch')!;
    assert.equal(interactive.count, 2);
    assert.equal(interactive.failed, 1);
    assert.equal(batch.count, 1);
    assert.equal(batch.failed, 0);
    const find = (model: string, operation: string) => snapshot.queries.find((query) => query.model === model && query.operation === operation)?.count;
    assert.equal(find('User', 'create'), 2, 'queries inside interactive transactions are recorded');
    assert.equal(find('Post', 'create'), 1);
    assert.equal(find('Post', 'findMany'), 1, 'and inside batches');
    const families = parsePrometheus(toPrometheus({ processMetrics: false }));
    assert.equal(valueOf(families, 'db_client_transaction_duration_seconds_count', { client: 'tx', kind: 'interactive' }), 2);
    assert.equal(valueOf(families, 'db_client_transaction_errors_total', { client: 'tx', kind: 'interactive' }), 1);
  } finally {
    await prisma.$disconnect();
    metrics.stop();
  }
});

test('memory stays bounded: a fixed slow-query log and a cap on model × operation series', async () => {
  const metrics = queryMetrics({ name: 'bounded', slowQueryMs: 0, slowQueryLogSize: 3, maxSeries: 2 });
  const prisma = client(metrics);
  try {
    await prisma.user.count();
    await prisma.user.findMany();
    await prisma.post.count();
    await prisma.post.findMany();
    await prisma.$queryRaw`SELECT 1`;
    const snapshot = metrics.snapshot();
    assert.deepEqual(
      snapshot.queries.map((query) => `${query.model}.${query.operation}:${query.count}`),
      ['User.count:1', 'User.findMany:1', '__other__.__other__:3'],
    );
    assert.deepEqual(
      metrics.slowQueries().map((query) => `${query.model}.${query.operation}`),
      ['Post.count', 'Post.findMany', 'undefined.$queryRaw'],
      'the newest three',
    );
    metrics.reset();
    assert.deepEqual(metrics.snapshot().queries, []);
  } finally {
    await prisma.$disconnect();
    metrics.stop();
  }
});

test('after stop() the extension passes queries through untouched', async () => {
  const metrics = queryMetrics({ name: 'stopped' });
  const prisma = client(metrics);
  try {
    await prisma.user.count();
    metrics.stop();
    assert.equal(typeof (await prisma.user.count()), 'number');
    await prisma.$transaction(async (tx: Prisma) => tx.user.count());
    assert.deepEqual(metrics.snapshot().queries, []);
    assert.deepEqual(metrics.snapshot().transactions, []);
  } finally {
    await prisma.$disconnect();
  }
});

test('the extension refuses what is not a Prisma client', () => {
  const metrics = queryMetrics();
  try {
    assert.throws(() => metrics.prismaExtension({}), /must be given to a Prisma Client/);
  } finally {
    metrics.stop();
  }
});
