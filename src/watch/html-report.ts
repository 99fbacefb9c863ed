/**
 * The HTML report of one `leakhound watch` run: the verdict and the figures first, then the
 * charts they come from, the places clients were created, and what the numbers mean. One
 * self-contained file (see html-page.ts) that people open, attach and share.
 */
import { VERSION } from '../version.js';
import { describeExit, describeMachine, describeTrend, formatDuration, formatMemory, libraryCounts, libraryInternalClients, shellCommand, shortFrame, startedAtText } from './describe-run.js';
import { escapeHtml as h, renderPage } from './html-page.js';
import { chartScale, connectionsChart, memoryChart } from './run-charts.js';
import type { MemoryFigures, RunFile, TrendSummary } from './run-file.js';
import { programSeries } from './summarize.js';
import { plural } from '../reporters/describe.js';

/** Renders a run file as a self-contained HTML page (no network resources; works without JavaScript). */
export function renderRunHtml(run: RunFile): string {
  const series = programSeries(run);
  const scale = chartScale([{ run, series }]);
  const body = [
    header(run),
    `<div class="verdicts">${trendVerdict(run.summary.trend.rss, run.limit)}${trendVerdict(run.summary.trend.heapUsed, null)}</div>`,
    figureCards(run),
    `<section><h2>Memory</h2>${memoryChart(run, series, scale, { id: 'memory', title: 'Memory of the program, and the database clients it created' })}</section>`,
    `<section><h2>Database connections</h2>${connectionsChart(run, scale, { id: 'connections' })}</section>`,
    clientsSection(run),
    `<section><h2>Figures</h2>${memoryTable(run)}</section>`,
    `<section><h2>How to read this report</h2>${EXPLANATION}</section>`,
    detailsSection(run),
    `<footer>Written by leakhound ${h(run.tool.version)} (report by ${h(VERSION)}) from a run file of ${plural(run.samples.length, 'memory sample')}, ${plural(run.clients.length, 'client')}.</footer>`,
  ];
  return renderPage(`${run.label} — leakhound watch`, body.join('\n'));
}

function header(run: RunFile): string {
  const meta = [
    ['started', startedAtText(run.startedAt)],
    ['duration', formatDuration(run.durationMs)],
    ['', describeExit(run.exit)],
    ['limit', run.limit ? `${formatMemory(run.limit.bytes)} (${run.limit.source})` : 'none known'],
    ['machine', describeMachine(run.machine)],
  ];
  return (
    `<header><div class="kicker">leakhound watch report</div><h1>${h(run.label)}</h1>` +
    `<pre class="command">$ ${h(shellCommand(run.command))}</pre>` +
    `<div class="meta">${meta.map(([name, value]) => `<span>${name ? `${h(name)} ` : ''}<b>${h(value!)}</b></span>`).join('')}</div></header>`
  );
}

/** The trend verdict as a card; `prefix` names the run when there are two (`Before: `). */
export function trendVerdict(trend: TrendSummary, limit: RunFile['limit'], prefix = ''): string {
  const words = describeTrend(trend, limit);
  return (
    `<div class="verdict ${words.direction}"><div class="headline">${h(prefix + words.headline)}</div>` +
    `<div class="detail">${h(words.detail)}</div>` +
    (words.limit ? `<div class="limit">${h(words.limit)}</div>` : '') +
    `</div>`
  );
}

function card(label: string, value: string, sub?: string): string {
  return `<div class="card"><div class="label">${h(label)}</div><div class="value">${h(value)}</div>${sub ? `<div class="sub">${h(sub)}</div>` : ''}</div>`;
}

function figureCards(run: RunFile): string {
  const { memory, clients, connections } = run.summary;
  const cards = [
    card('Peak RSS', formatMemory(memory.peak.rss), run.limit ? `${Math.round((memory.peak.rss / run.limit.bytes) * 100)} % of the ${formatMemory(run.limit.bytes)} limit` : `started at ${formatMemory(memory.start.rss)}`),
    card('Steady RSS', formatMemory(memory.steady.rss), 'median of the last third'),
    card('Steady heapUsed', formatMemory(memory.steady.heapUsed), `peak ${formatMemory(memory.peak.heapUsed)}`),
    card('Steady external', formatMemory(memory.steady.external), `arrayBuffers ${formatMemory(memory.steady.arrayBuffers)}`),
    card('Clients created', clients.created.toLocaleString('en-US'), clients.created === 0 ? 'by the application' : libraryCounts(clients.byLibrary)),
    card('Most open at once', clients.maxOpen.toLocaleString('en-US'), connections ? `${clients.openAtEnd.toLocaleString('en-US')} open at the end` : 'application clients'),
  ];
  if (connections) {
    const above = connections.peakAboveBaseline === null ? 'no baseline' : `${connections.peakAboveBaseline} above the baseline of ${connections.baseline}`;
    cards.push(card('Connections peak', String(connections.peak), above), card('Connections steady', String(connections.steady), 'median of the last third'));
  } else {
    cards.push(card('Connections', '—', run.connections?.supported === false ? 'cannot be sampled here' : 'not sampled'), card('Open at the end', clients.openAtEnd.toLocaleString('en-US'), 'application clients'));
  }
  return `<div class="cards">${cards.join('')}</div>`;
}

const SITES_SHOWN = 30;

function clientsSection(run: RunFile): string {
  const { clients } = run.summary;
  const internal = libraryInternalClients(run);
  const parts: string[] = ['<section><h2>Database clients</h2>'];
  if (clients.created === 0) {
    parts.push('<p class="note">The application created no database client that leakhound tracks (Prisma, pg, mysql2, ioredis, knex, mongoose, …).</p>');
  } else {
    parts.push(
      `<p>${plural(clients.created, 'client')} created by the application, at most ${clients.maxOpen.toLocaleString('en-US')} open at once, ${clients.openAtEnd.toLocaleString('en-US')} still open at the end. ` +
        `${clients.sites.length === 1 ? 'All from one place' : `From ${plural(clients.sites.length, 'place')}`} in the code:</p>`,
    );
    const rows = clients.sites.slice(0, SITES_SHOWN).map((site) => {
      const example = run.clients.find((client) => client.owner === null && client.library === site.library && client.type === site.type && (client.stack[0] ?? 'unknown') === site.site);
      const stack = example && example.stack.length > 1 ? `<details><summary>${h(shortFrame(site.site, run.cwd, { column: true }))}</summary><pre>${h(example.stack.map((frame) => shortFrame(frame, run.cwd, { column: true })).join('\n'))}</pre></details>` : `<span class="plain">${h(shortFrame(site.site, run.cwd, { column: true }))}</span>`;
      return `<tr><td class="num">${site.count.toLocaleString('en-US')}</td><td>${h(site.library)}</td><td><code>${h(site.type)}</code></td><td class="site mono">${stack}</td></tr>`;
    });
    parts.push(`<table><thead><tr><th class="num">created</th><th>library</th><th>type</th><th>where (innermost application frame; click for the stack)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
    if (clients.sites.length > SITES_SHOWN) parts.push(`<p class="note">and ${plural(clients.sites.length - SITES_SHOWN, 'other place')} (all in the run file).</p>`);
  }
  if (internal.length > 0) {
    parts.push(
      `<p class="note">Also created by libraries, not counted above (expected: one per application client that uses them): ${internal.map((entry) => `${entry.count.toLocaleString('en-US')} × ${h(entry.label)}`).join(', ')}.</p>`,
    );
  }
  parts.push('</section>');
  return parts.join('');
}

const FIGURE_ROWS: [keyof MemoryFigures, string][] = [
  ['rss', 'RSS'],
  ['heapTotal', 'heapTotal'],
  ['heapUsed', 'heapUsed'],
  ['external', 'external'],
  ['arrayBuffers', 'arrayBuffers'],
];

function memoryTable(run: RunFile): string {
  const { memory, connections } = run.summary;
  const rows = FIGURE_ROWS.map(([key, label]) => `<tr><td>${label}</td><td class="num">${formatMemory(memory.start[key])}</td><td class="num">${formatMemory(memory.peak[key])}</td><td class="num">${formatMemory(memory.steady[key])}</td></tr>`);
  const memoryPart = `<table><thead><tr><th>memory of the program</th><th class="num">start</th><th class="num">peak</th><th class="num">steady</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const connectionsPart = connections
    ? `<table><thead><tr><th>database connections</th><th class="num">count</th></tr></thead><tbody>` +
      `<tr><td>baseline (before the program)</td><td class="num">${connections.baseline ?? '—'}</td></tr>` +
      `<tr><td>peak</td><td class="num">${connections.peak}</td></tr>` +
      `<tr><td>steady (median of the last third)</td><td class="num">${connections.steady}</td></tr>` +
      `<tr><td>peak above the baseline</td><td class="num">${connections.peakAboveBaseline ?? '—'}</td></tr></tbody></table>`
    : '';
  return `<div class="columns"><div>${memoryPart}<p class="note">${plural(run.summary.samples, 'sample')} of the program's processes, added up, every ${run.intervalMs} ms.</p></div><div>${connectionsPart}</div></div>`;
}

/** What the numbers mean, for readers who do not look at memory every day. */
export const EXPLANATION = `<div class="explain">
<div>
<p><b>RSS</b> (resident set size) is all the memory the operating system has given the program: the JavaScript heap, native memory of drivers and addons, buffers, compiled code. It is what a container limit, Heroku's R14 and the OOM killer count.</p>
<p><b>heapUsed</b> is the JavaScript objects alive in V8's heap, <b>heapTotal</b> the heap V8 has reserved for them. Arrays that only grow, listeners and caches raise heapUsed.</p>
<p><b>external</b> and <b>arrayBuffers</b> are memory held outside the heap on behalf of JavaScript objects: Buffers, drivers' and native addons' allocations. RSS that grows while heapUsed stays level points there, or at native code.</p>
</div>
<div>
<p><b>The floor of the sawtooth is what matters.</b> Memory climbs while garbage piles up and drops when the garbage collector runs; the peaks say little. The lowest points between collections are what survives: a floor that keeps rising is a leak, a tall but level sawtooth is a busy, healthy program. The trend is measured on that floor (Theil–Sen slope, Mann–Kendall test corrected for autocorrelation); <i>rising</i> means significant at 1 % with the whole 95 % confidence interval above zero. <b>Steady</b> is the median of the last third of the run, where memory settled under the load.</p>
</div>
<div>
<p><b>Each dot under the memory chart is a database client created at that moment</b> (a larger dot stands for several; hover it for the stack that created it). A program that shares one client shows one dot per library near the start. A client created per request or per job shows a dot for every request — a row of dots that follows the load — and each of those clients brings its own connection pool. Rings are clients a library created for you (Prisma's pg Pool under @prisma/adapter-pg).</p>
<p><b>Connections</b> are counted on the database server, so they include every client of that server. The <b>baseline</b> is what was open before the program started; what is above it is what this program held. Every replica of a service holds as many, and all of them share the server's max_connections.</p>
</div>
</div>`;

function detailsSection(run: RunFile): string {
  const parts: string[] = ['<section><h2>Run</h2>'];
  const rows = run.processes.map(
    (process) =>
      `<tr><td class="num">${process.pid}</td><td>${process.role}</td><td class="mono site">${h(shellCommand(process.argv))}</td><td class="num">${formatDuration(process.startedAt)}</td><td class="num">${process.endedAt === null ? 'running at the end' : formatDuration(process.endedAt)}</td><td class="num">${process.exitCode ?? '—'}</td></tr>`,
  );
  parts.push(
    `<table><thead><tr><th class="num">pid</th><th>role</th><th>command</th><th class="num">started</th><th class="num">ended</th><th class="num">exit</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    `<p class="note">Working directory <code>${h(run.cwd)}</code>. Memory sampled every ${run.intervalMs} ms. The chart and the figures add up the <i>program</i> processes; <i>wrappers</i> (npm, npx, tsx's parent, …) only start the program and are left out.</p>`,
  );
  if (run.load) {
    const ended = run.load.endedAt === null ? 'still running at the end' : `until ${formatDuration(run.load.endedAt)}, exit ${run.load.exitCode ?? '—'}`;
    parts.push(`<p>Load: <code>${h(run.load.command)}</code> from ${formatDuration(run.load.startedAt)} ${h(ended)} (shaded on the charts).</p>`);
  }
  if (run.warnings.length > 0) parts.push(`<h3>${plural(run.warnings.length, 'warning')}</h3><ul class="warnings">${run.warnings.map((warning) => `<li>${h(warning)}</li>`).join('')}</ul>`);
  parts.push('</section>');
  return parts.join('');
}
