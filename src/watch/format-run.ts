/**
 * What `leakhound watch` prints when a run ends: a few lines with the figures that answer
 * "does it leak, and where are the clients created", and where the full report was written.
 * A Markdown version of the same, for pull requests and issues.
 */
import { createColors } from 'picocolors';
import { plural } from '../reporters/describe.js';
import { describeExit, describeTrend, escapeMarkdown, formatDuration, formatMemory, libraryCounts, libraryInternalClients, shortFrame } from './describe-run.js';
import type { RunFile } from './run-file.js';

export interface RunSummaryOptions {
  color: boolean;
  /** Where the run file and the HTML report were written, as the user should read them. */
  jsonPath?: string;
  htmlPath?: string;
  /** Creation sites listed (default 3). */
  sites?: number;
}

export function formatRunSummary(run: RunFile, options: RunSummaryOptions): string {
  const c = createColors(options.color);
  const { memory, clients } = run.summary;
  const label = (name: string) => c.dim(name.padEnd(12));
  const indent = ' '.repeat(14);
  const out: string[] = [`${c.bold(`leakhound watch: ${run.label}`)} ${c.dim(`— ${formatDuration(run.durationMs)}, ${describeExit(run.exit)}`)}`];

  const limit = run.limit ? ` · limit ${formatMemory(run.limit.bytes)} (${run.limit.source})` : '';
  out.push(
    `  ${label('memory')}RSS peak ${c.bold(formatMemory(memory.peak.rss))}, steady ${c.bold(formatMemory(memory.steady.rss))} (start ${formatMemory(memory.start.rss)}) · ` +
      `heapUsed steady ${formatMemory(memory.steady.heapUsed)} · external ${formatMemory(memory.steady.external)}${limit}`,
  );

  (['rss', 'heapUsed'] as const).forEach((series, index) => {
    const words = describeTrend(run.summary.trend[series], series === 'rss' ? run.limit : null);
    const paint = words.direction === 'rising' ? c.red : words.direction === 'insufficient' ? c.yellow : c.green;
    out.push(`${index === 0 ? `  ${label('trend')}` : indent}${paint(words.headline)} ${c.dim(`(${words.detail})`)}`);
    if (words.limit) out.push(`${indent}${c.red(words.limit)}`);
  });

  if (clients.created === 0) {
    out.push(`  ${label('clients')}none created by the application`);
  } else {
    out.push(
      `  ${label('clients')}${c.bold(plural(clients.created, 'client'))} created by the application (${libraryCounts(clients.byLibrary)}), ` +
        `at most ${clients.maxOpen} open at once, ${clients.openAtEnd} open at the end`,
    );
    const shown = clients.sites.slice(0, options.sites ?? 3);
    const width = Math.max(...shown.map((site) => String(site.count).length));
    for (const site of shown) {
      out.push(`${indent}${String(site.count).padStart(width)} × ${site.library} ${site.type}  ${c.cyan(shortFrame(site.site, run.cwd))}`);
    }
    if (clients.sites.length > shown.length) out.push(`${indent}${c.dim(`and ${plural(clients.sites.length - shown.length, 'other place')}`)}`);
  }
  const internal = libraryInternalClients(run);
  if (internal.length > 0) out.push(`${indent}${c.dim(`+ created by libraries: ${internal.map((entry) => `${entry.count} × ${entry.label}`).join(', ')}`)}`);

  out.push(`  ${label('connections')}${connectionsText(run, (text) => c.bold(text))}`);

  const written = [options.jsonPath ? `run file ${c.cyan(options.jsonPath)}` : null, options.htmlPath ? `report ${c.cyan(options.htmlPath)}` : null].filter((part) => part !== null);
  if (written.length > 0) out.push(`  ${label('written')}${written.join(' · ')}`);
  if (run.warnings.length > 0) {
    out.push(`  ${c.yellow(plural(run.warnings.length, 'warning'))}`);
    for (const warning of run.warnings) out.push(`    ${c.yellow(warning)}`);
  }
  return `${out.join('\n')}\n`;
}

/** `peak 95 (baseline 3, so 92 held by this program), steady 95`, or why there is no figure. */
function connectionsText(run: RunFile, strong: (text: string) => string): string {
  const { connections } = run.summary;
  if (connections) {
    const baseline = connections.baseline === null ? '' : ` (baseline ${connections.baseline}, so ${connections.peakAboveBaseline} held by this program)`;
    return `peak ${strong(String(connections.peak))}${baseline}, steady ${connections.steady}`;
  }
  if (run.connections && !run.connections.supported) return `not sampled: ${run.connections.note ?? `not supported for ${run.connections.database.kind}`}`;
  return 'not sampled';
}

/** The same summary as Markdown. */
export function formatRunMarkdown(run: RunFile, options: Omit<RunSummaryOptions, 'color'> = {}): string {
  const { memory, clients } = run.summary;
  const out: string[] = [`### leakhound watch: ${escapeMarkdown(run.label)}`, '', `_${formatDuration(run.durationMs)}, ${describeExit(run.exit)}${run.limit ? `, limit ${formatMemory(run.limit.bytes)} (${escapeMarkdown(run.limit.source)})` : ''}_`, ''];
  out.push('| | start | peak | steady |', '| --- | ---: | ---: | ---: |');
  for (const [key, name] of [['rss', 'RSS'], ['heapUsed', 'heapUsed'], ['external', 'external']] as const) {
    out.push(`| ${name} | ${formatMemory(memory.start[key])} | ${formatMemory(memory.peak[key])} | ${formatMemory(memory.steady[key])} |`);
  }
  out.push('');
  for (const series of ['rss', 'heapUsed'] as const) {
    const words = describeTrend(run.summary.trend[series], series === 'rss' ? run.limit : null);
    out.push(`- **${escapeMarkdown(words.headline)}** (${escapeMarkdown(words.detail)})${words.limit ? `; ${escapeMarkdown(words.limit)}` : ''}`);
  }
  out.push(`- **Clients:** ${clients.created === 0 ? 'none created by the application' : `${plural(clients.created, 'client')} created (${libraryCounts(clients.byLibrary)}), at most ${clients.maxOpen} open at once, ${clients.openAtEnd} open at the end`}`);
  out.push(`- **Connections:** ${escapeMarkdown(connectionsText(run, (text) => text))}`);
  if (clients.sites.length > 0) {
    out.push('', '| created | client | where |', '| ---: | --- | --- |');
    for (const site of clients.sites.slice(0, options.sites ?? 10)) out.push(`| ${site.count} | ${escapeMarkdown(`${site.library} ${site.type}`)} | \`${shortFrame(site.site, run.cwd).replace(/`/g, "'").replace(/\|/g, '\\|')}\` |`);
  }
  const written = [options.jsonPath ? `run file \`${options.jsonPath}\`` : null, options.htmlPath ? `report \`${options.htmlPath}\`` : null].filter((part) => part !== null);
  if (written.length > 0) out.push('', `_Written: ${written.join(', ')}._`);
  if (run.warnings.length > 0) out.push('', ...run.warnings.map((warning) => `> ${escapeMarkdown(warning)}`));
  return `${out.join('\n')}\n`;
}
