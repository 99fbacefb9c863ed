/**
 * The bundled example is what a newcomer scans first: its report must match the independently
 * written list of true sites exactly, and none of its decoys may appear.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scan } from '../../src/index.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/campaign-manager/', import.meta.url));

interface Expected {
  file: string;
  line: number;
  column: number;
  scope: string;
  inTest: boolean;
  category: string;
}

test('examples/campaign-manager: every true site, nothing else', async () => {
  const expected = JSON.parse(readFileSync(`${EXAMPLE}expected-sites.json`, 'utf8')) as Expected[];
  const decoys = JSON.parse(readFileSync(`${EXAMPLE}expected-decoys.json`, 'utf8')) as { file: string; line: number }[];
  const report = await scan({ root: EXAMPLE });
  const actual = report.clients.map(({ file, line, column, scope, inTest, category }) => ({ file, line, column, scope, inTest, category }));
  assert.deepEqual(actual, expected);
  for (const decoy of decoys) {
    assert.ok(!report.clients.some((c) => c.file === decoy.file && c.line === decoy.line), `decoy ${decoy.file}:${decoy.line}`);
  }
  assert.deepEqual(report.warnings, []);
  assert.equal(report.summary.perCall, expected.filter((s) => s.scope === 'function' && !s.inTest).length);
});
