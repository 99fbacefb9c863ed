/**
 * `leakhound fix` on whole fixture projects: each `test/fixtures-fix/<case>/input` is copied,
 * fixed, and compared file by file with `expected`; a dry run writes nothing; a second run
 * changes nothing; the scan of the result has no per-call client left outside tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fix } from '../../src/fix/fix.js';
import { scan } from '../../src/index.js';
import { UsageError } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

const FIXTURES = join(repoRoot, 'test/fixtures-fix');

function copyOf(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), `leakhound-fix-${fixture}-`));
  cpSync(join(FIXTURES, fixture, 'input'), dir, { recursive: true });
  return dir;
}

function treeOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) visit(path);
      else files.set(relative(dir, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  visit(dir);
  return files;
}

function assertSameTree(actual: string, expected: string): void {
  const a = treeOf(actual);
  const e = treeOf(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort());
  for (const [file, text] of e) assert.equal(a.get(file), text, `${file} differs from the expected output`);
}

for (const fixture of readdirSync(FIXTURES)) {
  test(`fix ${fixture}: the dry run writes nothing, --write gives the expected files, a second run changes nothing`, async () => {
    const dir = copyOf(fixture);
    try {
      const dry = await fix({ root: dir, useGit: false });
      assert.ok(dry.changes.length > 0, 'the fixture has something to fix');
      assert.equal(dry.written, false);
      assertSameTree(dir, join(FIXTURES, fixture, 'input'));

      const written = await fix({ root: dir, useGit: false, write: true });
      assert.equal(written.written, true);
      assert.deepEqual(written.changes.map((change) => change.after), dry.changes.map((change) => change.after));
      assertSameTree(dir, join(FIXTURES, fixture, 'expected'));

      const again = await fix({ root: dir, useGit: false, write: true });
      assert.deepEqual(again.changes, [], 'a second run changes nothing');
      assert.equal(again.summary.sitesRewritten, 0);

      // What the scan says afterwards: no client per call outside tests, and one live client
      // besides the ones the fix deliberately left (and said why).
      const report = await scan({ root: dir, useGit: false });
      const perCall = report.findings.filter((finding) => finding.ruleId === 'per-call-client' && !finding.file.includes('test'));
      assert.deepEqual(perCall.map((finding) => `${finding.file}:${finding.line}`), []);
      const leftFiles = new Set(written.left.map((item) => item.file));
      const live = report.clients.filter((site) => site.library === 'prisma' && !site.inTest && !leftFiles.has(site.file));
      assert.deepEqual(live.map((site) => site.file), [written.shared!.file]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('fix says why it leaves a site: tests, other options, subclasses, JavaScript next to a TypeScript module', async () => {
  const dir = copyOf('esm-nodenext');
  try {
    writeFileSync(join(dir, 'src/services/replica.ts'), "import { PrismaClient } from '@prisma/client';\nexport const replica = new PrismaClient({ datasourceUrl: process.env.REPLICA_URL });\n");
    writeFileSync(join(dir, 'src/services/extended.ts'), "import { PrismaClient } from '@prisma/client';\nclass Db extends PrismaClient { ping() { return 1; } }\nexport const db = new Db();\n");
    writeFileSync(join(dir, 'src/legacy.js'), "const { PrismaClient } = require('@prisma/client');\nmodule.exports = new PrismaClient();\n");
    writeFileSync(join(dir, 'src/broken.ts'), "import { PrismaClient } from '@prisma/client';\nexport const p = new PrismaClient(\n");
    const result = await fix({ root: dir, useGit: false });
    assert.deepEqual(result.warnings.map((warning) => `${warning.kind} ${warning.file}`), ['parse src/broken.ts']);
    assert.ok(!result.changes.some((change) => change.file === 'src/broken.ts'));
    const reasons = new Map(result.left.map((item) => [item.file, item.reason]));
    assert.match(reasons.get('test/users.test.ts')!, /in a test.*--include-tests/);
    assert.match(reasons.get('src/services/replica.ts')!, /other options \(\{ datasourceUrl/);
    assert.match(reasons.get('src/services/extended.ts')!, /subclass or wrapper/);
    assert.match(reasons.get('src/legacy.js')!, /JavaScript file.*TypeScript/);
    assert.equal(result.summary.testsLeft, 1);

    const withTests = await fix({ root: dir, useGit: false, includeTests: true });
    assert.ok(withTests.changes.some((change) => change.file === 'test/users.test.ts'));
    const test = withTests.changes.find((change) => change.file === 'test/users.test.ts')!;
    assert.match(test.after, /\$disconnect/, 'tests keep their $disconnect: the shared client must let the test runner exit');

    const onlyJobs = await fix({ root: dir, useGit: false, only: ['job'] });
    assert.deepEqual(onlyJobs.changes.map((change) => change.file).sort(), ['src/jobs/cleanup.ts', 'src/lib/prisma.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fix refuses to write over uncommitted changes unless --allow-dirty, and keeps file modes', async (t) => {
  if (spawnSync('git', ['--version']).status !== 0) return t.skip('git is not installed');
  const dir = copyOf('esm-nodenext');
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });
  try {
    git('init', '-q');
    chmodSync(join(dir, 'src/jobs/cleanup.ts'), 0o754);
    git('add', '-A');
    git('commit', '-qm', 'fixture');
    writeFileSync(join(dir, 'src/services/audit.ts'), `${readFileSync(join(dir, 'src/services/audit.ts'), 'utf8')}// work in progress\n`);
    await assert.rejects(fix({ root: dir, write: true }), (error: unknown) => error instanceof UsageError && /uncommitted changes in src\/services\/audit\.ts/.test(error.message));
    assert.equal(existsSync(join(dir, 'src/lib/prisma.ts')), false, 'nothing was written');

    // The dry run's diff is what --write does, and git applies it as it is.
    const dry = await fix({ root: dir });
    const patch = dry.changes.map((change) => change.diff).join('');
    const check = spawnSync('git', ['apply', '--check', '-'], { cwd: dir, input: patch, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);

    const result = await fix({ root: dir, write: true, allowDirty: true });
    assert.ok(result.written);
    assert.equal(statSync(join(dir, 'src/jobs/cleanup.ts')).mode & 0o777, 0o754);
    assert.match(readFileSync(join(dir, 'src/services/audit.ts'), 'utf8'), /\/\/ work in progress\n$/);
    assert.equal(readdirSync(join(dir, 'src/jobs')).filter((name) => name.endsWith('.tmp')).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a project that type-checks against a real generated Prisma 7 client still type-checks after the fix', async (t) => {
  const prismaCli = join(repoRoot, 'node_modules/prisma/build/index.js');
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  if (!existsSync(prismaCli) || !existsSync(tsc)) return t.skip('prisma or typescript is not installed');
  const dir = copyOf('esm-nodenext');
  try {
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    // The schema engine cannot be downloaded here and generate does not need it (see notes).
    const generate = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', 'prisma/schema.prisma'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    assert.equal(generate.status, 0, generate.stderr + generate.stdout);
    const typeCheck = () => spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
    const before = typeCheck();
    assert.equal(before.status, 0, `the fixture type-checks before the fix:\n${before.stdout}`);
    const result = await fix({ root: dir, useGit: false, write: true });
    assert.ok(result.summary.sitesRewritten >= 5);
    const after = typeCheck();
    assert.equal(after.status, 0, `the fixed project type-checks:\n${after.stdout}`);
    // And the check would have caught a broken rewrite.
    writeFileSync(join(dir, 'src/jobs/cleanup.ts'), `${readFileSync(join(dir, 'src/jobs/cleanup.ts'), 'utf8')}\nexport const broken: number = prisma;\n`);
    assert.notEqual(typeCheck().status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a try whose finally only disconnected is unwrapped, with the edits inside its block applied', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-fix-unwrap-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(
      join(dir, 'job.ts'),
      [
        "import { PrismaClient } from '@prisma/client';",
        '',
        'export async function run(): Promise<number> {',
        '  let prisma: PrismaClient | undefined;',
        '  try {',
        '    prisma = new PrismaClient();',
        '    if (prisma) {',
        '      return await prisma.user.count();',
        '    }',
        '    return 0;',
        '  } finally {',
        '    await prisma?.$disconnect();',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const result = await fix({ root: dir, useGit: false });
    assert.equal(
      result.changes.find((change) => change.file === 'job.ts')!.after,
      [
        "import { PrismaClient } from '@prisma/client';",
        "import { prisma as sharedPrisma } from './lib/prisma';",
        '',
        'export async function run(): Promise<number> {',
        '  let prisma: PrismaClient | undefined;',
        '  prisma = sharedPrisma;',
        '  if (prisma) {',
        '    return await prisma.user.count();',
        '  }',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
