import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { poolStats, toPrometheus, watchPool } from '../../src/runtime/index.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { createDatabase, generatePrismaClient } from '../helpers/prisma-client.js';
import { parsePrometheus, valueOf } from './prometheus-format.js';

let server: PostgresServer | undefined;
let databaseUrl = '';

before(async () => {
  server = await startPostgres();
  databaseUrl = await createDatabase(server.url, 'pools');
});

after(async () => {
  await server?.stop();
});

/** Polls until `check` passes or the time is up (CI machines are slow; no tight timing). */
async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a saturated pg pool shows its waiting requests, live at each scrape', async () => {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const unwatch = watchPool(pool, { name: 'main' });
  try {
    const running = Array.from({ length: 5 }, () => pool.query('SELECT pg_sleep(0.5)'));
    await eventually(() => pool.totalCount === 2 && pool.waitingCount === 3, 'two busy connections and three waiting');
    assert.deepEqual(poolStats(pool), { total: 2, idle: 0, waiting: 3, max: 2 });
    const families = parsePrometheus(toPrometheus({ processMetrics: false }));
    assert.equal(valueOf(families, 'db_client_pool_total_connections', { pool: 'main' }), 2);
    assert.equal(valueOf(families, 'db_client_pool_waiting_requests', { pool: 'main' }), 3);
    assert.equal(valueOf(families, 'db_client_pool_max_connections', { pool: 'main' }), 2);
    await Promise.all(running);
    const after = parsePrometheus(toPrometheus({ processMetrics: false }));
    assert.equal(valueOf(after, 'db_client_pool_waiting_requests', { pool: 'main' }), 0);
    assert.equal(valueOf(after, 'db_client_pool_idle_connections', { pool: 'main' }), 2);
  } finally {
    await pool.end();
  }
  assert.equal(valueOf(parsePrometheus(toPrometheus({ processMetrics: false })), 'db_client_pool_total_connections', { pool: 'main' }), undefined, 'an ended pool leaves the export');
  unwatch();
});

test('Prisma 7 with adapter-pg and your own pool: the pool behind Prisma is visible', async () => {
  const { PrismaClient } = (await import(generatePrismaClient().entry)) as { PrismaClient: new (options: unknown) => { user: { count(): Promise<number> }; $disconnect(): Promise<void> } };
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  // Seen once on Node 22 in CI: a connection of this pool got the server's shutdown at the end
  // of the file ("terminating connection due to administrator command") after pool.end(), and
  // an 'error' event nobody listens to is an uncaught exception. What this test checks is the
  // exported gauges, not the teardown.
  pool.on('error', () => undefined);
  // The pool itself, not `{ pool }` (which adapter-pg ignores, connecting to localhost:5432).
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const unwatch = watchPool(pool, { name: 'prisma' });
  try {
    await Promise.all(Array.from({ length: 6 }, () => prisma.user.count()));
    const families = parsePrometheus(toPrometheus({ processMetrics: false }));
    const total = valueOf(families, 'db_client_pool_total_connections', { pool: 'prisma' })!;
    assert.ok(total >= 1 && total <= 3, `total ${total}`);
    assert.equal(valueOf(families, 'db_client_pool_max_connections', { pool: 'prisma' }), 3);
  } finally {
    unwatch();
    await prisma.$disconnect();
    await pool.end();
  }
  assert.equal(parsePrometheus(toPrometheus({ processMetrics: false })).has('db_client_pool_total_connections'), false);
});
