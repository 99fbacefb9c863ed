/**
 * The end-to-end story of examples/orders-service, measured for real: the leaky service and
 * its fixed twin run under `leakhound watch` with a real Prisma 7 client against a real
 * PostgreSQL, driven by the example's own load generator. What the run files must show is
 * what a user would check: the leaky service creates clients in the files that construct
 * them and holds more connections; the fixed one creates one client and stays in its pool.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseRunFile, type RunFile } from '../../src/watch/run-file.js';
import { repoRoot } from '../helpers/paths.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';

const BIN = join(repoRoot, 'bin/leakhound.js');
const EXAMPLE = join(repoRoot, 'examples/orders-service');

let postgres: PostgresServer;
let dir: string;
const runs: Record<'leaky' | 'fixed', RunFile | undefined> = { leaky: undefined, fixed: undefined };

before(async () => {
  const prepared = spawnSync(process.execPath, [join(EXAMPLE, 'prepare.mjs')], { encoding: 'utf8' });
  assert.equal(prepared.status, 0, `prepare.mjs: ${prepared.stdout}${prepared.stderr}`);
  postgres = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'leakhound-example-'));
});

after(async () => {
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Watches one variant of the service for a few seconds of load; resolves with its run file. */
function watchService(variant: 'leaky' | 'fixed'): Promise<{ code: number | null; stderr: string; run: RunFile }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const out = join(dir, `${variant}.json`);
  const args = [
    BIN, 'watch', '-o', out, '--no-html', '--interval', '200ms', '--label', variant,
    '--load', `node ${JSON.stringify(join(EXAMPLE, 'load.mjs'))} --url http://127.0.0.1:${port} --duration 5 --concurrency 4`,
    '--wait-for', `http://127.0.0.1:${port}/health`,
    '--', 'node', join(EXAMPLE, variant, 'server.mjs'),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1', PORT: String(port), DATABASE_URL: postgres.url }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, stderr, run: parseRunFile(readFileSync(out, 'utf8'), out) });
      } catch (error) {
        reject(new Error(`${(error as Error).message}\n${stderr}`));
      }
    });
  });
}

test('example: the leaky orders service, watched under load', async () => {
  const { code, stderr, run } = await watchService('leaky');
  runs.leaky = run;
  assert.equal(code, 0, stderr);
  assert.equal(run.exit.reason, 'load-finished', 'stopped once the load ended');
  assert.equal(run.load?.exitCode, 0);
  const sites = new Map(run.summary.clients.sites.map((s) => [s.site.replace(/:\d+(?: \(.*\))?$/, ''), s]));
  // One client per file at import time, and one per report request.
  const routes = join(EXAMPLE, 'leaky/routes');
  assert.equal(sites.get(`${routes}/customers.mjs:5`)?.count, 1, [...sites.keys()].join('\n'));
  assert.equal(sites.get(`${routes}/orders.mjs:8`)?.count, 1);
  const reports = run.summary.clients.sites.find((s) => s.site === `${routes}/reports.mjs:8:18 (dailyReport)`);
  assert.ok(reports && reports.count >= 5, `a client per report request: ${JSON.stringify(reports)}`);
  assert.ok(run.clients.every((c) => c.library === 'prisma' || c.owner !== null), 'application clients are Prisma clients; their pg pools are owned by the adapter');
  assert.ok(run.clients.some((c) => c.library === 'pg' && c.owner === '@prisma/adapter-pg'), 'the adapters’ pools are seen, as internal clients');
  assert.ok(run.summary.clients.maxOpen >= 3);
  assert.ok(run.summary.connections && run.summary.connections.peak >= 3, JSON.stringify(run.summary.connections));
});

test('example: the fixed twin creates one client and stays within its pool of 5', async () => {
  const { code, stderr, run } = await watchService('fixed');
  runs.fixed = run;
  assert.equal(code, 0, stderr);
  assert.equal(run.summary.clients.created, 1);
  assert.equal(run.summary.clients.sites[0]?.site.replace(/:\d+(?: \(.*\))?$/, ''), `${join(EXAMPLE, 'fixed/db.mjs')}:11`);
  const connections = run.summary.connections!;
  assert.ok(connections.peak - (connections.baseline ?? 0) <= 5, JSON.stringify(connections));
});

test('example: the leaky service holds more connections and creates more clients than the fixed one', () => {
  const { leaky, fixed } = runs;
  assert.ok(leaky && fixed, 'both runs completed');
  assert.ok(leaky.summary.connections!.peak > fixed.summary.connections!.peak, `${leaky.summary.connections!.peak} vs ${fixed.summary.connections!.peak}`);
  assert.ok(leaky.summary.clients.created > fixed.summary.clients.created);
});

test('example: compare on the two real run files — the before/after table, measured', () => {
  const before = join(dir, 'leaky.json');
  const after = join(dir, 'fixed.json');
  const html = join(dir, 'compare.html');
  const result = spawnSync(process.execPath, [BIN, 'compare', before, after, '--format', 'json', '--html', html], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(result.status, 0, result.stderr);
  const comparison = JSON.parse(result.stdout) as { kind: string; rows: { key: string; before: unknown; after: unknown }[] };
  assert.equal(comparison.kind, 'leakhound-comparison');
  const row = (pattern: RegExp) => comparison.rows.find((r) => pattern.test(r.key));
  const clients = row(/^clients\.created$/);
  assert.deepEqual([clients?.before, clients?.after], [runs.leaky!.summary.clients.created, 1], JSON.stringify(comparison.rows.map((r) => r.key)));
  const connections = row(/^connections\.peak$/);
  assert.deepEqual([connections?.before, connections?.after], [runs.leaky!.summary.connections!.peak, runs.fixed!.summary.connections!.peak]);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /<svg/);
  assert.doesNotMatch(page, /(?:src|href)=["']https?:/);
  const pretty = spawnSync(process.execPath, [BIN, 'compare', before, after], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(pretty.status, 0, pretty.stderr);
  assert.match(pretty.stdout, /leaky/);
  assert.match(pretty.stdout, /fixed/);
});
