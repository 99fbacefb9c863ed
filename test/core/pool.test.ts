/** The parser pool gives the same facts whether files are parsed on this thread or a worker. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisPool } from '../../src/core/pool.js';
import type { AnalysisResult } from '../../src/core/analyse.js';

const candidates = Array.from({ length: 50 }, (_, i) => ({
  file: `src/f${i}.ts`,
  text: i % 10 === 0 ? 'const x = ;' : `import { PrismaClient } from '@prisma/client';\nexport const p${i} = new PrismaClient();\n`,
}));

test('worker threads and the main thread agree, and parse errors come back as warnings', async () => {
  const results: AnalysisResult[] = [];
  for (const workers of [0, 1, 2]) {
    const pool = new AnalysisPool(workers);
    try {
      for (const candidate of candidates) pool.submit(candidate);
      const result = await pool.drain();
      results.push(result);
      assert.equal(result.facts.length, 50);
      assert.equal(result.parsed, 50);
      assert.equal(result.warnings.length, 5);
      assert.equal(pool.threadsUsed, 1 + workers, `${workers} workers`);
    } finally {
      await pool.close();
    }
  }
  const byFile = (r: AnalysisResult) => r.facts.map((f) => [f.file, f.constructions.map((c) => c.line)]).sort();
  assert.deepEqual(byFile(results[1]!), byFile(results[0]!));
  assert.deepEqual(byFile(results[2]!), byFile(results[0]!));
});
