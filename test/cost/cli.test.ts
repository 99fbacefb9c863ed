/**
 * `leakhound cost` as users run it: the built binary (so the bundled probe is found next to
 * the bundle), its help, the mistakes that exit 2 with a hint, and one small real run against
 * an embedded PostgreSQL with the repository's pg.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCostFile } from '../../src/cost/cost-file.js';
import { repoRoot } from '../helpers/paths.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';

const BIN = fileURLToPath(new URL('../../../bin/leakhound.js', import.meta.url));

/** Asynchronous: the embedded PostgreSQL of this test file runs in this process's event loop. */
function run(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, DATABASE_URL: '', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-cost-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

test('cost --help explains the command to a newcomer; the main help lists it', async () => {
  const help = await run(['cost', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^leakhound cost — what one more database client and one more connection cost/);
  assert.match(help.stdout, /--client <list>[\s\S]*--prisma-client <f>[\s\S]*--database-url <url>[\s\S]*--out <file>/);
  assert.match(help.stdout, /embedded PostgreSQL/);
  const main = await run(['--help']);
  assert.match(main.stdout, /leakhound cost \[options\]/);
});

test('usage mistakes exit 2 with a hint, before anything starts', async () => {
  const cases: [string[], RegExp][] = [
    [['cost', '--client', 'mongo'], /unknown client library: mongo\nhint: --client takes prisma, pg or both/],
    [['cost', '--points', '4'], /--points needs at least two values/],
    [['cost', '--points', '1,x'], /--points needs positive integers, got 'x'/],
    [['cost', '--max', '8', '--points', '1,2'], /--points and --max cannot be combined/],
    [['cost', '--max', '1'], /--max needs at least 2/],
    [['cost', 'apps/api'], /cost takes no positional argument[\s\S]*--project DIR/],
    [['cost', '--format', 'sarif'], /unknown format: sarif\nhint: --format takes one of: pretty, json, markdown/],
    [['cost', '--prisma-client', 'nowhere/client.js'], /--prisma-client: no such file: .*nowhere\/client\.js/],
    [['cost', '--client', 'pg', '--prisma-client', BIN], /--prisma-client only applies when Prisma is measured/],
    [['cost', '--project', '/does/not/exist'], /no such folder: \/does\/not\/exist/],
    [['cost', '--embedded', '--database-url', 'postgresql://x@h/db'], /--database-url and --embedded cannot be combined/],
    [['cost', '--bogus'], /Unknown option '--bogus'[\s\S]*leakhound cost --help/],
  ];
  for (const [args, expected] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, expected, args.join(' '));
    assert.equal(result.stdout, '');
  }
});

test('a database that is not PostgreSQL, or not reachable, is named with its password redacted', async () => {
  const mysql = await run(['cost'], { env: { DATABASE_URL: 'mysql://root:s3cret@db:3306/app' } });
  assert.equal(mysql.code, 2);
  assert.match(mysql.stderr, /DATABASE_URL is not a PostgreSQL connection string: mysql:\/\/root:\*\*\*\*@db:3306\/app\nhint: .*pass --embedded/);
  const unreachable = await run(['cost', '--client', 'pg', '--database-url', 'postgresql://me:hunter2@127.0.0.1:1/app', '--project', repoRoot]);
  assert.equal(unreachable.code, 2, unreachable.stderr);
  assert.match(unreachable.stderr, /^leakhound: cannot connect to postgresql:\/\/me:\*\*\*\*@127\.0\.0\.1:1\/app: .*ECONNREFUSED/);
  assert.match(unreachable.stderr, /hint: check --database-url \(or DATABASE_URL\)/);
  for (const output of [mysql.stderr, unreachable.stderr]) assert.doesNotMatch(output, /s3cret|hunter2/);
});

test('a project with no client library to measure exits 2 and says where to run it', async (t) => {
  const empty = tempDir(t);
  writeFileSync(join(empty, 'package.json'), '{"name":"empty"}');
  const result = await run(['cost', '--database-url', server.url, '--project', empty]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /no client library to measure in .*: @prisma\/client is not installed in .*; pg is not installed in /);
  assert.match(result.stderr, /hint: run leakhound cost in your application folder or pass --project DIR/);
  const pgOnly = await run(['cost', '--client', 'pg', '--database-url', server.url], { cwd: empty });
  assert.equal(pgOnly.code, 2);
  assert.match(pgOnly.stderr, /--client pg: pg is not installed in /);
  assert.doesNotMatch(result.stderr + pgOnly.stderr, /:leakhound@/);
});

test('real runs with pg: embedded by default, the cost file on --out, json on stdout, pretty and markdown against a given URL, no credentials anywhere', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const out = join(dir, 'cost.json');
  // No --database-url and no DATABASE_URL: an embedded PostgreSQL, started and removed by leakhound.
  const json = await run(['cost', '--client', 'pg', '--points', '1,2', '--repeats', '1', '--project', repoRoot, '--out', out, '-f', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const written = readFileSync(out, 'utf8');
  assert.equal(json.stdout, written, 'stdout in json is the cost file');
  const file = parseCostFile(written, 'cost.json');
  assert.equal(file.libraries[0]!.library, 'pg');
  assert.equal(file.database.embedded, true);
  assert.equal(file.server.measured, process.platform === 'linux', file.server.reason ?? '');
  assert.match(json.stderr, /cost file written to .*cost\.json \(read it with `leakhound scan --cost /);
  assert.doesNotMatch(json.stderr, /measuring/, 'no progress when stderr is not a terminal');

  const pretty = await run(['cost', '--client', 'pg', '--points', '1,2', '--repeats', '1', '--database-url', server.url, '--project', repoRoot]);
  assert.equal(pretty.code, 0, pretty.stderr);
  assert.match(pretty.stdout, /^leakhound cost: what one more client and one more connection cost here\n/);
  assert.match(pretty.stdout, /database {2}PostgreSQL \d+(\.\d+)? at postgresql:\/\/postgres:\*\*\*\*@127\.0\.0\.1:\d+\/postgres/);
  assert.match(pretty.stdout, /→ each extra pg\.Pool: .* \+1 connection after its first query \(up to 10 when its pool fills\) ≈ \+[\d.]+ [KM]B on the server/);
  assert.match(pretty.stdout, /→ each extra connection: .* RSS here, \+[\d.]+ [KM]B on the server \(private memory/);
  const markdown = await run(['cost', '--client', 'pg', '--points', '1,2', '--repeats', '1', '--database-url', server.url, '--project', repoRoot, '-f', 'markdown']);
  assert.match(markdown.stdout, /^# leakhound cost\n[\s\S]*## pg [\d.]+: pg\.Pool[\s\S]*\| clients \| RSS \| heap used \|/);
  for (const output of [json.stdout, json.stderr, pretty.stdout, markdown.stdout, written]) assert.doesNotMatch(output, /:leakhound@/);
});

test('an ungenerated Prisma client: --client prisma exits 2 with "prisma generate"; by default pg is measured, with a warning', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'package.json'), '{"name":"api"}');
  mkdirSync(join(dir, 'node_modules/@prisma/client'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/@prisma/client/package.json'), JSON.stringify({ name: '@prisma/client', version: '7.10.0', main: 'index.js' }));
  // What @prisma/client does before `prisma generate` has run.
  writeFileSync(
    join(dir, 'node_modules/@prisma/client/index.js'),
    "class PrismaClient { constructor() { throw new Error('@prisma/client did not initialize yet. Please run \"prisma generate\" and try to import it again.'); } }\nmodule.exports = { PrismaClient };\n",
  );
  symlinkSync(join(repoRoot, 'node_modules/@prisma/adapter-pg'), join(dir, 'node_modules/@prisma/adapter-pg'), 'dir');
  symlinkSync(join(repoRoot, 'node_modules/pg'), join(dir, 'node_modules/pg'), 'dir');
  const prisma = await run(['cost', '--client', 'prisma', '--database-url', server.url, '--project', dir]);
  assert.equal(prisma.code, 2, prisma.stderr);
  assert.match(prisma.stderr, /--client prisma: a PrismaClient with @prisma\/adapter-pg .* could not be created: @prisma\/client did not initialize yet\.[^\n]*\nhint: run `prisma generate`/);
  const auto = await run(['cost', '--points', '1,2', '--repeats', '1', '--database-url', server.url, '--project', dir, '-f', 'json']);
  assert.equal(auto.code, 0, auto.stderr);
  const file = parseCostFile(auto.stdout, 'stdout');
  assert.deepEqual(
    file.libraries.map((library) => library.library),
    ['pg'],
  );
  assert.match(file.warnings.join('\n'), /^Prisma was not measured: a PrismaClient .* could not be created: @prisma\/client did not initialize yet\. .*\(run `prisma generate`/);
});
