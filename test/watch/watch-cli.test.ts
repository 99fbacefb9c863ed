/**
 * `leakhound watch` as users run it (the built binary, a child process): the program's
 * stdin/stdout/stderr and exit status pass through untouched, every Node process of the tree
 * is measured, clients are reported with the file that created them, the load command runs
 * without the preload, and mistakes exit 2. The database is a real PostgreSQL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseRunFile, type RunFile } from '../../src/watch/run-file.js';
import { repoRoot } from '../helpers/paths.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';

const BIN = join(repoRoot, 'bin/leakhound.js');

let postgres: PostgresServer;
let dir: string;

before(async () => {
  postgres = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'leakhound-watch-cli-'));
  // Programs in the temp dir import pg from the repository's node_modules.
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
});

after(async () => {
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  run: RunFile | undefined;
}

function watch(args: string[], options: { input?: string; env?: Record<string, string>; out?: string } = {}): Promise<Run> {
  const out = options.out ?? join(dir, `run-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'watch', '-o', out, '--no-html', '--interval', '50ms', ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, DATABASE_URL: postgres.url, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.stdin.end(options.input ?? '');
    child.on('close', (code) => {
      const run = existsSync(out) ? parseRunFile(readFileSync(out, 'utf8'), out) : undefined;
      resolve({ code, stdout, stderr, run });
    });
  });
}

function program(name: string, source: string): string {
  writeFileSync(join(dir, name), source);
  return name;
}

test('watch: stdin, stdout, stderr and the exit code pass through; leakhound speaks on stderr only', async () => {
  const script = program('echo.mjs', `
    let input = '';
    process.stdin.on('data', (chunk) => (input += chunk));
    process.stdin.on('end', () => {
      process.stdout.write('out:' + input.toUpperCase());
      process.stderr.write('err:program\\n');
      process.exitCode = 7;
    });
  `);
  const result = await watch(['--', 'node', script], { input: 'hello\n' });
  assert.equal(result.code, 7, result.stderr);
  assert.equal(result.stdout, 'out:HELLO\n', 'stdout is the program’s alone');
  assert.match(result.stderr, /err:program/);
  assert.match(result.stderr, /leakhound: watching `node echo\.mjs`/);
  assert.equal(result.run?.exit.code, 7);
  assert.equal(result.run?.exit.reason, 'exited');
});

test('watch: a program killed by a signal exits 128 + n, and the run file says so', async () => {
  const script = program('suicide.mjs', `setTimeout(() => process.kill(process.pid, 'SIGTERM'), 200); setInterval(() => {}, 1000);`);
  const result = await watch(['--', 'node', script]);
  assert.equal(result.code, 143, result.stderr);
  assert.equal(result.run?.exit.signal, 'SIGTERM');
});

test('watch: every pg client is reported with its creation site, and the connections it holds are counted', async () => {
  const script = program('pools.mjs', `
    import pg from 'pg';
    const pools = [];
    function connectPool() {
      return new pg.Pool({ connectionString: process.env.DATABASE_URL, application_name: 'pools-test', max: 2 });
    }
    for (let i = 0; i < 4; i++) {
      const pool = connectPool();
      pools.push(pool);
      await pool.query('SELECT 1');
    }
    await new Promise((resolve) => setTimeout(resolve, 600));
    await pools[0].end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await Promise.all(pools.slice(1).map((pool) => pool.end()));
  `);
  const result = await watch(['--', 'node', script]);
  assert.equal(result.code, 0, result.stderr);
  const run = result.run!;
  const own = run.clients.filter((c) => c.owner === null);
  assert.equal(own.length, 4);
  for (const client of own) {
    assert.equal(client.library, 'pg');
    assert.equal(client.type, 'Pool');
    assert.equal(client.stack[0], `${join(dir, 'pools.mjs')}:5:14 (connectPool)`);
  }
  assert.ok(own.every((c) => c.state === 'closed'), 'every pool was ended');
  assert.ok(own[0]!.closedAt! < own[1]!.closedAt!, 'the first pool was ended first');
  assert.equal(run.summary.clients.created, 4);
  assert.equal(run.summary.clients.maxOpen, 4);
  assert.equal(run.summary.clients.openAtEnd, 0);
  assert.deepEqual(run.summary.clients.sites, [{ library: 'pg', type: 'Pool', site: `${join(dir, 'pools.mjs')}:5:14 (connectPool)`, count: 4 }]);
  const connections = run.connections!;
  assert.equal(connections.supported, true);
  assert.equal(connections.database.embedded, false);
  assert.doesNotMatch(connections.database.url, /leakhound@/, 'the password is redacted');
  assert.match(connections.database.url, /postgres:\*\*\*\*@127\.0\.0\.1/);
  const peak = Math.max(...connections.samples.map((s) => s.groups.filter((g) => g.applicationName === 'pools-test').reduce((sum, g) => sum + g.count, 0)));
  assert.equal(peak, 4, 'one connection per pool, seen in pg_stat_activity under its application_name');
  assert.ok(run.samples.length >= 5, `memory was sampled (${run.samples.length} samples)`);
  assert.ok(run.samples.every((s) => s.rss > 0 && s.heapUsed > 0 && s.heapTotal >= s.heapUsed));
});

test('watch: child Node processes are measured too (NODE_OPTIONS), each with its pid', async () => {
  program('child.mjs', `
    import pg from 'pg';
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.end();
  `);
  const script = program('parent.mjs', `
    import { spawnSync } from 'node:child_process';
    spawnSync(process.execPath, ['child.mjs'], { stdio: 'inherit' });
  `);
  const result = await watch(['--', 'node', script]);
  assert.equal(result.code, 0, result.stderr);
  const run = result.run!;
  assert.equal(run.processes.length, 2);
  const [parent, child] = run.processes;
  assert.equal(child!.ppid, parent!.pid);
  assert.match(child!.argv[1]!, /child\.mjs$/);
  assert.equal(run.clients.length, 1);
  assert.equal(run.clients[0]!.pid, child!.pid);
  assert.equal(run.clients[0]!.state, 'closed');
  assert.ok(run.samples.some((s) => s.pid === parent!.pid) && run.samples.some((s) => s.pid === child!.pid));
});

test('watch: `npm start` — npm is a wrapper, the script it runs (through sh) is the program', async () => {
  const project = join(dir, 'npm-project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'npm-project', private: true, scripts: { start: 'node app.js' } }));
  writeFileSync(join(project, 'app.js'), `setTimeout(() => process.stdout.write('app ran'), 300);`);
  const result = await watch(['--no-database', '--', 'npm', 'start', '--silent', '--prefix', project]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /app ran/);
  const run = result.run!;
  const roles = run.processes.map((p) => [p.role, basename(p.argv[1] ?? '')]);
  assert.deepEqual(roles.find(([, script]) => script === 'app.js'), ['program', 'app.js']);
  assert.ok(roles.some(([role, script]) => role === 'wrapper' && /npm/.test(script!)), JSON.stringify(roles));
  const app = run.processes.find((p) => p.role === 'program')!;
  const appPeak = Math.max(...run.samples.filter((s) => s.pid === app.pid).map((s) => s.rss));
  assert.equal(run.summary.memory.peak.rss, appPeak, 'the summary is the program alone, npm left out');
});

test('watch: --duration stops a server that never exits (exit 0), and --load runs once its port accepts, without the preload', async () => {
  const script = program('server.mjs', `
    import { createServer } from 'node:http';
    setTimeout(() => createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1'), 1200);
  `);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const load = `node -e "process.stdout.write(process.env.LEAKHOUND_WATCH_DIR ? 'preloaded' : 'clean'); process.stdout.write(String((process.env.NODE_OPTIONS ?? '').includes('watch-preload')))"`;
  const out = join(dir, 'duration.json');
  const result = await watch(['--duration', '3s', '--load', load, '--wait-for', String(port), '--', 'node', script], { out, env: { PORT: String(port) } });
  assert.equal(result.code, 0, result.stderr);
  const run = result.run!;
  assert.equal(run.exit.reason, 'duration');
  assert.equal(run.exit.signal, 'SIGTERM');
  assert.ok(run.durationMs >= 2900 && run.durationMs < 15_000, `ran ${run.durationMs} ms`);
  assert.ok(run.load && run.load.exitCode === 0 && run.load.startedAt >= 1200, `the load waited for the port: ${JSON.stringify(run.load)}`);
  assert.equal(readFileSync(join(dir, 'duration.load.log'), 'utf8'), 'cleanfalse');
});

test('watch: the load ending ends the run; --wait-for waits for the URL', async () => {
  const script = program('ready.mjs', `
    import { createServer } from 'node:http';
    setTimeout(() => createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1'), 700);
  `);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const load = `node -e "fetch('http://127.0.0.1:${port}/').then(r => r.text()).then(t => process.stdout.write(t))"`;
  const out = join(dir, 'ready.json');
  const result = await watch(['--load', load, '--wait-for', `http://127.0.0.1:${port}/`, '--', 'node', script], { out, env: { PORT: String(port) } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(readFileSync(join(dir, 'ready.load.log'), 'utf8'), 'ok', 'the load ran after the server answered');
  assert.equal(result.run!.exit.reason, 'load-finished');
});

test('watch: mistakes exit 2 with a hint and run nothing', async () => {
  const cases: [string[], RegExp][] = [
    [[], /watch needs a command to run/],
    [['--duration', 'soon', '--', 'node', '-e', '1'], /--duration expects a duration, got 'soon'[\s\S]*hint: write it like 500ms/],
    [['--limit', 'big', '--', 'node', '-e', '1'], /--limit expects a size/],
    [['--wait-for', '3000', '--', 'node', '-e', '1'], /--wait-for only applies with --load/],
    [['--bogus', '--', 'node', '-e', '1'], /Unknown option '--bogus'/],
    [['--', 'definitely-not-a-command-xyz'], /cannot start `definitely-not-a-command-xyz`[\s\S]*not found/],
    [['--database-url', 'postgresql://someone:secret@127.0.0.1:1/db', '--', 'node', '-e', '1'], /cannot connect to postgresql:\/\/someone:\*\*\*\*@127\.0\.0\.1:1\/db/],
  ];
  for (const [args, message] of cases) {
    const result = await watch(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /secret/);
    assert.equal(result.run, undefined, 'no run file');
  }
});

test('watch: without DATABASE_URL an embedded PostgreSQL is started and handed to the program', async () => {
  const script = program('embedded.mjs', `
    import pg from 'pg';
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: 'embedded-test' });
    await client.connect();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await client.end();
  `);
  const result = await watch(['--', 'node', script], { env: { DATABASE_URL: '' } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /an embedded PostgreSQL \(DATABASE_URL=postgresql:\/\/postgres:\*\*\*\*@127\.0\.0\.1:\d+\/postgres for the program\)/);
  const connections = result.run!.connections!;
  assert.equal(connections.database.embedded, true);
  assert.ok(connections.samples.some((s) => s.groups.some((g) => g.applicationName === 'embedded-test')));
});
