import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseSync } from 'oxc-parser';
import { GREP_NEEDLE, buildCorpus, generateCorpus, type CorpusManifest } from '../../bench/generate-corpus.js';

const OPTIONS = { files: 300, sites: 20, seed: 7 };
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

const scratch = mkdtempSync(join(tmpdir(), 'leakhound-corpus-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return out;
}

/** UTF-16 offset of a 1-based line/column. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    assert.notEqual(nl, -1, `line ${line} is past the end of the file`);
    offset = nl + 1;
  }
  return offset + column - 1;
}

/** Start offsets of every `new` expression in a parsed file. */
function newExpressionStarts(path: string, text: string): Set<number> {
  const result = parseSync(path, text);
  const starts = new Set<number>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'NewExpression' && typeof record.start === 'number') starts.add(record.start);
    for (const [k, value] of Object.entries(record)) if (k !== 'parent') visit(value);
  };
  visit(result.program);
  return starts;
}

describe('bench corpus generator', () => {
  const first = join(scratch, 'a');
  const second = join(scratch, 'b');
  let manifest: CorpusManifest;
  let tree: Map<string, string>;

  it('writes the same bytes twice for the same options', async () => {
    manifest = await generateCorpus(first, OPTIONS);
    await generateCorpus(second, OPTIONS);
    tree = readTree(first);
    const other = readTree(second);
    assert.deepEqual([...tree.keys()].sort(), [...other.keys()].sort());
    for (const [path, text] of tree) assert.equal(other.get(path), text, `${path} differs between runs`);
    assert.equal(tree.size, OPTIONS.files, 'the file count includes manifest.json');
    // And the in-memory build is the same corpus.
    const built = buildCorpus(OPTIONS);
    for (const [path, text] of built.files) assert.equal(tree.get(path), text, `${path} differs from buildCorpus`);
  });

  it('gives another corpus for another seed', () => {
    const other = buildCorpus({ ...OPTIONS, seed: OPTIONS.seed + 1 });
    assert.notDeepEqual(other.manifest.sites, manifest.sites);
  });

  it('refuses to write over a directory that is not a corpus', async () => {
    await assert.rejects(generateCorpus(join(scratch), OPTIONS), /refusing to overwrite/);
  });

  it('places every true site on a `new` expression, and parses cleanly', () => {
    assert.equal(manifest.sites.length, OPTIONS.sites);
    const bySource = new Map<string, Set<number>>();
    for (const [path, text] of tree) {
      if (!SOURCE.test(path)) continue;
      const result = parseSync(path, text);
      const errors = result.errors.filter((e) => e.severity === 'Error');
      assert.deepEqual(errors.map((e) => e.message), [], `${path} does not parse`);
      bySource.set(path, newExpressionStarts(path, text));
    }
    for (const site of manifest.sites) {
      const text = tree.get(site.file);
      assert.ok(text !== undefined, `${site.file} is missing`);
      const offset = offsetOf(text, site.line, site.column);
      assert.ok(text.startsWith(`new ${site.callee}`, offset), `${site.file}:${site.line}:${site.column} is not at "new ${site.callee}"`);
      assert.ok(bySource.get(site.file)?.has(offset), `${site.file}:${site.line}:${site.column} is not a NewExpression`);
      assert.equal(site.grep, text.startsWith(GREP_NEEDLE, offset));
    }
  });

  it('lists decoys at their text, and only the local fakes as real `new` expressions', () => {
    assert.ok(manifest.decoys.length > 0);
    for (const decoy of manifest.decoys) {
      const text = tree.get(decoy.file);
      assert.ok(text !== undefined, `${decoy.file} is missing`);
      const offset = offsetOf(text, decoy.line, decoy.column);
      if (decoy.grep) assert.ok(text.startsWith(GREP_NEEDLE, offset), `${decoy.file}:${decoy.line}:${decoy.column} (${decoy.kind})`);
      if (decoy.kind === 'local-class' || decoy.kind === 'local-class-import' || decoy.kind === 'error-class') {
        assert.ok(newExpressionStarts(decoy.file, text).has(offset), `${decoy.kind} decoy at ${decoy.file}:${decoy.line} is not a NewExpression`);
      }
    }
  });

  it('covers every binding shape and counts what grep will see', () => {
    for (const shape of ['named-import', 'aliased-import', 'namespace-import', 'require-destructure', 'require-member', 'dynamic-import', 'generated-relative', 'generated-alias', 'workspace-barrel', 'workspace-renamed', 'subclass', 'subclass-workspace']) {
      assert.ok((manifest.shapes[shape]?.sites ?? 0) > 0, `no ${shape} site`);
    }
    let occurrences = 0;
    for (const [path, text] of tree) {
      if (path === 'manifest.json' || path.split('/').some((part) => part.startsWith('.'))) continue;
      occurrences += text.split(GREP_NEEDLE).length - 1;
    }
    assert.equal(manifest.expected.grepMatches, occurrences);
    const generated = [...tree.keys()].filter((p) => p.startsWith('packages/db/src/generated/prisma/'));
    assert.ok(generated.length > 3);
    for (const path of generated) {
      assert.ok(tree.get(path)?.startsWith('/* !!! This is code generated by Prisma. Do not edit directly. !!! */\n'), path);
    }
  });
});
