/**
 * The HTML report as text: everything escaped, nothing fetched from the network, every client
 * behind a marker, the limit drawn, and large runs small and fast. What a browser makes of it
 * is in browser.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareRuns } from '../../src/watch/compare.js';
import { renderComparisonHtml } from '../../src/watch/compare-html.js';
import { renderRunHtml } from '../../src/watch/html-report.js';
import type { RunFile } from '../../src/watch/run-file.js';
import { CHART_WIDTH, downsampleLine } from '../../src/watch/svg-chart.js';
import { MB, syntheticRun } from '../helpers/run-files.js';

const leaky = syntheticRun({ variant: 'leaky', programs: 2 });
const fixed = syntheticRun({ variant: 'fixed' });

/** Every tag name the pages are made of; anything else got in unescaped. */
const TAGS = new Set('html head meta title style body main header div h1 h2 h3 pre span b i code section svg line text rect path circle g table thead tbody tr th td details summary p ul li footer script'.split(' '));

/** Fails with the place of the first match, not the whole page. */
function assertAbsent(html: string, pattern: RegExp, what: string) {
  const match = pattern.exec(html);
  assert.ok(!match, `${what}: …${match ? html.slice(Math.max(0, match.index - 60), match.index + 60) : ''}…`);
}

function assertSafePage(html: string) {
  for (const match of html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)) assert.ok(TAGS.has(match[1]!), `unexpected tag <${match[1]}> at …${html.slice(match.index! - 40, match.index! + 40)}…`);
  // Nothing that makes a browser fetch: no attribute that loads (in any tag), no CSS imports or urls.
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) assertAbsent(tag[0], /\s(src|href|srcset|action|xlink:href|poster|data|background)\s*=/i, 'an attribute that loads');
  assertAbsent(html, /@import|url\(|<link|<img|<iframe|<object|<embed|fetch\(|XMLHttpRequest|WebSocket/i, 'a network reference');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">/);
  // The only script is ours, closed once.
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.equal(html.match(/<\/script/g)?.length, 1);
}

test('report: every string from the run is escaped', () => {
  const html = renderRunHtml(leaky);
  assertSafePage(html);
  assert.match(html, /^<!doctype html>\n<html lang="en">/);
  assert.ok(html.includes('<h1>before: new PrismaClient() per request &lt;main &amp; co&gt;</h1>'));
  assert.ok(html.includes(`$ npm start -- &#39;--name=&lt;api &amp; &quot;co&quot;&gt;&#39; &#39;it&#39;\\&#39;&#39;s&#39;`), 'the command, shell-quoted and escaped');
  assert.ok(html.includes('src/lib/cache.ts:7:15 (connect&lt;Redis &amp; Cluster&gt;)'), 'stacks, relative to the cwd');
  assert.ok(html.includes('the program wrote to stderr: &lt;b&gt;Error&lt;/b&gt; &amp; &quot;too many clients already&quot;'), 'warnings');
  assert.ok(html.includes('postgresql://app:***@localhost:5432/app?schema=public&amp;sslmode=disable'));
  for (const raw of ['<main & co>', 'connect<Redis', '<b>Error', '"co">', 'public&sslmode']) assert.ok(!html.includes(raw), raw);
});

test('report: one marker per group of clients, their counts add up, stacks in <title>', () => {
  const html = renderRunHtml(leaky);
  const titles = [...html.matchAll(/<circle class="marker"[^>]*><title>([^<]*)<\/title><\/circle>/g)].map((match) => match[1]!);
  assert.ok(titles.length > 20 && titles.length < leaky.clients.length, `${titles.length} markers for ${leaky.clients.length} clients`);
  const count = (title: string) => Number(/^([\d,]+) clients created/.exec(title)?.[1]?.replace(/,/g, '') ?? 1);
  assert.equal(titles.map(count).reduce((a, b) => a + b, 0), leaky.clients.length);
  assert.ok(titles.some((title) => title.startsWith('prisma PrismaClient created at 420 ms (pid 4101); still open at the end') && title.includes('src/lib/db.ts:4:23 (&lt;module&gt;)')));
  assert.ok(titles.some((title) => /^\d+ clients created between [\d.]+ s and [\d.]+ s; /.test(title) && title.includes('× prisma PrismaClient, created at\n  src/routes/')));
  // Library-internal clients are rings in a lane of their own, counted apart.
  assert.match(html, /<g class="lane internal hollow">.*?<text class="lane-label"[^>]*>by libraries<\/text>/);
  assert.match(html, /created by libraries: 209/);
  assert.match(html, /Also created by libraries, not counted above .*: 209 × pg Pool by @prisma\/adapter-pg/);
});

test('report: the limit is a line when near the data, a note when far above, absent when unknown', () => {
  const near = renderRunHtml(leaky);
  assert.match(near, /<line class="rule limit" x1="\d+" x2="\d+" y1="[\d.]+" y2="[\d.]+"\/><text class="rule-label limit"[^>]*>limit 512 MB \(cgroup\)<\/text>/);
  const far = renderRunHtml(syntheticRun({ variant: 'fixed', limitBytes: 64 * 1024 * MB }));
  assert.doesNotMatch(far, /class="rule limit"/);
  assert.match(far, /↑ limit 64\.00 GB \(cgroup\): off the scale/);
  const none = renderRunHtml(syntheticRun({ variant: 'fixed', limitBytes: null }));
  assert.doesNotMatch(none, /rule-label limit/);
  assert.match(none, /limit <b>none known<\/b>/);
});

test('report: trend verdict and figures up front, the explanation, connections or why there are none', () => {
  const html = renderRunHtml(leaky);
  assert.match(html, /<div class="verdict rising"><div class="headline">RSS is rising: \+\d+ MB\/min<\/div><div class="detail">95 % confidence interval \+\d+ MB\/min to \+\d+ MB\/min, p &lt; 0\.001, from \d+ floor points of the sawtooth after [\d.]+ s of start-up<\/div><div class="limit">at this rate RSS reaches the 512 MB limit \(cgroup\) in about [\d.]+ (s|min)/);
  assert.match(renderRunHtml(fixed), /<div class="verdict flat"><div class="headline">RSS is flat: no significant trend/);
  for (const label of ['Peak RSS', 'Steady RSS', 'Steady heapUsed', 'Steady external', 'Clients created', 'Most open at once', 'Connections peak', 'Connections steady']) assert.ok(html.includes(`<div class="label">${label}</div>`), label);
  assert.match(html, /The floor of the sawtooth is what matters/);
  assert.match(html, /<svg class="chart" id="connections"/);
  assert.match(html, /baseline 3 \(before the program started\)/);
  const unsupported = renderRunHtml(syntheticRun({ variant: 'fixed', connections: 'unsupported' }));
  assert.match(unsupported, /Not sampled: MySQL connections are read with mysql2 &lt;3\.0 &amp; it is not installed/);
  assert.doesNotMatch(unsupported, /id="connections"/);
  assert.match(renderRunHtml(syntheticRun({ variant: 'fixed', connections: 'none' })), /Database connections were not sampled in this run/);
});

test('report: an empty run (no samples, no clients) still renders', () => {
  const empty: RunFile = { ...fixed, samples: [], clients: [], connections: null, load: null, summary: { ...fixed.summary, samples: 0, clients: { created: 0, byLibrary: {}, maxOpen: 0, openAtEnd: 0, sites: [] }, connections: null } };
  const html = renderRunHtml(empty);
  assertSafePage(html);
  assert.match(html, /created no database client that leakhound tracks/);
});

test('downsampling keeps every column\'s lowest and highest point, and nothing more', () => {
  const n = 100_000;
  const t = Float64Array.from({ length: n }, (_, i) => i);
  const v = Float64Array.from({ length: n }, (_, i) => (i === 54_321 ? 1000 : i === 77_777 ? -1000 : Math.sin(i / 50)));
  const drawn = downsampleLine(t, v, (x) => 76 + (x / n) * 906, (y) => 500 - y / 10);
  assert.ok(drawn.points <= 2 * (CHART_WIDTH + 1), `${drawn.points} points`);
  assert.ok(drawn.points > 900);
  assert.match(drawn.d, /L[\d.]+ 400(?=L|$)/, 'the spike');
  assert.match(drawn.d, /L[\d.]+ 600(?=L|$)/, 'the trough');
  const few = downsampleLine([0, 10, 20], [1, 2, 3], (x) => 76 + x, (y) => y);
  assert.equal(few.d, 'M76 1L86 2L96 3');
});

test('a large run (20,000 samples, 5,000 clients) renders fast into a bounded file', () => {
  const large = syntheticRun({ variant: 'leaky', durationMs: 20_000 * 50, intervalMs: 50, requestClients: 5000 });
  assert.ok(large.samples.length >= 20_000 && large.clients.length >= 5000);
  const started = performance.now();
  const html = renderRunHtml(large);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 2000, `rendered in ${elapsed.toFixed(0)} ms`);
  assert.ok(html.length < 1_500_000, `${(html.length / 1e6).toFixed(2)} MB`);
  const markers = html.match(/<circle class="marker"/g)?.length ?? 0;
  assert.ok(markers < 400, `${markers} markers`);
  const longest = Math.max(...[...html.matchAll(/ d="([^"]*)"/g)].map((match) => match[1]!.split(/[ML]/).length));
  assert.ok(longest <= 2 * (CHART_WIDTH + 1) + 1, `${longest} points in the longest path`);
});

test('compare page: escaped, self-contained, both runs on one scale', () => {
  const html = renderComparisonHtml(leaky, fixed, compareRuns(leaky, fixed));
  assertSafePage(html);
  assert.ok(html.includes('<h1>before: new PrismaClient() per request &lt;main &amp; co&gt; → after: one shared client</h1>'));
  for (const id of ['memory-overlay', 'memory-before', 'memory-after', 'connections-before', 'connections-after']) assert.match(html, new RegExp(`<svg class="chart" id="${id}"`));
  // One scale: the same value-axis ticks on every memory chart.
  const ticks = ['memory-overlay', 'memory-before', 'memory-after'].map((id) => {
    const svg = html.slice(html.indexOf(`id="${id}"`), html.indexOf('</svg>', html.indexOf(`id="${id}"`)));
    return [...svg.matchAll(/<text class="tick" x="68"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]).join(',');
  });
  assert.equal(new Set(ticks).size, 1, ticks.join(' | '));
  assert.match(ticks[0]!, /0,200 MB,400 MB,600 MB/);
  assert.match(html, /<td class="num good">−\d+ MB \(−\d+ %\)<\/td>/);
});
