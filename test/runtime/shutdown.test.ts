import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runChild } from './child-process.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { createDatabase, generatePrismaClient } from '../helpers/prisma-client.js';

// These tests send real signals to real child processes and check how they end.

test('SIGTERM runs each closer once, newest first, then the process dies of SIGTERM (143)', async () => {
  const result = await runChild('shutdown-child', { env: { SCENARIO: 'closers' }, signals: [{ when: 'ready', signal: 'SIGTERM' }] });
  assert.equal(result.signal, 'SIGTERM', result.stderr);
  assert.equal(result.code, null);
  assert.deepEqual(result.lines.slice(result.lines.indexOf('ready') + 1), [
    'closer c start SIGTERM',
    'closer c done',
    'closer b start SIGTERM',
    'closer b done',
    'closer a start SIGTERM',
    'closer a done',
  ]);
  // One listener per event however many closers, and none from the unregistered closer.
  assert.ok(result.lines.includes('listeners SIGTERM=1 SIGINT=1 beforeExit=1'), result.lines.join('\n'));
  assert.equal(result.stderr, '');
});

test('SIGINT works the same way and ends with SIGINT (130)', async () => {
  const result = await runChild('shutdown-child', { env: { SCENARIO: 'closers' }, signals: [{ when: 'ready', signal: 'SIGINT' }] });
  assert.equal(result.signal, 'SIGINT', result.stderr);
  assert.deepEqual(
    result.lines.filter((line) => line.endsWith('start SIGINT')),
    ['closer c start SIGINT', 'closer b start SIGINT', 'closer a start SIGINT'],
  );
});

test('a hung closer is cut by its timeout (and told so), a throwing one is logged, and the rest still run', async () => {
  const result = await runChild('shutdown-child', { env: { SCENARIO: 'hung' }, signals: [{ when: 'ready', signal: 'SIGTERM' }] });
  assert.equal(result.signal, 'SIGTERM', result.stderr);
  const after = result.lines.slice(result.lines.indexOf('ready') + 1);
  assert.deepEqual(after, ['closer hung start', 'closer hung aborted', 'closer first start SIGTERM', 'closer first done']);
  assert.match(result.stderr, /shutdown closer "hung" did not finish within 300 ms/);
  assert.match(result.stderr, /shutdown closer "throws" failed: Error: closer failed on purpose/);
  // 300 ms for the hung closer, plus process overhead; far below "forever".
  assert.ok(result.elapsedMs < 10_000, `${result.elapsedMs} ms`);
});

test('a second signal during the closers exits at once', async () => {
  const result = await runChild('shutdown-child', {
    env: { SCENARIO: 'second-signal' },
    signals: [
      { when: 'ready', signal: 'SIGTERM' },
      { when: 'closer slow start', signal: 'SIGTERM' },
    ],
  });
  assert.equal(result.signal, 'SIGTERM');
  // The slow closer would have taken 20 s.
  assert.ok(result.elapsedMs < 10_000, `${result.elapsedMs} ms`);
});

test('with its own SIGTERM listener, the program decides when to exit: closers run, nothing kills it early', async () => {
  const result = await runChild('shutdown-child', { env: { SCENARIO: 'own-listener' }, signals: [{ when: 'ready', signal: 'SIGTERM' }] });
  assert.equal(result.code, 7, `${result.signal} ${result.stderr}`);
  assert.equal(result.signal, null);
  assert.ok(result.lines.includes('closer a done'), result.lines.join('\n'));
  assert.ok(result.lines.includes('user handler'));
  assert.equal(result.lines[result.lines.length - 1], 'user exits');
});

test('beforeExit: a process that ends on its own runs its closers once and keeps its exit code', async () => {
  const result = await runChild('shutdown-child', { env: { SCENARIO: 'before-exit' } });
  assert.equal(result.code, 3, result.stderr);
  assert.deepEqual(result.lines.slice(result.lines.indexOf('ready') + 1), [
    'closer async start beforeExit',
    'closer async done',
    'closer a start beforeExit',
    'closer a done',
  ]);
});

test('with no closer left, no listener is left: SIGTERM has its default effect', async () => {
  const result = await runChild('shutdown-child', { env: { SCENARIO: 'unregistered' }, signals: [{ when: 'ready', signal: 'SIGTERM' }] });
  assert.ok(result.lines.includes('listeners SIGTERM=0 beforeExit=0'), result.lines.join('\n'));
  // The process had a ref'd interval; only the default disposition can end it like this.
  assert.equal(result.signal, 'SIGTERM');
  assert.equal(result.lines.some((line) => line.startsWith('closer')), false);
});

test('two copies of the module (hot reload) share one registry and one set of listeners', async () => {
  const result = await runChild('shutdown-child', { env: { SCENARIO: 'two-copies' }, signals: [{ when: 'ready', signal: 'SIGTERM' }] });
  assert.equal(result.signal, 'SIGTERM', result.stderr);
  assert.ok(result.lines.includes('listeners SIGTERM=1'), result.lines.join('\n'));
  assert.deepEqual(
    result.lines.filter((line) => line.includes(' start ')),
    ['closer from-second-copy start SIGTERM', 'closer from-first-copy start SIGTERM', 'closer renamed-in-copy start SIGTERM'],
  );
});

let server: PostgresServer | undefined;
let databaseUrl = '';
let prismaEntry = '';

before(async () => {
  server = await startPostgres();
  databaseUrl = await createDatabase(server.url, 'shutdown');
  prismaEntry = generatePrismaClient().entry;
});

after(async () => {
  await server?.stop();
});

test('SIGTERM with a real Prisma client: disconnectShared closes its connections before the process exits', async () => {
  const result = await runChild('shutdown-child', {
    env: { SCENARIO: 'prisma', DATABASE_URL: databaseUrl, PRISMA_ENTRY: prismaEntry },
    signals: [{ when: 'ready', signal: 'SIGTERM' }],
  });
  assert.equal(result.signal, 'SIGTERM', result.stderr);
  assert.ok(result.lines.includes('users 0'), result.lines.join('\n'));
  assert.ok(result.lines.includes('connections before 1'), result.lines.join('\n'));
  assert.ok(result.lines.includes('connections after closers 0'), result.lines.join('\n'));
});
