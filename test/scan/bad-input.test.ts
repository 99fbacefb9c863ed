/**
 * Bad input becomes a warning and the scan goes on: every case sits next to a good file whose
 * site must still be found.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scan } from '../../src/index.js';

const SITE = "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n";

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'leakhound-bad-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function scanTree(root: string, extra: Partial<Parameters<typeof scan>[0]> = {}) {
  try {
    return await scan({ root, useGit: false, ...extra });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('a file with a syntax error is a warning with its position; the others are scanned', async () => {
  const report = await scanTree(tree({ 'good.ts': SITE, 'broken.ts': `${SITE}const x = ;\n` }));
  assert.deepEqual(report.clients.map((c) => c.file), ['good.ts']);
  const [warning] = report.warnings;
  assert.equal(warning?.kind, 'parse');
  assert.equal(warning?.file, 'broken.ts');
  assert.deepEqual([warning?.line, warning?.column], [3, 11]);
  assert.match(warning!.message, /could not parse: .*not analysed/);
});

test('JSX in .js and type annotations in .js still parse (retried as TSX), without a warning', async () => {
  const report = await scanTree(
    tree({
      'view.js': `${SITE}export const View = () => <div>{String(prisma)}</div>;\n`,
      'flow.js': "// @flow\nconst { PrismaClient } = require('@prisma/client');\nconst p: PrismaClient = new PrismaClient();\n",
    }),
  );
  assert.deepEqual(report.clients.map((c) => c.file).sort(), ['flow.js', 'view.js']);
  assert.deepEqual(report.warnings, []);
});

test('binary, non-UTF-8 and oversized files are warnings', async () => {
  const report = await scanTree(
    tree({
      'good.ts': SITE,
      'video.ts': Buffer.from([0x47, 0x40, 0x00, 0x10, 0x00, 0x00, 0xb0, 0x0d]),
      'latin1.ts': Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from(`\n${SITE}`)]),
      'huge.ts': `${SITE}${'// padding\n'.repeat(120_000)}`,
    }),
    { maxFileBytes: 1024 * 1024 },
  );
  assert.deepEqual(report.clients.map((c) => c.file), ['good.ts']);
  assert.deepEqual(
    report.warnings.map((w) => [w.file, w.kind]),
    [
      ['huge.ts', 'size'],
      ['latin1.ts', 'encoding'],
      ['video.ts', 'binary'],
    ],
  );
  assert.match(report.warnings[0]!.message, /over the 1\.0 MB limit.*--max-file-size/);
});

test('a symlink loop is a warning and the walk ends', async () => {
  const root = tree({ 'src/good.ts': SITE });
  symlinkSync('..', join(root, 'src', 'loop'));
  const report = await scanTree(root);
  assert.deepEqual(report.clients.map((c) => c.file), ['src/good.ts']);
  assert.equal(report.warnings.filter((w) => w.kind === 'symlink').length, 1);
});

test('broken package.json, schema.prisma and tsconfig are warnings', async () => {
  const report = await scanTree(
    tree({
      'src/good.ts': SITE,
      'packages/x/package.json': '{ "name": "x", ',
      'prisma/schema.prisma': 'generator client {\n  provider = "prisma-client"\n  output = "../gen"\n',
      'tsconfig.json': '{ "extends": "./missing-base.json", "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }',
      'src/aliased.ts': "import { PrismaClient } from '@/db';\nexport const c = new PrismaClient();\n",
    }),
  );
  assert.ok(report.clients.some((c) => c.file === 'src/good.ts'));
  const files = report.warnings.map((w) => `${w.kind}:${w.file}`);
  assert.ok(files.includes('config:packages/x/package.json'), files.join(', '));
  assert.ok(files.includes('config:prisma/schema.prisma'), files.join(', '));
  assert.ok(report.warnings.some((w) => w.kind === 'config' && /tsconfig/.test(`${w.file} ${w.message}`)), files.join(', '));
});

test('credentials never reach the report', async () => {
  const report = await scanTree(
    tree({
      'db.ts': "import { PrismaClient } from '@prisma/client';\nexport const p = new PrismaClient({ datasources: { db: { url: 'postgresql://admin:TopSecret1@db:5432/app' } }, datasourceUrl: `postgres://u:TopSecret2@h/db?x=${1}` });\n",
    }),
  );
  const json = JSON.stringify(report);
  assert.doesNotMatch(json, /TopSecret/);
  assert.match(json, /admin:\*\*\*\*@db/);
});
