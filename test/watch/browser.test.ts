/**
 * The report and the comparison page in a real browser (headless Chromium): the charts are
 * drawn (the screenshot has the RSS line, the limit line and the client markers in their
 * colours), the page's script runs without an error, and its crosshair and tooltips answer.
 * Skipped without Chromium (see test/helpers/chromium.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { compareRuns } from '../../src/watch/compare.js';
import { renderComparisonHtml } from '../../src/watch/compare-html.js';
import { LIGHT_COLORS } from '../../src/watch/html-page.js';
import { renderRunHtml } from '../../src/watch/html-report.js';
import { chromiumOrSkip, consoleMessages, runChromium } from '../helpers/chromium.js';
import { countPixels, decodePng, distinctColors, hexColor, type DecodedPng } from '../helpers/png.js';
import { syntheticRun } from '../helpers/run-files.js';

const leaky = syntheticRun({ variant: 'leaky', programs: 2 });
const fixed = syntheticRun({ variant: 'fixed' });
/** The first library's marker colour (prisma's). */
const PRISMA_MARKER = '#1a7f37';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-browser-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Test-only, added to a copy of the page: once loaded, point at the middle of a chart and at a
// client marker, and keep what the tooltip said where --dump-dom shows it.
const PROBE = `<script>
addEventListener('load', () => {
  const tip = document.getElementById('tip');
  const svg = document.querySelector('svg.chart');
  const box = svg.getBoundingClientRect();
  svg.dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + box.width / 2, clientY: box.top + box.height / 3, bubbles: true }));
  document.documentElement.setAttribute('data-crosshair-tip', tip.textContent);
  document.documentElement.setAttribute('data-crosshair-shown', svg.querySelector('.crosshair').getAttribute('visibility'));
  const marker = document.querySelector('.marker');
  const spot = marker.getBoundingClientRect();
  marker.dispatchEvent(new PointerEvent('pointermove', { clientX: spot.left + 2, clientY: spot.top + 2, bubbles: true }));
  document.documentElement.setAttribute('data-marker-tip', tip.textContent);
});
</script>`;

/** Bounding box and count of the pixels of one colour. */
function colorBox(png: DecodedPng, hex: string) {
  const [r, g, b] = hexColor(hex);
  let count = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  const rows = new Map<number, number>();
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const p = (y * png.width + x) * 4;
      if (Math.abs(png.pixels[p]! - r) > 6 || Math.abs(png.pixels[p + 1]! - g) > 6 || Math.abs(png.pixels[p + 2]! - b) > 6) continue;
      count++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
      rows.set(y, (rows.get(y) ?? 0) + 1);
    }
  }
  const fullest = [...rows].sort((a, b) => b[1] - a[1])[0] ?? [-1, 0];
  return { count, x0, y0, x1, y1, fullestRow: fullest[0], fullestRowPixels: fullest[1] };
}

async function screenshot(chromium: string, dir: string, name: string, html: string): Promise<DecodedPng> {
  const page = join(dir, `${name}.html`);
  const shot = join(dir, `${name}.png`);
  writeFileSync(page, html);
  const result = await runChromium(chromium, pathToFileURL(page).href, ['--window-size=1280,2000', `--screenshot=${shot}`]);
  assert.equal(result.code, 0, result.stderr.slice(-3000));
  return decodePng(readFileSync(shot));
}

async function domAfterLoad(chromium: string, dir: string, name: string, html: string) {
  const page = join(dir, `${name}-probe.html`);
  writeFileSync(page, html.replace('</body>', `${PROBE}\n</body>`));
  const result = await runChromium(chromium, pathToFileURL(page).href, ['--window-size=1280,2000', '--virtual-time-budget=5000', '--dump-dom']);
  assert.equal(result.code, 0, result.stderr.slice(-3000));
  assert.deepEqual(consoleMessages(result.stderr), [], 'nothing logged, nothing thrown');
  const attribute = (name: string) => /<html[^>]*>/.exec(result.stdout)![0].match(new RegExp(`${name}="([^"]*)"`))?.[1] ?? null;
  return { dom: result.stdout, attribute };
}

test('browser: the report draws its memory chart, the limit and the client markers', async (t) => {
  const chromium = chromiumOrSkip(t);
  if (!chromium) return;
  const png = await screenshot(chromium, tempDir(t), 'report', renderRunHtml(leaky));
  assert.deepEqual([png.width, png.height], [1280, 2000]);
  assert.equal(countPixels(png, hexColor(LIGHT_COLORS.bg), { x0: 0, y0: 0, x1: 4, y1: 4 }), 16, 'a white page (light theme)');
  assert.ok(distinctColors(png) > 200, 'not a blank page');

  const rss = colorBox(png, LIGHT_COLORS.rss);
  assert.ok(rss.count > 1000, `${rss.count} pixels of the RSS line`);
  assert.ok(rss.x1 - rss.x0 > 850, `the RSS line spans the chart: x ${rss.x0}–${rss.x1}`);
  assert.ok(rss.y1 - rss.y0 > 150, `and climbs: y ${rss.y0}–${rss.y1}`);
  const heap = colorBox(png, LIGHT_COLORS.heapUsed);
  assert.ok(heap.count > 800, `${heap.count} pixels of heapUsed`);

  // Client markers: a lane under the plot, the row with most of their colour.
  const markers = colorBox(png, PRISMA_MARKER);
  assert.ok(markers.count > 1000, `${markers.count} pixels of prisma markers`);
  assert.ok(markers.fullestRow > rss.y1, `marker lane (row ${markers.fullestRow}) under the RSS line (lowest at ${rss.y1})`);

  // The limit: a dashed line across the plot (one row with hundreds of its pixels), in the chart.
  const limit = colorBox(png, LIGHT_COLORS.limit);
  assert.ok(limit.fullestRowPixels > 450, `${limit.fullestRowPixels} limit pixels in row ${limit.fullestRow}`);
  assert.ok(limit.fullestRow < markers.fullestRow && limit.fullestRow > markers.fullestRow - 400, `limit row ${limit.fullestRow}, marker lane ${markers.fullestRow}`);
});

test('browser: the report script runs; crosshair and marker tooltips answer', async (t) => {
  const chromium = chromiumOrSkip(t);
  if (!chromium) return;
  const html = renderRunHtml(leaky);
  const { dom, attribute } = await domAfterLoad(chromium, tempDir(t), 'report', html);
  assert.equal(attribute('data-ready'), 'true');
  assert.ok((dom.match(/<path class="line/g) ?? []).length >= 6, 'memory lines and connections');
  const markers = html.match(/<circle class="marker"/g)!.length;
  assert.equal((dom.match(/<circle class="marker"/g) ?? []).length, markers);
  // The script moved every marker's <title> into the styled tooltip's data.
  assert.equal((dom.match(/<circle class="marker"[^>]*data-tip="/g) ?? []).length, markers);
  assert.doesNotMatch(dom, /<circle class="marker"[^>]*><title>/);
  assert.equal(attribute('data-crosshair-shown'), 'visible');
  assert.match(attribute('data-crosshair-tip') ?? '', /^\d+\.\d s.*RSS: \d+(\.\d+)? MB.*heapTotal: .*heapUsed: .*external: .*arrayBuffers: /);
  assert.match(attribute('data-marker-tip') ?? '', /created .*at/);
});

test('browser: the comparison page draws both runs and its script runs', async (t) => {
  const chromium = chromiumOrSkip(t);
  if (!chromium) return;
  const dir = tempDir(t);
  const html = renderComparisonHtml(leaky, fixed, compareRuns(leaky, fixed));
  const png = await screenshot(chromium, dir, 'compare', html);
  const after = colorBox(png, LIGHT_COLORS.rss);
  const before = colorBox(png, LIGHT_COLORS.before);
  assert.ok(after.count > 1500, `${after.count} pixels of RSS after`);
  assert.ok(before.count > 800 && before.x1 - before.x0 > 800, `${before.count} pixels of RSS before, x ${before.x0}–${before.x1}`);
  assert.ok(colorBox(png, LIGHT_COLORS.limit).fullestRowPixels > 450, 'the limit line');
  assert.ok(colorBox(png, LIGHT_COLORS.good).count > 100, 'green changes in the headline cards');

  const { dom, attribute } = await domAfterLoad(chromium, dir, 'compare', html);
  assert.equal(attribute('data-ready'), 'true');
  for (const id of ['memory-overlay', 'memory-before', 'memory-after', 'connections-before', 'connections-after']) assert.match(dom, new RegExp(`<svg class="chart" id="${id}"`));
  assert.match(attribute('data-crosshair-tip') ?? '', /RSS before: .*heapUsed before: .*RSS after: .*heapUsed after: /);
});
