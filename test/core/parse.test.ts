/**
 * The two ways oxc hands over the AST (JSON on every Node, raw transfer on Node >= 22) must
 * give the analysis the same input: every fixture file's facts are compared across both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { rawTransferSupported } from 'oxc-parser';
import { parseLeniently, parseSource } from '../../src/core/parse.js';
import { extractFacts } from '../../src/core/facts.js';
import type { AnyNode } from '../../src/core/ast.js';
import { FIXTURES } from '../helpers/fixtures.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.[cm]?[jt]sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

test('raw transfer and JSON transfer give the same facts for every fixture file', { skip: rawTransferSupported() ? false : 'raw transfer needs Node >= 22 (CI runs this on Node 22)' }, () => {
  const files = sourceFiles(FIXTURES);
  assert.ok(files.length > 30);
  for (const path of files) {
    const file = relative(FIXTURES, path);
    const text = readFileSync(path, 'utf8');
    const viaJson = parseSource(file, text, undefined, 'json');
    const viaRaw = parseSource(file, text, undefined, 'raw');
    assert.deepEqual(viaRaw.errors, viaJson.errors, file);
    const factsJson = extractFacts(file, text, viaJson.program as unknown as AnyNode);
    const factsRaw = extractFacts(file, text, viaRaw.program as unknown as AnyNode);
    assert.deepEqual(factsRaw, factsJson, file);
  }
});

test('a syntax error is reported with its offset; JSX in a .js file is retried as TSX', () => {
  const broken = parseLeniently('a.ts', 'const a = 1;\nconst x = ;\n');
  assert.equal(broken.errors.length, 1);
  assert.equal(broken.errors[0]!.offset, 23);
  const jsx = parseLeniently('view.js', 'export const View = () => <div />;\n');
  assert.deepEqual(jsx.errors, []);
  assert.equal((jsx.program.body as unknown[]).length, 1);
});
