/**
 * Wording and units shared by everything that shows a run to a person: the terminal summary
 * `watch` prints, the HTML report and `compare`. One place, so that the three say the same
 * thing with the same figures.
 */
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plural } from '../reporters/describe.js';
import type { RunFile, TrendSummary } from './run-file.js';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

/** Memory with the precision a reader needs at that size: `4.25 MB`, `41.3 MB`, `412 MB`, `1.21 GB`. */
export function formatMemory(bytes: number): string {
  const size = Math.abs(bytes);
  if (size < MB) return `${Math.round(bytes / KB)} KB`;
  if (size < 10 * MB) return `${(bytes / MB).toFixed(2)} MB`;
  if (size < 100 * MB) return `${(bytes / MB).toFixed(1)} MB`;
  if (size < GB) return `${(bytes / MB).toFixed(0)} MB`;
  return `${(bytes / GB).toFixed(2)} GB`;
}

/** `+12.0 MB`, `−3.10 MB`, `±0 KB`: a change, always signed (a true minus sign). */
export function formatMemoryChange(bytes: number): string {
  return `${sign(bytes)}${formatMemory(Math.abs(bytes))}`;
}

/** A slope in bytes per second as MB per minute, the unit leaks are felt in: `+4.2 MB/min`. */
export function formatSlope(bytesPerSecond: number): string {
  const perMinute = (bytesPerSecond * 60) / MB;
  const size = Math.abs(perMinute);
  const digits = size >= 10 ? 0 : size >= 1 ? 1 : 2;
  const text = size.toFixed(digits);
  return `${Number(text) === 0 ? '±' : sign(perMinute)}${text} MB/min`;
}

export function formatPValue(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(p < 0.01 ? 3 : 2)}`;
}

/** `850 ms`, `42.0 s`, `12 min 5 s`, `2 h 3 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min${seconds % 60 === 0 ? '' : ` ${seconds % 60} s`}`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h${minutes % 60 === 0 ? '' : ` ${minutes % 60} min`}`;
}

/** `+62 %`, `−8.5 %`; null when there is no meaningful ratio (a change from zero). */
export function formatPercentChange(ratio: number | null): string | null {
  if (ratio === null || !Number.isFinite(ratio)) return null;
  const percent = (ratio - 1) * 100;
  const size = Math.abs(percent);
  // One decimal for small changes, and near ±100 % so that 209 → 1 does not read as "all gone".
  const text = size.toFixed((size < 10 && size !== 0) || (size >= 99.5 && size < 100) ? 1 : 0);
  return `${Number(text) === 0 ? '±' : sign(percent)}${text} %`;
}

function sign(value: number): string {
  return value > 0 ? '+' : value < 0 ? '−' : '±';
}

const SERIES_NAMES: Record<TrendSummary['series'], string> = { rss: 'RSS', heapUsed: 'heapUsed' };

export interface TrendWords {
  direction: TrendSummary['direction'];
  /** `RSS is rising: +4.2 MB/min`. */
  headline: string;
  /** The numbers behind it: confidence interval, p-value, how many floor points. */
  detail: string;
  /** `at this rate RSS reaches the 512 MB limit in about 38 min`, or null. */
  limit: string | null;
}

/** The trend verdict in words, with its evidence. */
export function describeTrend(trend: TrendSummary, limit: RunFile['limit']): TrendWords {
  const name = SERIES_NAMES[trend.series];
  const interval = `95 % confidence interval ${formatSlope(trend.slopeLowPerSecond)} to ${formatSlope(trend.slopeHighPerSecond)}`;
  const window = trend.windowStartMs > 0 ? ` after ${formatDuration(trend.windowStartMs)} of start-up` : '';
  const evidence = `${interval}, ${formatPValue(trend.pValue)}, from ${plural(trend.n, 'floor point')} of the sawtooth${window}`;
  let limitWords: string | null = null;
  if (trend.secondsToLimit !== null && limit !== null) {
    limitWords =
      trend.secondsToLimit <= 0
        ? `${name} is already at the ${formatMemory(limit.bytes)} limit (${limit.source})`
        : `at this rate ${name} reaches the ${formatMemory(limit.bytes)} limit (${limit.source}) in about ${formatDuration(trend.secondsToLimit * 1000)}`;
  }
  switch (trend.direction) {
    case 'rising':
      return { direction: trend.direction, headline: `${name} is rising: ${formatSlope(trend.slopePerSecond)}`, detail: evidence, limit: limitWords };
    case 'falling':
      return { direction: trend.direction, headline: `${name} is falling: ${formatSlope(trend.slopePerSecond)}`, detail: evidence, limit: null };
    case 'flat':
      return { direction: trend.direction, headline: `${name} is flat: no significant trend (${formatSlope(trend.slopePerSecond)})`, detail: evidence, limit: null };
    case 'insufficient':
      return {
        direction: trend.direction,
        headline: `${name}: too few samples for a trend`,
        detail: `${plural(trend.n, 'floor point')}; run the program longer (a minute or more under load) to judge its trend`,
        limit: null,
      };
  }
}

/** How the run ended, in words: `exited with code 0`, `stopped after --duration`, `killed by SIGKILL`. */
export function describeExit(exit: RunFile['exit']): string {
  if (exit.reason === 'duration') return 'stopped by leakhound after --duration';
  if (exit.reason === 'load-finished') return 'stopped by leakhound when the load had finished';
  if (exit.reason === 'interrupted') return 'interrupted (Ctrl-C)';
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return exit.code === null ? 'exited' : `exited with code ${exit.code}`;
}

/** `macOS arm64, 10 CPUs, 16 GB, Node v22.3.0`. */
export function describeMachine(machine: RunFile['machine']): string {
  const platform = PLATFORM_NAMES[machine.platform] ?? machine.platform;
  // Installed memory is a round number of GB: 8 GB, not 8.00 GB.
  const memory = machine.totalMemory >= GB ? `${Number((machine.totalMemory / GB).toFixed(1))} GB` : formatMemory(machine.totalMemory);
  return `${platform} ${machine.arch}, ${plural(machine.cpus, 'CPU')}, ${memory}, Node ${machine.node}`;
}

const PLATFORM_NAMES: Record<string, string> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows', freebsd: 'FreeBSD' };

/** A stack frame as recorded: `/abs/src/db.ts:4:16 (getDb)`, or with a `file://` URL. */
interface Frame {
  file: string;
  line: number;
  column: number;
  name: string | null;
}

function parseFrame(frame: string): Frame | null {
  const match = /^(.*?):(\d+):(\d+)(?: \((.*)\))?$/.exec(frame.trim());
  if (!match) return null;
  let file = match[1]!;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      // Not a local file URL: shown as recorded.
    }
  }
  return { file, line: Number(match[2]), column: Number(match[3]), name: match[4] ?? null };
}

/**
 * A frame as a reader wants it: the path relative to the run's working directory when the file
 * is below it (`src/db.ts:4 (getDb)`), absolute otherwise. Frames of another shape (`unknown`,
 * `native`) are returned as they are.
 */
export function shortFrame(frame: string, cwd: string, options: { column?: boolean } = {}): string {
  const parsed = parseFrame(frame);
  if (!parsed) return frame;
  const fromCwd = isAbsolute(parsed.file) ? relative(cwd, parsed.file) : parsed.file;
  const file = fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd.split('\\').join('/') : parsed.file;
  const position = options.column ? `${parsed.line}:${parsed.column}` : `${parsed.line}`;
  return `${file}:${position}${parsed.name ? ` (${parsed.name})` : ''}`;
}

/** `prisma 240, pg 2`, most first. */
export function libraryCounts(byLibrary: Record<string, number>): string {
  return Object.entries(byLibrary)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([library, count]) => `${library} ${count.toLocaleString('en-US')}`)
    .join(', ');
}

/** Clients other libraries created (Prisma's pg pool): counted apart, by `library type (owner)`. */
export function libraryInternalClients(run: Pick<RunFile, 'clients'>): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const client of run.clients) {
    if (client.owner === null) continue;
    const label = `${client.library} ${client.type} by ${client.owner}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** A command line as one would type it: arguments with spaces or shell characters quoted. */
export function shellCommand(argv: string[]): string {
  return argv.map((arg) => (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** `2025-11-23 17:31:02 UTC` from the run's ISO time; the text as-is if it is not a date. */
export function startedAtText(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Text safe in a Markdown table cell or line: pipes escaped, no raw HTML, one line. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');
}
