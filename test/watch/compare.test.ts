/** `leakhound compare`: the figures and their changes, the three text formats, and the command's errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { compareRuns, formatComparisonJson, formatComparisonMarkdown, formatComparisonPretty, type ComparisonRow, type RunComparison } from '../../src/watch/compare.js';
import type { RunFile } from '../../src/watch/run-file.js';
import { MB, syntheticRun } from '../helpers/run-files.js';

const leaky = syntheticRun({ variant: 'leaky' });
const fixed = syntheticRun({ variant: 'fixed' });

function row(comparison: RunComparison, key: string): ComparisonRow {
  const found = comparison.rows.find((r) => r.key === key);
  assert.ok(found, `row ${key}`);
  return found;
}

test('compare: before → after for memory, trend, clients, connections and duration', () => {
  const comparison = compareRuns(leaky, fixed, { before: 'before.json', after: 'after.json' });
  assert.equal(comparison.kind, 'leakhound-comparison');
  assert.equal(comparison.schemaVersion, 1);
  assert.equal(comparison.before.label, leaky.label);
  assert.equal(comparison.after.file, 'after.json');

  const peak = row(comparison, 'memory.peak.rss');
  assert.equal(peak.before, leaky.summary.memory.peak.rss);
  assert.equal(peak.after, fixed.summary.memory.peak.rss);
  assert.equal(peak.delta, fixed.summary.memory.peak.rss - leaky.summary.memory.peak.rss);
  assert.equal(peak.ratio, fixed.summary.memory.peak.rss / leaky.summary.memory.peak.rss);
  for (const key of ['rss', 'heapUsed', 'external', 'heapTotal', 'arrayBuffers']) {
    row(comparison, `memory.peak.${key}`);
    assert.equal(row(comparison, `memory.steady.${key}`).unit, 'bytes');
  }

  const direction = row(comparison, 'trend.rss.direction');
  assert.deepEqual([direction.before, direction.after, direction.delta, direction.ratio], ['rising', 'flat', null, null]);
  assert.equal(row(comparison, 'trend.rss.slope').ratio, null, 'no ratio of slopes');

  assert.deepEqual([row(comparison, 'clients.created').before, row(comparison, 'clients.created').after], [leaky.summary.clients.created, 2]);
  const prisma = row(comparison, 'clients.created.prisma');
  assert.equal(prisma.delta, 1 - leaky.summary.clients.byLibrary.prisma!);
  assert.equal(row(comparison, 'clients.created.ioredis').ratio, 1);
  assert.equal(row(comparison, 'clients.byLibraries').after, 1);
  assert.equal(row(comparison, 'connections.peakAboveBaseline').after, fixed.summary.connections!.peakAboveBaseline);
  assert.equal(row(comparison, 'run.duration').better, 'neither');
  assert.deepEqual(comparison.notes, []);
  // JSON has no NaN or Infinity to lose.
  for (const r of comparison.rows) for (const value of [r.before, r.after, r.delta, r.ratio]) assert.ok(typeof value !== 'number' || Number.isFinite(value), r.key);
});

test('compare: ratios are safe around zero, and a side without connections has nulls and a note', () => {
  const none: RunFile = { ...fixed, connections: null, summary: { ...fixed.summary, connections: null, clients: { ...fixed.summary.clients, created: 0, byLibrary: {} } } };
  const zero: RunFile = { ...none, summary: { ...none.summary, memory: { ...none.summary.memory, peak: { ...none.summary.memory.peak, arrayBuffers: 0 } } } };
  const comparison = compareRuns(leaky, zero);
  const connections = row(comparison, 'connections.peak');
  assert.deepEqual([connections.before !== null, connections.after, connections.delta, connections.ratio], [true, null, null, null]);
  assert.ok(comparison.notes.some((note) => /connections were measured in the before run only/i.test(note)));
  // 0 → 0 is "no change" (ratio 1); 0 → n has no ratio; n → 0 is −100 %.
  const fromZero = compareRuns(zero, zero);
  assert.equal(row(fromZero, 'clients.created').ratio, 1);
  assert.equal(row(fromZero, 'memory.peak.arrayBuffers').ratio, 1);
  const up = compareRuns(zero, leaky);
  assert.equal(row(up, 'clients.created').ratio, null);
  assert.equal(row(up, 'memory.peak.arrayBuffers').ratio, null);
  assert.equal(row(compareRuns(leaky, zero), 'clients.created').ratio, 0);
  assert.doesNotMatch(formatComparisonJson(up), /NaN|Infinity/);
  assert.match(formatComparisonPretty(up, { color: false }), /created by the application\s+0  →\s+\d+   \+\d+\n/);
});

test('compare: notes when the runs are not comparable', () => {
  const short = syntheticRun({ variant: 'fixed', durationMs: 20_000, limitBytes: 1024 * MB });
  const notes = compareRuns(leaky, { ...short, machine: { ...short.machine, node: 'v22.1.0' } }).notes.join('\n');
  assert.match(notes, /lasted 1 min and 20\.0 s/);
  assert.match(notes, /memory limits differ: 512 MB \(cgroup\) before, 1\.00 GB \(cgroup\) after/);
  assert.match(notes, /different machines or Node versions/);
  assert.match(compareRuns(leaky, { ...fixed, load: null }).notes.join('\n'), /The load differed: `autocannon .*` before, none after/);
});

test('compare: pretty, markdown and json formats', () => {
  const comparison = compareRuns(leaky, fixed, { before: 'before.json', after: 'after.json' });
  const pretty = formatComparisonPretty(comparison, { color: false });
  assert.doesNotMatch(pretty, /\x1b\[/);
  assert.match(pretty, /^leakhound compare\n  before  before: new PrismaClient\(\) per request <main & co>  \(1 min, 2025-11-20 09:30:00 UTC, before\.json\)/);
  assert.match(pretty, /RSS peak\s+\d+ MB  →\s+\d+ MB   −\d+ MB \(−\d+ %\)/);
  assert.match(pretty, /RSS trend\s+rising  →\s+flat   no longer rising/);
  assert.match(pretty, /\n    prisma\s+\d+  →\s+1   −\d+ \(−99\.\d %\)/);
  assert.match(pretty, /\n  peak above baseline\s+92  →\s+10   −82 \(−89 %\)/);
  // The columns line up: every arrow at the same place.
  const arrows = pretty.split('\n').filter((line) => line.includes('  →  ')).map((line) => line.indexOf('  →  '));
  assert.equal(new Set(arrows).size, 1);
  const colored = formatComparisonPretty(comparison, { color: true });
  assert.match(colored, /\x1b\[32m−\d+ MB/, 'lower is green');

  const markdown = formatComparisonMarkdown(comparison);
  assert.match(markdown, /^## leakhound compare: before: new PrismaClient\(\) per request &lt;main & co> → after: one shared client\n/);
  assert.match(markdown, /\| \| before \| after \| change \|\n\| --- \| ---: \| ---: \| ---: \|/);
  assert.match(markdown, /\| RSS peak \| \d+ MB \| \d+ MB \| \*\*−\d+ MB \(−\d+ %\)\*\* \|/);
  assert.match(markdown, /\| ↳ prisma \| \d+ \| 1 \|/);
  assert.match(markdown, /\| baseline \| 3 \| 3 \| same \|/);

  const json = JSON.parse(formatComparisonJson(comparison)) as RunComparison;
  assert.equal(json.kind, 'leakhound-comparison');
  assert.equal(json.schemaVersion, 1);
  assert.equal(json.tool.name, 'leakhound');
  assert.deepEqual(Object.keys(json.rows[0]!).sort(), ['after', 'before', 'better', 'delta', 'group', 'key', 'label', 'ratio', 'unit']);
});

function memoryIo(cwd: string, env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (chunk: string) => (out.stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => (out.stderr += chunk), isTTY: false },
    env,
    cwd,
  };
  return { io, out };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-compare-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('compare CLI: prints the table, writes --html, exits 0', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'before.json'), JSON.stringify(leaky));
  writeFileSync(join(dir, 'after.json'), JSON.stringify(fixed));
  const { io, out } = memoryIo(dir, { FORCE_COLOR: '1' });
  assert.equal(await runCli(['compare', 'before.json', 'after.json', '--html', 'compare.html', '--no-color'], io), 0, out.stderr);
  assert.match(out.stdout, /^leakhound compare\n/);
  assert.doesNotMatch(out.stdout, /\x1b\[/, '--no-color wins over FORCE_COLOR');
  assert.match(out.stderr, /comparison page written to compare\.html/);
  assert.match(readFileSync(join(dir, 'compare.html'), 'utf8'), /^<!doctype html>/);

  const json = memoryIo(dir);
  assert.equal(await runCli(['compare', 'before.json', 'after.json', '-f', 'json'], json.io), 0);
  assert.equal((JSON.parse(json.out.stdout) as RunComparison).before.file, 'before.json');
  const markdown = memoryIo(dir);
  assert.equal(await runCli(['compare', 'before.json', 'after.json', '--format', 'markdown'], markdown.io), 0);
  assert.match(markdown.out.stdout, /^## leakhound compare/);
  const help = memoryIo(dir);
  assert.equal(await runCli(['compare', '--help'], help.io), 0);
  assert.match(help.out.stdout, /leakhound compare <before\.json> <after\.json>/);
});

test('compare CLI: unreadable or invalid files and bad usage exit 2 with a hint', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'good.json'), JSON.stringify(fixed));
  writeFileSync(join(dir, 'text.json'), 'not json at all');
  writeFileSync(join(dir, 'scan.json'), JSON.stringify({ schemaVersion: 1, tool: { name: 'leakhound' }, clients: [] }));
  writeFileSync(join(dir, 'broken.json'), JSON.stringify({ ...fixed, samples: 'many' }));
  writeFileSync(join(dir, 'future.json'), JSON.stringify({ ...fixed, schemaVersion: 99 }));
  const cases: [string[], RegExp][] = [
    [['compare', 'missing.json', 'good.json'], /missing\.json does not exist\nhint: run files are written by `leakhound watch --out/],
    [['compare', 'good.json', 'text.json'], /text\.json is not JSON/],
    [['compare', 'good.json', 'scan.json'], /scan\.json is not a leakhound run file \(kind: missing\)/],
    [['compare', 'broken.json', 'good.json'], /broken\.json is not a valid run file: samples:/],
    [['compare', 'good.json', 'future.json'], /written by a newer leakhound/],
    [['compare', 'good.json', '.'], /\. is a directory, not a run file/],
    [['compare', 'good.json'], /compare takes two run files, before and after; got 1\nhint: /],
    [['compare', 'good.json', 'good.json', '-f', 'sarif'], /unknown format for compare: sarif\nhint: --format takes one of: pretty, json, markdown/],
    [['compare', 'good.json', 'good.json', '--bogus'], /hint: run `leakhound compare --help`/],
    [['compare', 'good.json', 'good.json', '--html', join(dir, 'no/such/folder/x.html')], /cannot write .*x\.html/],
  ];
  for (const [argv, message] of cases) {
    const { io, out } = memoryIo(dir);
    assert.equal(await runCli(argv, io), 2, argv.join(' '));
    assert.match(out.stderr, message, argv.join(' '));
    assert.equal(out.stdout, '', argv.join(' '));
  }
});
