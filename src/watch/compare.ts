/**
 * Two runs side by side — the before/after table of a field report, measured: memory peak and
 * steady, trend, clients created, connections, each as "before → after (change, %)". The model
 * is computed once and printed as text, Markdown, JSON or an HTML page (compare-html.ts).
 */
import { createColors } from 'picocolors';
import { VERSION } from '../version.js';
import { describeMachine, escapeMarkdown, formatDuration, formatMemory, formatMemoryChange, formatPercentChange, formatSlope, libraryInternalClients, startedAtText } from './describe-run.js';
import type { MemoryFigures, RunFile } from './run-file.js';

export const COMPARISON_KIND = 'leakhound-comparison';
export const COMPARISON_SCHEMA_VERSION = 1;

export type ComparisonUnit = 'bytes' | 'count' | 'bytes/s' | 'ms' | 'direction';

export interface ComparisonRow {
  /** Stable id: `memory.peak.rss`, `clients.created.prisma`, `trend.rss.slope`, … */
  key: string;
  group: 'memory' | 'trend' | 'clients' | 'connections' | 'run';
  label: string;
  unit: ComparisonUnit;
  /** Null when that run did not measure it (no connections sampled). */
  before: number | string | null;
  after: number | string | null;
  /** after − before; null when a side is missing or the figure is not a number. */
  delta: number | null;
  /** after ÷ before for figures that cannot be negative; 1 when both are 0; null when before is 0 and after is not. */
  ratio: number | null;
  /** `lower` when less is better (memory, clients, connections); `neither` for context (duration, baseline). */
  better: 'lower' | 'neither';
}

export interface ComparedRun {
  label: string;
  /** The file it was read from, as the user named it. */
  file: string | null;
  startedAt: string;
  durationMs: number;
  command: string[];
}

/** The JSON document of `leakhound compare --format json` (versioned, additive-only). */
export interface RunComparison {
  schemaVersion: typeof COMPARISON_SCHEMA_VERSION;
  kind: typeof COMPARISON_KIND;
  tool: { name: 'leakhound'; version: string };
  before: ComparedRun;
  after: ComparedRun;
  rows: ComparisonRow[];
  /** Why some figures may not be comparable (different durations, loads, machines). */
  notes: string[];
}

const MEMORY_ROWS: [keyof MemoryFigures, string][] = [
  ['rss', 'RSS'],
  ['heapUsed', 'heapUsed'],
  ['external', 'external'],
  ['heapTotal', 'heapTotal'],
  ['arrayBuffers', 'arrayBuffers'],
];

/** The comparison of two runs; `files` are the names shown for them. */
export function compareRuns(before: RunFile, after: RunFile, files: { before?: string; after?: string } = {}): RunComparison {
  const rows: ComparisonRow[] = [];
  const add = (key: string, group: ComparisonRow['group'], label: string, unit: ComparisonUnit, b: number | string | null, a: number | string | null, better: ComparisonRow['better'] = 'lower') =>
    rows.push(compareValues(key, group, label, unit, b, a, better));

  for (const [key, label] of MEMORY_ROWS) {
    add(`memory.peak.${key}`, 'memory', `${label} peak`, 'bytes', before.summary.memory.peak[key], after.summary.memory.peak[key]);
    add(`memory.steady.${key}`, 'memory', `${label} steady`, 'bytes', before.summary.memory.steady[key], after.summary.memory.steady[key]);
  }
  for (const series of ['rss', 'heapUsed'] as const) {
    const label = series === 'rss' ? 'RSS' : 'heapUsed';
    const b = before.summary.trend[series];
    const a = after.summary.trend[series];
    add(`trend.${series}.direction`, 'trend', `${label} trend`, 'direction', b.direction, a.direction);
    add(`trend.${series}.slope`, 'trend', `${label} slope`, 'bytes/s', b.slopePerSecond, a.slopePerSecond);
  }
  add('clients.created', 'clients', 'created by the application', 'count', before.summary.clients.created, after.summary.clients.created);
  const libraries = [...new Set([...Object.keys(before.summary.clients.byLibrary), ...Object.keys(after.summary.clients.byLibrary)])].sort(
    (x, y) => (before.summary.clients.byLibrary[y] ?? 0) - (before.summary.clients.byLibrary[x] ?? 0) || x.localeCompare(y),
  );
  for (const library of libraries) add(`clients.created.${library}`, 'clients', `created: ${library}`, 'count', before.summary.clients.byLibrary[library] ?? 0, after.summary.clients.byLibrary[library] ?? 0);
  add('clients.maxOpen', 'clients', 'most open at once', 'count', before.summary.clients.maxOpen, after.summary.clients.maxOpen);
  add('clients.openAtEnd', 'clients', 'open at the end', 'count', before.summary.clients.openAtEnd, after.summary.clients.openAtEnd);
  const internal = (run: RunFile) => libraryInternalClients(run).reduce((sum, entry) => sum + entry.count, 0);
  add('clients.byLibraries', 'clients', 'created by libraries', 'count', internal(before), internal(after));
  const b = before.summary.connections;
  const a = after.summary.connections;
  add('connections.peak', 'connections', 'peak', 'count', b?.peak ?? null, a?.peak ?? null);
  add('connections.steady', 'connections', 'steady', 'count', b?.steady ?? null, a?.steady ?? null);
  add('connections.peakAboveBaseline', 'connections', 'peak above baseline', 'count', b?.peakAboveBaseline ?? null, a?.peakAboveBaseline ?? null);
  add('connections.baseline', 'connections', 'baseline', 'count', b?.baseline ?? null, a?.baseline ?? null, 'neither');
  add('run.duration', 'run', 'duration', 'ms', before.durationMs, after.durationMs, 'neither');

  return {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    kind: COMPARISON_KIND,
    tool: { name: 'leakhound', version: VERSION },
    before: identity(before, files.before),
    after: identity(after, files.after),
    rows,
    notes: comparabilityNotes(before, after),
  };
}

function identity(run: RunFile, file: string | undefined): ComparedRun {
  return { label: run.label, file: file ?? null, startedAt: run.startedAt, durationMs: run.durationMs, command: run.command };
}

function compareValues(key: string, group: ComparisonRow['group'], label: string, unit: ComparisonUnit, before: number | string | null, after: number | string | null, better: ComparisonRow['better']): ComparisonRow {
  const numbers = typeof before === 'number' && typeof after === 'number' && Number.isFinite(before) && Number.isFinite(after);
  const delta = numbers ? after - before : null;
  let ratio: number | null = null;
  // A ratio of slopes (which change sign) says nothing; of sizes and counts it is the % change.
  if (numbers && unit !== 'bytes/s' && before >= 0 && after >= 0) ratio = before === 0 ? (after === 0 ? 1 : null) : after / before;
  return { key, group, label, unit, before, after, delta, ratio, better };
}

/** What makes two runs' figures less comparable, said up front rather than discovered later. */
function comparabilityNotes(before: RunFile, after: RunFile): string[] {
  const notes: string[] = [];
  const longer = Math.max(before.durationMs, after.durationMs);
  if (longer > 0 && Math.abs(before.durationMs - after.durationMs) / longer > 0.2) {
    notes.push(`The runs lasted ${formatDuration(before.durationMs)} and ${formatDuration(after.durationMs)}: peaks and counts that grow with time are not directly comparable. Run both for the same time under the same load.`);
  }
  if ((before.load?.command ?? null) !== (after.load?.command ?? null)) {
    notes.push(`The load differed: ${before.load ? `\`${before.load.command}\`` : 'none'} before, ${after.load ? `\`${after.load.command}\`` : 'none'} after.`);
  }
  if ((before.summary.connections === null) !== (after.summary.connections === null)) {
    notes.push(`Database connections were measured in the ${before.summary.connections ? 'before' : 'after'} run only.`);
  }
  if ((before.limit?.bytes ?? null) !== (after.limit?.bytes ?? null)) {
    const limit = (run: RunFile) => (run.limit ? `${formatMemory(run.limit.bytes)} (${run.limit.source})` : 'none');
    notes.push(`The memory limits differ: ${limit(before)} before, ${limit(after)} after.`);
  }
  const machine = (run: RunFile) => describeMachine(run.machine);
  if (machine(before) !== machine(after)) notes.push(`The runs were made on different machines or Node versions: ${machine(before)} before; ${machine(after)} after.`);
  return notes;
}

/** The few changes that tell the story, for the first line of every format. */
export function comparisonHeadline(comparison: RunComparison): string[] {
  const facts: string[] = [];
  const row = (key: string) => comparison.rows.find((r) => r.key === key);
  for (const key of ['memory.steady.rss', 'memory.peak.rss', 'clients.created', 'connections.peakAboveBaseline', 'trend.rss.direction']) {
    const found = row(key);
    if (!found || found.before === null || found.after === null) continue;
    const name = key === 'connections.peakAboveBaseline' ? 'connections above baseline' : key === 'clients.created' ? 'clients created' : found.label;
    facts.push(`${name} ${formatValue(found.unit, found.before)} → ${formatValue(found.unit, found.after)}${found.ratio !== null && found.ratio !== 1 ? ` (${formatPercentChange(found.ratio)})` : ''}`);
  }
  return facts;
}

export function formatComparisonJson(comparison: RunComparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}

export function formatValue(unit: ComparisonUnit, value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  switch (unit) {
    case 'bytes':
      return formatMemory(value);
    case 'bytes/s':
      return formatSlope(value);
    case 'ms':
      return formatDuration(value);
    default:
      return value.toLocaleString('en-US');
  }
}

/** `−266 MB (−62 %)`; empty when there is nothing to say. */
export function formatChange(row: ComparisonRow): string {
  if (row.unit === 'direction') return directionChange(row.before, row.after);
  if (row.delta === null) return '';
  if (row.delta === 0) return 'same';
  const percent = formatPercentChange(row.ratio);
  const amount =
    row.unit === 'bytes'
      ? formatMemoryChange(row.delta)
      : row.unit === 'bytes/s'
        ? formatSlope(row.delta)
        : row.unit === 'ms'
          ? `${row.delta > 0 ? '+' : '−'}${formatDuration(Math.abs(row.delta))}`
          : `${row.delta > 0 ? '+' : '−'}${Math.abs(row.delta).toLocaleString('en-US')}`;
  return percent === null ? amount : `${amount} (${percent})`;
}

/** `no longer rising`, `now rising`, `was flat`: the change of a trend verdict in words. */
function directionChange(before: ComparisonRow['before'], after: ComparisonRow['after']): string {
  if (before === null || after === null || before === after) return before === after && before !== null ? 'same' : '';
  if (before === 'rising') return 'no longer rising';
  if (after === 'rising') return 'now rising';
  return `was ${before}`;
}

/** `better`, `worse` or `same` — what colours a change. Changes under 2 % are noise. */
export function changeTone(row: ComparisonRow): 'better' | 'worse' | 'same' {
  if (row.unit === 'direction') {
    const rank = (value: ComparisonRow['before']) => (value === 'rising' ? 2 : value === 'insufficient' || value === null ? 1 : 0);
    return rank(row.after) < rank(row.before) ? 'better' : rank(row.after) > rank(row.before) ? 'worse' : 'same';
  }
  if (row.better === 'neither' || row.delta === null || row.delta === 0) return 'same';
  if (row.ratio !== null && Math.abs(row.ratio - 1) < 0.02) return 'same';
  // A slope that moved by less than 0.05 MB/min is flat either way.
  if (row.unit === 'bytes/s' && Math.abs(row.delta) * 60 < 0.05 * 1024 * 1024) return 'same';
  return row.delta < 0 ? 'better' : 'worse';
}

export const GROUP_TITLES: Record<ComparisonRow['group'], string> = {
  memory: 'Memory of the program',
  trend: 'Trend (floor of the sawtooth)',
  clients: 'Database clients',
  connections: 'Database connections',
  run: 'Run',
};

export function formatComparisonPretty(comparison: RunComparison, options: { color: boolean }): string {
  const c = createColors(options.color);
  const out: string[] = [c.bold('leakhound compare')];
  out.push(`  ${c.dim('before')}  ${runLine(comparison.before)}`, `  ${c.dim('after ')}  ${runLine(comparison.after)}`);
  const headline = comparisonHeadline(comparison);
  if (headline.length > 0) out.push('', ...headline.map((fact) => `  ${fact}`));
  const cells = comparison.rows.map((row) => [shownLabel(row), formatValue(row.unit, row.before), formatValue(row.unit, row.after), formatChange(row)]);
  const titles = Math.max(...comparison.rows.map((row) => GROUP_TITLES[row.group].length - 2));
  const width = [0, 1, 2].map((i) => Math.max(...cells.map((cell) => cell[i]!.length), [titles, 6, 5][i]!));
  let group: ComparisonRow['group'] | null = null;
  comparison.rows.forEach((row, index) => {
    if (row.group !== group) {
      group = row.group;
      out.push('', `${c.bold(GROUP_TITLES[row.group].padEnd(width[0]! + 2))}${c.dim(`${'before'.padStart(width[1]!)}     ${'after'.padStart(width[2]!)}   change`)}`);
    }
    const [label, before, after, change] = cells[index]!;
    const tone = changeTone(row);
    const paint = tone === 'better' ? c.green : tone === 'worse' ? c.red : c.dim;
    out.push(`  ${label!.padEnd(width[0]!)}${before!.padStart(width[1]!)}  →  ${after!.padStart(width[2]!)}   ${paint(change!)}`);
  });
  if (comparison.notes.length > 0) out.push('', ...comparison.notes.map((note) => c.yellow(`note: ${note}`)));
  return `${out.join('\n')}\n`;
}

/** Per-library counts read as sub-rows of "created by the application". */
export function shownLabel(row: ComparisonRow): string {
  return row.key.startsWith('clients.created.') ? `  ${row.label.slice('created: '.length)}` : row.label;
}

function runLine(run: ComparedRun): string {
  return `${run.label}  (${formatDuration(run.durationMs)}, ${startedAtText(run.startedAt)}${run.file ? `, ${run.file}` : ''})`;
}

export function formatComparisonMarkdown(comparison: RunComparison): string {
  const out: string[] = [`## leakhound compare: ${escapeMarkdown(comparison.before.label)} → ${escapeMarkdown(comparison.after.label)}`, ''];
  const headline = comparisonHeadline(comparison);
  if (headline.length > 0) out.push(...headline.map((fact) => `- ${escapeMarkdown(fact)}`), '');
  out.push(`| | before | after | change |`, `| --- | ---: | ---: | ---: |`);
  let group: ComparisonRow['group'] | null = null;
  for (const row of comparison.rows) {
    if (row.group !== group) {
      group = row.group;
      out.push(`| **${GROUP_TITLES[row.group]}** | | | |`);
    }
    const tone = changeTone(row);
    const change = formatChange(row);
    // Bold for the changes that matter, so they stand out without colour.
    const shown = change === '' || tone === 'same' ? change : `**${change}**`;
    out.push(`| ${escapeMarkdown(shownLabel(row).replace(/^ +/, '↳ '))} | ${escapeMarkdown(formatValue(row.unit, row.before))} | ${escapeMarkdown(formatValue(row.unit, row.after))} | ${escapeMarkdown(shown)} |`);
  }
  out.push('', `_before: ${escapeMarkdown(comparison.before.label)} (${formatDuration(comparison.before.durationMs)}); after: ${escapeMarkdown(comparison.after.label)} (${formatDuration(comparison.after.durationMs)}). Steady is the median of the last third of a run; the trend is measured on the floor of the GC sawtooth._`);
  if (comparison.notes.length > 0) out.push('', ...comparison.notes.map((note) => `> **Note:** ${escapeMarkdown(note)}`));
  return `${out.join('\n')}\n`;
}
