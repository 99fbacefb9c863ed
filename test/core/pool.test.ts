/**
 * The parser pool judges and parses files the same way whether they land on this thread or a
 * worker, and later rounds reach the files every thread passed over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisPool } from '../../src/core/pool.js';
import type { AnalysisResult } from '../../src/core/analyse.js';
import type { SourceEntry } from '../../src/core/file-judge.js';

const shared = (text: string) => {
  const bytes = Buffer.from(new SharedArrayBuffer(Buffer.byteLength(text)));
  bytes.write(text);
  return bytes;
};

const entries: SourceEntry[] = Array.from({ length: 60 }, (_, i) => ({
  file: `src/f${i}.ts`,
  bytes: shared(
    i % 10 === 0
      ? 'const x = new PrismaClient(;'
      : i % 10 === 1
        ? `import { Db } from './db';\nexport const d${i} = new Db();\n`
        : i % 10 === 2
          ? 'const a = 1;\0\0binary'
          : `import { PrismaClient } from '@prisma/client';\nexport const p${i} = new PrismaClient();\n`,
  ),
}));
entries.push({ file: 'src/hooks.ts', bytes: shared("import { Db } from './db';\nprocess.on('SIGTERM', () => new Db().$disconnect());\n") });
const settings = { maxFileBytes: 1 << 20, specifiers: ['pg'], ruleTrigger: true };

test('worker threads and the main thread agree; parse errors and binary files come back as warnings; later rounds reach every thread', async () => {
  const rounds: AnalysisResult[][] = [];
  for (const workers of [0, 1, 2]) {
    const pool = new AnalysisPool(workers, settings);
    try {
      for (let at = 0; at < entries.length; at += 7) pool.submit(entries.slice(at, at + 7), ['PrismaClient']);
      const first = await pool.drain();
      assert.equal(first.parsed, 49, `${workers} workers: the PrismaClient files, the broken ones included, and the SIGTERM one`);
      assert.equal(first.warnings.filter((w) => w.kind === 'parse').length, 6);
      assert.equal(first.warnings.filter((w) => w.kind === 'binary').length, 6);
      assert.deepEqual(first.forRulesOnly, ['src/hooks.ts'], `${workers} workers: let through by the rules' trigger alone`);
      const second = await pool.round(['Db']);
      assert.equal(second.parsed, 6, `${workers} workers: the files only the learned word finds`);
      assert.deepEqual(second.namedLater, ['src/hooks.ts'], `${workers} workers: a learned word names the rules-only file`);
      assert.equal((await pool.round(['Nothing'])).parsed, 0);
      assert.equal(pool.threadsUsed, 1 + workers, `${workers} workers`);
      rounds.push([first, second]);
    } finally {
      await pool.close();
    }
  }
  const byFile = (r: AnalysisResult) => r.facts.map((f) => [f.file, f.constructions.map((c) => c.line)]).sort();
  for (const round of [0, 1]) {
    assert.deepEqual(byFile(rounds[1]![round]!), byFile(rounds[0]![round]!));
    assert.deepEqual(byFile(rounds[2]![round]!), byFile(rounds[0]![round]!));
  }
});

test('a round right after submitting judges the queued files first, and loses none of their results', async () => {
  for (const workers of [0, 1]) {
    const pool = new AnalysisPool(workers, settings);
    try {
      for (let at = 0; at < entries.length; at += 7) pool.submit(entries.slice(at, at + 7), ['PrismaClient']);
      const result = await pool.round(['Db']);
      assert.equal(result.parsed, 55, `${workers} workers: first-round files and the learned word's, together`);
    } finally {
      await pool.close();
    }
  }
});
