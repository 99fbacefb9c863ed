/** The summary `watch` prints at the end of a run, its Markdown twin, and the wording they share. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatMemory, formatMemoryChange, formatPercentChange, formatSlope, shellCommand, shortFrame } from '../../src/watch/describe-run.js';
import { formatRunMarkdown, formatRunSummary } from '../../src/watch/format-run.js';
import { MB, syntheticRun } from '../helpers/run-files.js';

const leaky = syntheticRun({ variant: 'leaky' });

test('run summary: memory, trend, clients with their top sites, connections, where the files are', () => {
  const text = formatRunSummary(leaky, { color: false, jsonPath: 'leakhound-run.json', htmlPath: 'reports/run.html' });
  const lines = text.split('\n');
  assert.equal(lines[0], 'leakhound watch: before: new PrismaClient() per request <main & co> — 1 min, stopped by leakhound after --duration');
  assert.match(lines[1]!, /^  memory      RSS peak \d+ MB, steady \d+ MB \(start [\d.]+ MB\) · heapUsed steady [\d.]+ MB · external [\d.]+ MB · limit 512 MB \(cgroup\)$/);
  assert.match(lines[2]!, /^  trend       RSS is rising: \+\d+ MB\/min \(95 % confidence interval .*, p < 0\.001, from \d+ floor points of the sawtooth after [\d.]+ s of start-up\)$/);
  assert.match(lines[3]!, /^ {14}at this rate RSS reaches the 512 MB limit \(cgroup\) in about /);
  assert.match(lines[4]!, /^ {14}heapUsed is rising: /);
  assert.match(lines[5]!, /^  clients     210 clients created by the application \(prisma 209, ioredis 1\), at most \d+ open at once, \d+ open at the end$/);
  assert.equal(lines[6], '              139 × prisma PrismaClient  src/routes/tasks.ts:5 (getClient)');
  assert.equal(lines[7], '               69 × prisma PrismaClient  src/routes/reports.ts:12 (buildReport)');
  assert.equal(lines[8], '                1 × ioredis Redis  src/lib/cache.ts:7 (connect<Redis & Cluster>)');
  assert.equal(lines[9], '              and 1 other place');
  assert.equal(lines[10], '              + created by libraries: 209 × pg Pool by @prisma/adapter-pg');
  assert.equal(lines[11], '  connections peak 95 (baseline 3, so 92 held by this program), steady 95');
  assert.equal(lines[12], '  written     run file leakhound-run.json · report reports/run.html');
  assert.equal(lines[13], '  1 warning');
  assert.doesNotMatch(text, /\x1b\[/);
  assert.match(formatRunSummary(leaky, { color: true }), /\x1b\[31mRSS is rising/);
});

test('run summary: a fixed run, no connections sampled, nothing written yet', () => {
  const fixed = formatRunSummary(syntheticRun({ variant: 'fixed', connections: 'unsupported', limitBytes: null }), { color: false, sites: 1 });
  assert.match(fixed, /trend {7}RSS is flat: no significant trend/);
  assert.doesNotMatch(fixed, /limit|written/);
  assert.match(fixed, /clients {5}2 clients created by the application \(ioredis 1, prisma 1\)/);
  assert.match(fixed, /and 1 other place\n/);
  assert.match(fixed, /connections not sampled: MySQL connections are read with mysql2 <3\.0 & it is not installed\n/);
  const none = formatRunSummary(syntheticRun({ variant: 'fixed', connections: 'none' }), { color: false });
  assert.match(none, /connections not sampled\n/);
});

test('run summary as Markdown: tables, escaped', () => {
  const markdown = formatRunMarkdown(leaky, { htmlPath: 'run.html' });
  assert.match(markdown, /^### leakhound watch: before: new PrismaClient\(\) per request &lt;main & co>\n\n_1 min, stopped by leakhound after --duration, limit 512 MB \(cgroup\)_/);
  assert.match(markdown, /\| RSS \| [\d.]+ MB \| \d+ MB \| \d+ MB \|/);
  assert.match(markdown, /- \*\*RSS is rising: \+\d+ MB\/min\*\*/);
  assert.match(markdown, /\| 139 \| prisma PrismaClient \| `src\/routes\/tasks\.ts:5 \(getClient\)` \|/);
  assert.match(markdown, /_Written: report `run\.html`\._/);
  assert.match(markdown, /> the program wrote to stderr: &lt;b>Error&lt;\/b> & "too many clients already"/);
});

test('wording: memory, slopes, changes, durations', () => {
  assert.deepEqual([0, 512 * 1024, 4.25 * MB, 41.26 * MB, 412.4 * MB, 1.5 * 1024 * MB].map(formatMemory), ['0 KB', '512 KB', '4.25 MB', '41.3 MB', '412 MB', '1.50 GB']);
  assert.deepEqual([12 * MB, -3.1 * MB, 0].map(formatMemoryChange), ['+12.0 MB', '−3.10 MB', '±0 KB']);
  assert.deepEqual([(4.2 * MB) / 60, (-0.5 * MB) / 60, (25 * MB) / 60, 0, 1].map(formatSlope), ['+4.2 MB/min', '−0.50 MB/min', '+25 MB/min', '±0.00 MB/min', '±0.00 MB/min']);
  assert.deepEqual([1.62, 0.38, 1, 0.995, 0.005, null].map(formatPercentChange), ['+62 %', '−62 %', '±0 %', '−0.5 %', '−99.5 %', null]);
  assert.deepEqual([850, 42_000, 60_000, 725_000, 7_380_000].map(formatDuration), ['850 ms', '42.0 s', '1 min', '12 min 5 s', '2 h 3 min']);
});

test('wording: frames relative to the run directory, commands quoted', () => {
  assert.equal(shortFrame('/srv/api/src/db.ts:4:16 (getDb)', '/srv/api'), 'src/db.ts:4 (getDb)');
  assert.equal(shortFrame('/srv/api/src/db.ts:4:16 (getDb)', '/srv/api', { column: true }), 'src/db.ts:4:16 (getDb)');
  assert.equal(shortFrame('file:///srv/api/src/db.ts:4:16', '/srv/api'), 'src/db.ts:4');
  assert.equal(shortFrame('/srv/other/db.ts:4:16 (x)', '/srv/api'), '/srv/other/db.ts:4 (x)');
  assert.equal(shortFrame('/srv/api-v2/db.ts:1:1', '/srv/api'), '/srv/api-v2/db.ts:1');
  assert.equal(shortFrame('unknown', '/srv/api'), 'unknown');
  assert.equal(shellCommand(['node', 'server.js', '--port=3000', 'a b', "it's", '']), `node server.js --port=3000 'a b' 'it'\\''s' ''`);
});
