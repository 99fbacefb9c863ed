/**
 * `scan --cost`: the scan's connection estimates in measured units, in every format, from a
 * cost file with round figures (cost-fixture.ts) so that the expected megabytes are exact.
 * Without --cost nothing changes; a missing or wrong file is a usage error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/types.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { syntheticCostFile } from './cost-fixture.js';

const BIN = fileURLToPath(new URL('../../../bin/leakhound.js', import.meta.url));
const IMPORT_SHAPES = fileURLToPath(new URL('../../../test/fixtures/import-shapes/', import.meta.url));

function run(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-scan-cost-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Three module-level Prisma clients on PostgreSQL, pool size not stated: 3 × 5 = 15 connections. */
function threeClients(t: { after(fn: () => void): void }): string {
  const root = tempDir(t);
  write(join(root, 'package.json'), JSON.stringify({ name: 'api', dependencies: { '@prisma/client': '^7' } }));
  write(join(root, 'prisma/schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\ngenerator client {\n  provider = "prisma-client-js"\n}\n');
  for (const name of ['users', 'orders', 'billing']) {
    write(join(root, `src/services/${name}.ts`), `import { PrismaClient } from '@prisma/client';\nexport const ${name}Db = new PrismaClient();\n`);
  }
  return root;
}

function costFile(t: { after(fn: () => void): void }, content: unknown = syntheticCostFile()): string {
  const path = join(tempDir(t), 'cost.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

test('scan --cost: pretty states potential connections in server and client megabytes, and where they were measured', (t) => {
  const root = threeClients(t);
  const cost = costFile(t);
  const { code, stdout, stderr } = run(['scan', root, '--no-git', '--cost', cost, '--max-connections', '16']);
  assert.equal(code, 1, stderr);
  // 15 connections × 1.25 MB; 3 clients × (0.5 MB + 4 more connections × 64 KB); 50 MB once.
  assert.match(
    stdout,
    /Measured cost\n {2}PostgreSQL: 3 live Prisma clients × 5 connections = 15 potential connections ≈ 18\.8 MB on the server; ≈ 2\.25 MB in this process when every pool is full, plus 50\.0 MB once for the first PrismaClient\. The scan assumed 5 connections for 3 Prisma clients whose pool size the code does not state; Prisma 7\.10\.1 as measured opens up to 10 \(the default max\)\.\n {2}measured on build-box \(linux x64, 2 CPUs, Node v20\.20\.2\) against embedded PostgreSQL 18\.4 by `leakhound cost` 0\.1\.0 on 2026-03-04 \(/,
  );
  assert.match(stdout, /connection-budget\n {4}PostgreSQL connections: 3 live Prisma clients may open 15, close to max_connections 16\. .* Measured: 15 connections ≈ 18\.8 MB of server memory\. \(measured by leakhound cost on build-box, 2026-03-04\)/);
  assert.match(stdout, /multiple-clients\n {4}.*together they may hold 15 connections\. .* Measured: 15 connections ≈ 18\.8 MB on the server, ≈ 2\.25 MB in this process\./);
});

test('scan --cost with replicas prices every replica; json carries "cost" and the figures in finding data', (t) => {
  const root = threeClients(t);
  const cost = costFile(t);
  const { code, stdout, stderr } = run(['scan', root, '--no-git', '--cost', cost, '--replicas', '4', '--max-connections', '64', '-f', 'json']);
  assert.equal(code, 1, stderr);
  const report = JSON.parse(stdout) as Report;
  assert.ok(report.cost);
  assert.equal(report.cost.file, cost);
  assert.equal(report.cost.serverBytesPerConnection, 1.25 * 1024 * 1024);
  const [estimate] = report.cost.estimates;
  assert.deepEqual(
    { database: estimate!.database, liveClients: estimate!.liveClients, perReplica: estimate!.connectionsPerReplica, potential: estimate!.potentialConnections, replicas: estimate!.replicas },
    { database: 'postgresql', liveClients: { prisma: 3 }, perReplica: 15, potential: 60, replicas: 4 },
  );
  assert.equal(estimate!.serverBytes, 60 * 1.25 * 1024 * 1024);
  assert.match(estimate!.summary, /× 5 connections = 15 potential connections × 4 replicas = 60 ≈ 75\.0 MB on the server; ≈ 2\.25 MB in each replica when every pool is full/);
  const budget = report.findings.find((finding) => finding.ruleId === 'connection-budget')!;
  assert.equal(budget.data?.measuredServerBytes, 60 * 1.25 * 1024 * 1024);
  const multiple = report.findings.find((finding) => finding.ruleId === 'multiple-clients')!;
  assert.equal(multiple.data?.measuredClientBytes, 3 * (0.5 + 4 / 16) * 1024 * 1024);
});

test('scan --cost on per-call clients: each call in measured units, in markdown and SARIF too', (t) => {
  const cost = costFile(t);
  const markdown = run(['scan', IMPORT_SHAPES, '--no-git', '--cost', cost, '-f', 'markdown']);
  assert.equal(markdown.code, 1, markdown.stderr);
  assert.match(
    markdown.stdout,
    /## Measured cost\n\n- Database \(not stated; priced as PostgreSQL\): 12 live Prisma clients × 5 connections = 60 potential connections ≈ 75\.0 MB on the server; .*; 2 sites build a client on every call: each call adds ≈ 768 KB here and up to 5 connections ≈ 6\.25 MB on the server, until the client is collected\./,
  );
  assert.match(markdown.stdout, /_measured on build-box .* on 2026-03-04 \(`.*cost\.json`\)_/);
  const sarif = run(['scan', IMPORT_SHAPES, '--no-git', '--cost', cost, '-f', 'sarif']);
  const log = validateSarif(sarif.stdout) as { runs: { results: { ruleId: string; message: { text: string }; properties?: { data?: Record<string, unknown> } }[] }[] };
  const perCall = log.runs[0]!.results.find((result) => result.ruleId === 'per-call-client')!;
  assert.match(perCall.message.text, /Measured: each call adds ≈ 768 KB here and up to 5 connections ≈ 6\.25 MB on the server\. \(measured by leakhound cost on build-box, 2026-03-04\)$/);
  assert.equal(perCall.properties?.data?.measuredServerBytesPerCall, 5 * 1.25 * 1024 * 1024);
});

test('without --cost the report is unchanged', (t) => {
  const root = threeClients(t);
  const plain = run(['scan', root, '--no-git', '-f', 'json']);
  const report = JSON.parse(plain.stdout) as Report;
  assert.equal('cost' in report, false);
  assert.doesNotMatch(JSON.stringify(report.findings), /measured/i);
  assert.doesNotMatch(run(['scan', root, '--no-git']).stdout, /Measured cost/);
});

test('a missing, foreign or broken cost file is a usage error with a way out', (t) => {
  const root = threeClients(t);
  const missing = run(['scan', root, '--no-git', '--cost', 'nope.json'], root);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^leakhound: cannot read the cost file nope\.json: no such file\nhint: make one with `leakhound cost --out nope\.json`/);
  const runFile = run(['scan', root, '--no-git', '--cost', costFile(t, { schemaVersion: 1, kind: 'leakhound-run' })]);
  assert.equal(runFile.code, 2);
  assert.match(runFile.stderr, /is not a leakhound cost file \(kind: "leakhound-run"\)\nhint: make a new one with `leakhound cost --out [^`]+`\n$/, 'the way out is said once, as the hint');
  const notJson = run(['scan', root, '--no-git', '--cost', costFile(t, 'not json')]);
  assert.equal(notJson.code, 2);
  assert.match(notJson.stderr, /is not JSON/);
  const broken = run(['scan', root, '--no-git', '--cost', costFile(t, { ...syntheticCostFile(), machine: null })]);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /is not a valid cost file: machine: /);
  for (const result of [missing, runFile, notJson, broken]) assert.equal(result.stdout, '', 'nothing is scanned first');
});

test('scan --cost on a project without PostgreSQL clients says there is nothing to price', (t) => {
  const root = tempDir(t);
  write(join(root, 'package.json'), JSON.stringify({ name: 'cache', dependencies: { ioredis: '^5' } }));
  write(join(root, 'src/cache.ts'), "import Redis from 'ioredis';\nexport const redis = new Redis();\n");
  const { code, stdout, stderr } = run(['scan', root, '--no-git', '--cost', costFile(t)]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Measured cost\n {2}No PostgreSQL client in the scanned code outside tests and scripts: nothing to price\.\n {2}measured on build-box/);
});
