/**
 * The built binary, as users and CI run it: exit codes, valid JSON, help, colours. The output
 * tests pass `--fail-on never`: the fixtures have findings, and the gate is tested in gate.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { FIXTURES } from '../helpers/fixtures.js';

const BIN = fileURLToPath(new URL('../../../bin/leakhound.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('scan --format json prints the report contract', () => {
  const { code, stdout } = run(['scan', join(FIXTURES, 'import-shapes'), '--format', 'json', '--no-git', '--fail-on', 'never']);
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.tool.name, 'leakhound');
  assert.match(report.tool.version, /^\d+\.\d+\.\d+/);
  assert.equal(report.root, join(FIXTURES, 'import-shapes'));
  assert.ok(Array.isArray(report.findings) && Array.isArray(report.warnings));
  assert.ok(report.clients.length >= 10);
  for (const site of report.clients) {
    assert.equal(site.library, 'prisma');
    assert.doesNotMatch(site.file, /\\|^\//, 'relative, forward slashes');
    assert.ok(Number.isInteger(site.line) && site.line >= 1 && Number.isInteger(site.column) && site.column >= 1);
    assert.ok(['module', 'function'].includes(site.scope));
    assert.equal(typeof site.inTest, 'boolean');
    assert.ok(['route', 'service', 'job', 'script', 'test', 'other'].includes(site.category));
    assert.ok(site.options === null || typeof site.options === 'object');
  }
  assert.equal(report.summary.sites, report.clients.length);
});

test('pretty output leads with the summary and links file:line:column, without colour when piped', () => {
  const { code, stdout } = run(['scan', join(FIXTURES, 'import-shapes'), '--no-git', '--fail-on', 'never']);
  assert.equal(code, 0);
  assert.match(stdout.split('\n')[0]!, /^\d+ Prisma client construction sites in \d+ files$/);
  assert.match(stdout, /src\/routes\/dynamic\.ts:7:18 +on every request: POST \/:id\/reschedule/);
  assert.doesNotMatch(stdout, /\x1b\[/);
});

test('FORCE_COLOR colours, NO_COLOR wins over it', () => {
  assert.match(run(['scan', join(FIXTURES, 'import-shapes'), '--no-git'], { FORCE_COLOR: '1' }).stdout, /\x1b\[/);
  assert.doesNotMatch(run(['scan', join(FIXTURES, 'import-shapes'), '--no-git'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, /\x1b\[/);
});

test('markdown output has a table per category', () => {
  const { code, stdout } = run(['scan', join(FIXTURES, 'monorepo'), '--format', 'markdown', '--no-git', '--fail-on', 'never']);
  assert.equal(code, 0);
  assert.match(stdout, /^# leakhound scan/);
  assert.match(stdout, /## Routes and request handlers \(\d+\)\n\n\| Site \| Runs \| Constructor \|/);
});

test('usage errors exit 2 with a hint', () => {
  const missing = run(['scan', '/definitely/not/here']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /directory not found/);
  assert.match(missing.stderr, /hint:/);
  const badOption = run(['scan', '--colour']);
  assert.equal(badOption.code, 2);
  assert.match(badOption.stderr, /--colour/);
  const badFormat = run(['scan', '.', '--format', 'xml']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /pretty, json, markdown/);
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run(['scan', '.', '--threads', 'zero']).code, 2);
});

test('fix: a diff on stdout and the summary on stderr; usage errors exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-cli-fix-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    mkdirSync(join(dir, 'routes'));
    writeFileSync(join(dir, 'routes/a.ts'), "import { PrismaClient } from '@prisma/client';\nexport const handler = async () => new PrismaClient().user.count();\n");
    const dry = run(['fix', dir, '--no-git', '--only', 'routes']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^--- \/dev\/null\n\+\+\+ b\/src\/lib\/prisma\.ts|^--- \/dev\/null\n\+\+\+ b\/lib\/prisma\.ts/);
    assert.match(dry.stdout, /\+export const handler = async \(\) => prisma\.user\.count\(\);/);
    assert.match(dry.stderr, /Would rewrite 1 site/);
    const json = JSON.parse(run(['fix', dir, '--no-git', '--format', 'json']).stdout) as { written: boolean; summary: { sitesRewritten: number } };
    assert.deepEqual([json.written, json.summary.sitesRewritten], [false, 1]);
    const badCategory = run(['fix', dir, '--only', 'bogus']);
    assert.equal(badCategory.code, 2);
    assert.match(badCategory.stderr, /unknown category: bogus\nhint: --only takes one of: route/);
    assert.equal(run(['fix', '/definitely/not/here']).code, 2);
    assert.match(run(['fix', '--help']).stdout, /--include-tests/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--help and --version exit 0', () => {
  const help = run(['scan', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--format/);
  assert.equal(run(['--help']).code, 0);
  assert.match(run(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
});

test('a large tree goes through the bundled parser worker with the same result', () => {
  const root = mkdtempSync(join(tmpdir(), 'leakhound-large-'));
  try {
    for (let i = 0; i < 3200; i++) {
      const dir = join(root, 'src', `d${i % 40}`);
      mkdirSync(dir, { recursive: true });
      const body = i % 100 === 0 ? "import { PrismaClient } from '@prisma/client';\nexport const db = new PrismaClient();\n" : `export const n${i} = ${i};\n`;
      writeFileSync(join(dir, `f${i}.ts`), body);
    }
    const { code, stdout } = run(['scan', root, '--format', 'json', '--no-git', '--fail-on', 'never']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.summary.filesScanned, 3200);
    assert.equal(report.clients.length, 32);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('--ignore, --test-pattern and --output', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'leakhound-out-')), 'report.json');
  const { code, stdout, stderr } = run([
    'scan', join(FIXTURES, 'import-shapes'), '--no-git', '-f', 'json', '-o', out, '--fail-on', 'never',
    '--ignore', 'src/routes/', '--test-pattern', '*.tsx', '--test-pattern', '*.jsx',
  ]);
  assert.equal(code, 0);
  assert.equal(stdout, '');
  assert.match(stderr, /report written to/);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  assert.ok(!report.clients.some((c: { file: string }) => c.file.startsWith('src/routes/')));
  const tests = report.clients.filter((c: { inTest: boolean }) => c.inTest).map((c: { file: string }) => c.file).sort();
  assert.deepEqual(tests, ['src/component.tsx', 'src/legacy.jsx']);
});
