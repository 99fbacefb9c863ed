import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { queryMetrics, toPrometheus, type QueryMetrics, type SlowQuery } from '../../src/runtime/index.js';
import { parseStatement } from '../../src/runtime/prisma-adapter.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { createDatabase, generatePrismaClient } from '../helpers/prisma-client.js';
import { parsePrometheus, valueOf } from './prometheus-format.js';

// A loosely typed view of the generated client: the test drives it through its real API.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Prisma = any;

let server: PostgresServer | undefined;
let databaseUrl = '';
let PrismaClient: new (options: unknown) => Prisma;
let PrismaPg: new (options: { connectionString: string }) => { connect(): Promise<object> };

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

test('the adapter wrapper times each SQL statement and transaction of a real Prisma client, by table and verb', async () => {
  const metrics = queryMetrics({ name: 'adapter', slowQueryMs: 150 });
  const prisma: Prisma = new PrismaClient({ adapter: metrics.prismaAdapter(new PrismaPg({ connectionString: databaseUrl })) });
  try {
    await prisma.user.count(); // warm: first query compiles and connects
    metrics.reset();
    const user = await prisma.user.create({ data: { email: 'adapter@example.com' } });
    await prisma.post.create({ data: { title: 'via adapter', authorId: user.id } });
    await prisma.user.findMany({ where: { email: 'adapter@example.com' } });
    await assert.rejects(prisma.user.create({ data: { email: 'adapter@example.com' } }), /Unique constraint/);
    await prisma.$queryRaw`SELECT pg_sleep(0.2)::text`;
    await prisma.$transaction(async (tx: Prisma) => {
      await tx.post.count();
    });
    await assert.rejects(
      prisma.$transaction(async (tx: Prisma) => {
        await tx.user.count();
        throw new Error('roll back');
      }),
      /roll back/,
    );
    const snapshot = metrics.snapshot();
    const find = (model: string | undefined, operation: string) => snapshot.queries.find((query) => query.model === model && query.operation === operation);
    assert.equal(find('User', 'insert')?.count, 2);
    assert.equal(find('User', 'insert')?.failed, 1);
    assert.equal(find('Post', 'insert')?.count, 1);
    assert.ok(find('User', 'select')!.count >= 1);
    assert.ok(find('Post', 'select')!.count >= 1, 'statements inside transactions are timed');
    const sleep = find(undefined, 'select')!;
    assert.equal(sleep.slow, 1);
    assert.ok(sleep.totalMs >= 200);
    const transactions = snapshot.transactions.find((entry) => entry.kind === 'sql')!;
    assert.equal(transactions.count, 2);
    assert.equal(transactions.failed, 1, 'a rollback counts as failed');
    const text = JSON.stringify(snapshot) + toPrometheus({ processMetrics: false });
    assert.equal(text.includes('adapter@example.com'), false, 'no parameters');
    assert.equal(/SELECT|INSERT/.test(text), false, 'no SQL text');
  } finally {
    await prisma.$disconnect();
    metrics.stop();
  }
  assert.throws(() => queryMetrics().prismaAdapter({} as never), /needs a Prisma driver adapter factory/);
});

test('SQL statements are labelled by verb and first table, from the text Prisma and people write', () => {
  assert.deepEqual(parseStatement('SELECT "public"."User"."id", "public"."User"."email" FROM "public"."User" WHERE "public"."User"."id" = $1 LIMIT $2 OFFSET $3'), { table: 'User', verb: 'select' });
  assert.deepEqual(parseStatement('INSERT INTO "public"."Post" ("title","authorId") VALUES ($1,$2) RETURNING "public"."Post"."id"'), { table: 'Post', verb: 'insert' });
  assert.deepEqual(parseStatement('UPDATE "public"."User" SET "name" = $1 WHERE ("public"."User"."id" = $2)'), { table: 'User', verb: 'update' });
  assert.deepEqual(parseStatement('DELETE FROM "public"."User" WHERE "public"."User"."id" = $1'), { table: 'User', verb: 'delete' });
  assert.deepEqual(parseStatement('  /* traced */ select * from users u join orders o on o.user_id = u.id'), { table: 'users', verb: 'select' });
  assert.deepEqual(parseStatement('SELECT 1'), { table: undefined, verb: 'select' });
  assert.deepEqual(parseStatement('SELECT * FROM "we""ird"'), { table: 'we"ird', verb: 'select' });
  assert.deepEqual(parseStatement('BEGIN'), { table: undefined, verb: 'begin' });
  assert.deepEqual(parseStatement(''), { table: undefined, verb: 'unknown' });
});
