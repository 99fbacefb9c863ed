/**
 * `leakhound compare --html`: the before/after page. The two runs are drawn on one time axis
 * and one byte scale — overlaid first, then each with its client markers — so that what the
 * eye sees is the change, not a difference of scales.
 */
import { plural } from '../reporters/describe.js';
import { VERSION } from '../version.js';
import { changeTone, formatChange, formatValue, GROUP_TITLES, shownLabel, type ComparisonRow, type RunComparison } from './compare.js';
import { describeExit, formatDuration, formatMemory, shellCommand, startedAtText } from './describe-run.js';
import { EXPLANATION, trendVerdict } from './html-report.js';
import { escapeHtml as h, legendKey, renderPage } from './html-page.js';
import { applicationClientsLane, chartBox, chartScale, connectionsChart, memoryChart, type ChartScale } from './run-charts.js';
import type { RunFile } from './run-file.js';
import { programSeries, type ProgramPoint } from './summarize.js';
import { renderTimeChart, type ChartLine, type ChartRule } from './svg-chart.js';

/** Renders the comparison of two runs as a self-contained HTML page. */
export function renderComparisonHtml(before: RunFile, after: RunFile, comparison: RunComparison): string {
  const beforeSeries = programSeries(before);
  const afterSeries = programSeries(after);
  const scale = chartScale([
    { run: before, series: beforeSeries },
    { run: after, series: afterSeries },
  ]);
  const body = [
    header(before, after),
    headlineCards(comparison),
    `<div class="verdicts">${trendVerdict(before.summary.trend.rss, before.limit, 'Before: ')}${trendVerdict(after.summary.trend.rss, after.limit, 'After: ')}</div>`,
    notes(comparison),
    `<section><h2>Memory, before and after</h2>${overlayChart(before, beforeSeries, after, afterSeries, scale)}</section>`,
    `<section><h2>Each run, on the same scale</h2>` +
      memoryChart(before, beforeSeries, scale, { id: 'memory-before', title: `Before: ${before.label}` }) +
      memoryChart(after, afterSeries, scale, { id: 'memory-after', title: `After: ${after.label}` }) +
      `</section>`,
    `<section><h2>Database connections</h2>` +
      connectionsChart(before, scale, { id: 'connections-before', title: `Before: ${before.label}` }) +
      connectionsChart(after, scale, { id: 'connections-after', title: `After: ${after.label}` }) +
      `</section>`,
    `<section><h2>All figures</h2>${figuresTable(comparison)}</section>`,
    `<section><h2>How to read this page</h2><p>Each row is <i>before → after</i>, with the change and the change in percent; green is lower (better), red higher. Compare runs of the same length, under the same load, on the same machine: the notes above say when they are not.</p>${EXPLANATION}</section>`,
    `<footer>Written by leakhound ${h(VERSION)} from two run files.</footer>`,
  ];
  return renderPage(`${before.label} → ${after.label} — leakhound compare`, body.join('\n'));
}

function header(before: RunFile, after: RunFile): string {
  const run = (name: string, file: RunFile) =>
    `<div class="meta"><span><b>${name}</b></span><span>started <b>${h(startedAtText(file.startedAt))}</b></span><span>duration <b>${h(formatDuration(file.durationMs))}</b></span><span><b>${h(describeExit(file.exit))}</b></span></div>` +
    `<pre class="command">$ ${h(shellCommand(file.command))}</pre>`;
  return `<header><div class="kicker">leakhound compare</div><h1>${h(before.label)} → ${h(after.label)}</h1>${run('before', before)}${run('after', after)}</header>`;
}

const HEADLINE_KEYS = ['memory.steady.rss', 'memory.peak.rss', 'clients.created', 'connections.peakAboveBaseline', 'memory.steady.heapUsed'];

function headlineCards(comparison: RunComparison): string {
  const cards: string[] = [];
  for (const key of HEADLINE_KEYS) {
    const row = comparison.rows.find((r) => r.key === key);
    if (!row || row.before === null || row.after === null || cards.length === 4) continue;
    const tone = changeTone(row);
    const title = key === 'connections.peakAboveBaseline' ? 'Connections above baseline' : key === 'clients.created' ? 'Clients created' : row.label.replace(/^(\w+) (peak|steady)$/, (_, series: string, what: string) => `${what[0]!.toUpperCase()}${what.slice(1)} ${series}`);
    cards.push(
      `<div class="card"><div class="label">${h(title)}</div><div class="value">${h(formatValue(row.unit, row.before))} → ${h(formatValue(row.unit, row.after))}</div>` +
        `<div class="sub change ${tone}">${h(formatChange(row) || 'no change')}</div></div>`,
    );
  }
  return `<div class="cards">${cards.join('')}</div>`;
}

function notes(comparison: RunComparison): string {
  if (comparison.notes.length === 0) return '';
  return `<ul class="warnings">${comparison.notes.map((note) => `<li>${h(note)}</li>`).join('')}</ul>`;
}

/** RSS and heapUsed of both runs on one chart: before in grey, after in colour. */
function overlayChart(before: RunFile, beforeSeries: ProgramPoint[], after: RunFile, afterSeries: ProgramPoint[], scale: ChartScale): string {
  const line = (series: ProgramPoint[], key: 'rss' | 'heapUsed', label: string, className: string): ChartLine => ({ label, className, t: series.map((p) => p.t), v: series.map((p) => p[key]) });
  const lines = [
    line(beforeSeries, 'rss', 'RSS before', 'line before'),
    line(beforeSeries, 'heapUsed', 'heapUsed before', 'line dashed before'),
    line(afterSeries, 'rss', 'RSS after', 'line main rss'),
    line(afterSeries, 'heapUsed', 'heapUsed after', 'line heap-used'),
  ];
  const legend = [legendKey('RSS before', 'before'), legendKey('heapUsed before', 'before', 'dashed'), legendKey('RSS after', 'rss'), legendKey('heapUsed after', 'heap-used')];
  const rules: ChartRule[] = [];
  const sameLimit = before.limit?.bytes === after.limit?.bytes;
  for (const [name, run] of [['before', before], ['after', after]] as const) {
    if (!run.limit || (sameLimit && name === 'after')) continue;
    rules.push({ value: run.limit.bytes, label: `${sameLimit ? '' : `${name}: `}limit ${formatMemory(run.limit.bytes)} (${run.limit.source})`, className: 'limit' });
  }
  if (rules.length > 0) legend.push(legendKey('memory limit', 'limit', 'dashed'));
  const lanes = [applicationClientsLane(before, 'before', 'before'), applicationClientsLane(after, 'after', 'lib-0')];
  legend.push(legendKey(`clients created before: ${before.summary.clients.created.toLocaleString('en-US')}`, 'before', 'dot'), legendKey(`after: ${after.summary.clients.created.toLocaleString('en-US')}`, 'lib-0', 'dot'));
  const svg = renderTimeChart({ id: 'memory-overlay', title: 'RSS and heapUsed before and after', xMaxMs: scale.xMaxMs, unit: 'bytes', yMax: scale.memoryTop, lines, rules, lanes });
  return chartBox('RSS and heapUsed of the program, and the clients it created', legend, svg);
}

function figuresTable(comparison: RunComparison): string {
  const rows: string[] = [];
  let group: ComparisonRow['group'] | null = null;
  for (const row of comparison.rows) {
    if (row.group !== group) {
      group = row.group;
      rows.push(`<tr><th colspan="4" class="group">${h(GROUP_TITLES[row.group])}</th></tr>`);
    }
    const tone = changeTone(row);
    rows.push(
      `<tr><td>${h(shownLabel(row)).replace(/^ +/, '<span class="indent"></span>')}</td><td class="num">${h(formatValue(row.unit, row.before))}</td><td class="num">${h(formatValue(row.unit, row.after))}</td>` +
        `<td class="num ${tone === 'same' ? '' : tone === 'better' ? 'good' : 'bad'}">${h(formatChange(row))}</td></tr>`,
    );
  }
  return (
    `<table class="figures"><thead><tr><th></th><th class="num">before</th><th class="num">after</th><th class="num">change</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    `<p class="note">${plural(comparison.rows.length, 'figure')}. Steady is the median of the last third of a run; slopes are of the floor of the GC sawtooth.</p>`
  );
}
