/**
 * In a git work tree, untracked files are listed while tracked ones are read; an untracked
 * schema (or package.json, tsconfig) can change what the tracked files mean, so the scan then
 * starts over with the full listing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scan } from '../../src/index.js';

const SITE = "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n";

function repo(tracked: Record<string, string>, untracked: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'leakhound-untracked-'));
  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  };
  write(tracked);
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'init');
  write(untracked);
  return root;
}

test('untracked source files are scanned too', async () => {
  const root = repo({ 'src/tracked.ts': SITE }, { 'src/new-file.ts': SITE });
  try {
    const report = await scan({ root });
    assert.deepEqual(report.clients.map((c) => c.file), ['src/new-file.ts', 'src/tracked.ts']);
    assert.equal(report.summary.filesScanned, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an untracked schema whose generator writes into tracked files is honoured', async () => {
  const generated = "import { PrismaClient } from '@prisma/client';\nexport const internal = new PrismaClient();\n";
  const schema = 'generator client {\n  provider = "prisma-client"\n  output   = "../src/gen"\n}\n';
  const root = repo({ 'src/app.ts': SITE, 'src/gen/client.ts': generated }, { 'prisma/schema.prisma': schema });
  try {
    const report = await scan({ root });
    assert.deepEqual(report.clients.map((c) => c.file), ['src/app.ts']);
    assert.equal(report.summary.skipped.generated, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
