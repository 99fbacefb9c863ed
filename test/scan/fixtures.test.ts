/**
 * Whole-project behaviour through the public entry point: every fixture folder is scanned
 * and its sites must match the `// site:` markers in its files exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../../src/index.js';
import { compareSites, expectedSites, FIXTURES } from '../helpers/fixtures.js';

const cases = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

for (const name of cases) {
  test(`fixture ${name}: sites match the markers`, async () => {
    const dir = join(FIXTURES, name);
    const report = await scan({ root: dir, useGit: false });
    const actual = report.clients
      .map((site) => ({ file: site.file, line: site.line, scope: site.scope, category: site.category, singleton: site.singleton }))
      .sort(compareSites);
    assert.deepEqual(actual, expectedSites(dir));
    // Every site's column points at the `new` keyword (for a factory call at its callee; for a
    // NestJS provider at the class).
    for (const site of report.clients) {
      const line = readFileSync(join(dir, site.file), 'utf8').split('\n')[site.line - 1]!;
      const expected = site.context.kind === 'nest-provider' || site.construction === 'call' ? site.callee : 'new';
      assert.equal(line.slice(site.column - 1, site.column - 1 + expected.length), expected, `${site.file}:${site.line}:${site.column}`);
    }
  });
}
