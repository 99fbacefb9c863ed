/**
 * `leakhound cost` measured for real: an embedded PostgreSQL, a Prisma 7 client generated for
 * the test, the repository's pg. Small N and one repeat keep it to seconds; nothing here
 * asserts a timing or a tight memory figure, only what must hold on any machine.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCostFile, type LibraryCost } from '../../src/cost/cost-file.js';
import { measureCost } from '../../src/cost/measure-cost.js';
import { inspectLibrary } from '../../src/cost/run-probe.js';
import { repoRoot } from '../helpers/paths.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { generatePrismaClient } from '../helpers/prisma-client.js';

const MB = 1024 * 1024;
let server: PostgresServer;

before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

function assertPlausible(library: LibraryCost): void {
  for (const point of library.perClient.points) {
    assert.deepEqual(point.failures, [], `${library.library}: ${point.n} clients`);
    // One query on each client opens exactly one connection each.
    assert.equal(point.median!.connections, point.n, `${library.library}: connections after one query on ${point.n} clients`);
  }
  assert.equal(library.perClient.baseline.median!.connections, 0);
  for (const point of library.perConnection.points) assert.equal(point.median!.connections, point.n, `${library.library}: a pool holding ${point.n}`);
  assert.equal(library.perClient.fits.connections!.slope, 1);
  assert.ok(library.perClient.fits.heapUsed!.slope > 0, `${library.library}: heap per client ${library.perClient.fits.heapUsed!.slope}`);
  assert.ok(library.perClient.fits.serverPrivate!.slope > 0);
  const server = library.perConnection.fits.serverPrivate!.slope;
  assert.ok(server > 0.3 * MB && server < 20 * MB, `${library.library}: server memory per connection ${server} bytes`);
  assert.ok(library.perConnection.fits.serverPss!.slope > 0);
  assert.equal(library.poolMax, 10);
}

test('Prisma 7 (with @prisma/adapter-pg) and pg: connections per client, server memory per connection, a file that round-trips', { timeout: 240_000 }, async () => {
  // The schema's generator writes to ./generated: found there without --prisma-client.
  const prisma = generatePrismaClient();
  const progress: string[] = [];
  const file = await measureCost({
    databaseUrl: server.url,
    projectDir: prisma.dir,
    libraries: ['prisma', 'pg'],
    points: [1, 4, 16],
    repeats: 1,
    timeoutMs: 60_000,
    onProgress: (event) => progress.push(`${event.library} ${event.done}/${event.total}`),
  });
  assert.deepEqual(parseCostFile(JSON.stringify(file), 'cost.json'), file);
  assert.deepEqual(file.warnings, []);
  assert.equal(file.database.embedded, false);
  assert.match(file.database.url, /^postgresql:\/\/postgres:\*\*\*\*@127\.0\.0\.1:\d+\/postgres$/);
  assert.ok(!JSON.stringify(file).includes(':leakhound@'), 'the password never reaches the file');
  assert.equal(file.server.measured, process.platform === 'linux', file.server.reason ?? '');
  assert.deepEqual(
    file.libraries.map((library) => library.library),
    ['prisma', 'pg'],
  );
  const [prismaCost, pgCost] = file.libraries as [LibraryCost, LibraryCost];
  assert.match(prismaCost.version, /^7\./);
  assert.match(prismaCost.description, /^PrismaClient with @prisma\/adapter-pg 7\./);
  assert.equal(prismaCost.entry, 'generated/index.js');
  assert.equal(pgCost.description, 'pg.Pool');
  assertPlausible(prismaCost);
  assertPlausible(pgCost);
  // Prisma 7's first client compiles its WebAssembly query compiler: a one-time cost in MBs.
  assert.ok(prismaCost.perClient.oneTime!.heapUsed > 1 * MB, `one-time heap ${prismaCost.perClient.oneTime!.heapUsed}`);
  assert.ok(prismaCost.perClient.oneTime!.rss > 5 * MB, `one-time RSS ${prismaCost.perClient.oneTime!.rss}`);
  assert.equal(progress.at(-1), 'pg 7/7');
});

test('the prisma-client generator (ESM, compiled) is loaded through --prisma-client', { timeout: 120_000 }, async () => {
  const esm = generatePrismaClient({ generator: 'prisma-client' });
  const outcome = await inspectLibrary({ library: 'prisma', projectDir: esm.dir, prismaClient: fileURLToPath(esm.entry) }, { timeoutMs: 30_000 });
  assert.ok('info' in outcome, JSON.stringify(outcome));
  assert.match(outcome.info.version, /^7\./);
  assert.equal(outcome.info.poolMax, 10);
});

/** A fake `pg` whose second client fails its query, whose pool crashes at 2 connections and hangs at 3. */
function brokenPgProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-cost-broken-'));
  mkdirSync(join(dir, 'node_modules/pg'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'broken', private: true }));
  writeFileSync(join(dir, 'node_modules/pg/package.json'), JSON.stringify({ name: 'pg', version: '0.0.1-broken', main: 'index.js' }));
  writeFileSync(
    join(dir, 'node_modules/pg/index.js'),
    `let pools = 0;
class Pool {
  constructor(options = {}) { this.options = { ...options, max: options.max || 10 }; this.asked = options.max; this.id = options.connectionString ? ++pools : 0; }
  on() { return this; }
  async query() {
    if (this.asked >= 3) return new Promise(() => {});
    if (this.asked === 2) { console.error('fake: corrupted heap'); process.exit(7); }
    if (this.id >= 2) throw new Error('permission denied for database, connecting with ' + this.options.connectionString);
    return { rows: [] };
  }
  async end() {}
}
module.exports = { Pool };
`,
  );
  return dir;
}

test('a probe that fails, crashes or hangs is reported with its reason; the other points are measured', { timeout: 120_000 }, async () => {
  const dir = brokenPgProject();
  try {
    const file = await measureCost({ databaseUrl: server.url, projectDir: dir, libraries: ['pg'], points: [1, 2, 3], repeats: 1, timeoutMs: 3000 });
    const [pg] = file.libraries as [LibraryCost];
    assert.equal(pg.version, '0.0.1-broken');
    assert.equal(pg.perClient.baseline.repeats.length, 1);
    assert.equal(pg.perClient.points[0]!.repeats.length, 1, 'one client works');
    const failed = pg.perClient.points[1]!.failures[0]!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error, /permission denied for database, connecting with postgresql:\/\/postgres:\*\*\*\*@/);
    assert.ok(!failed.error.includes(':leakhound@'), 'errors are redacted');
    const crashed = pg.perConnection.points[1]!.failures[0]!;
    assert.equal(crashed.status, 'crashed');
    assert.match(crashed.error, /exited with code 7: fake: corrupted heap/);
    assert.equal(pg.perConnection.points[2]!.failures[0]!.status, 'timeout');
    assert.equal(pg.perConnection.points[0]!.repeats.length, 1);
    assert.match(file.warnings.join('\n'), /pg: 4 of 7 runs failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pg from the project, found by default when there is no Prisma client', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-cost-pg-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    // Only pg: a project without @prisma/client.
    symlinkSync(join(repoRoot, 'node_modules/pg'), join(dir, 'node_modules/pg'), 'dir');
    const file = await measureCost({ databaseUrl: server.url, projectDir: dir, libraries: 'auto', points: [1, 2], repeats: 1, timeoutMs: 30_000 });
    assert.deepEqual(
      file.libraries.map((library) => library.library),
      ['pg'],
    );
    assert.deepEqual(file.warnings, [], 'Prisma simply absent is not worth a warning');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
