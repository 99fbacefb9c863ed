/**
 * The charts of one run — memory with client markers, database connections — as HTML
 * fragments with their legends. The run report shows one run's; compare shows two runs' on
 * the same scales, which is why the scale is a parameter.
 */
import { formatDuration, formatMemory, shortFrame } from './describe-run.js';
import { escapeHtml, GROUP_COLOR_COUNT, LIBRARY_COLOR_COUNT, legendKey } from './html-page.js';
import type { RunClient, RunFile } from './run-file.js';
import type { ProgramPoint } from './summarize.js';
import { renderTimeChart, valueAxisTop, type ChartLine, type ChartRule, type MarkerLane, type StackedAreas } from './svg-chart.js';

/** The axes two charts must share to be compared by eye. */
export interface ChartScale {
  xMaxMs: number;
  memoryTop: number;
  connectionsTop: number;
}

/** The scale that fits these runs (one for the report, two for compare). */
export function chartScale(runs: { run: RunFile; series: ProgramPoint[] }[]): ChartScale {
  let xMaxMs = 1;
  let memoryMax = 0;
  let connectionsMax = 0;
  const limits: number[] = [];
  for (const { run, series } of runs) {
    xMaxMs = Math.max(xMaxMs, run.durationMs, series.at(-1)?.t ?? 0, run.connections?.samples.at(-1)?.t ?? 0);
    for (const client of run.clients) xMaxMs = Math.max(xMaxMs, client.t);
    for (const point of series) memoryMax = Math.max(memoryMax, point.rss, point.heapTotal, point.heapUsed, point.external, point.arrayBuffers);
    if (run.limit) limits.push(run.limit.bytes);
    if (run.connections?.supported) {
      for (const sample of run.connections.samples) connectionsMax = Math.max(connectionsMax, sample.total);
      connectionsMax = Math.max(connectionsMax, run.connections.baseline ?? 0);
    }
  }
  return { xMaxMs, memoryTop: valueAxisTop(memoryMax, limits), connectionsTop: Math.max(1, connectionsMax) };
}

interface SeriesStyle {
  key: keyof Omit<ProgramPoint, 't'>;
  label: string;
  className: string;
  legend: 'line' | 'dashed' | 'dotted';
}

const MEMORY_SERIES: SeriesStyle[] = [
  { key: 'rss', label: 'RSS', className: 'line main rss', legend: 'line' },
  { key: 'heapTotal', label: 'heapTotal', className: 'line dashed heap-total', legend: 'dashed' },
  { key: 'heapUsed', label: 'heapUsed', className: 'line heap-used', legend: 'line' },
  { key: 'external', label: 'external', className: 'line external', legend: 'line' },
  { key: 'arrayBuffers', label: 'arrayBuffers', className: 'line dotted array-buffers', legend: 'dotted' },
];

/** The memory chart of a run: the program's series, trend lines, the limit, client markers. */
export function memoryChart(run: RunFile, series: ProgramPoint[], scale: ChartScale, options: { id: string; title?: string }): string {
  const t = series.map((point) => point.t);
  const lines: ChartLine[] = MEMORY_SERIES.map((style) => ({ label: style.label, className: style.className, t, v: series.map((point) => point[style.key]) }));
  const legend = MEMORY_SERIES.map((style) => legendKey(style.label, style.className.split(' ').at(-1)!, style.legend));
  const trends = (['rss', 'heapUsed'] as const).map((key) => trendLine(run, series, key)).filter((line) => line !== null);
  lines.push(...trends);
  if (trends.length > 0) legend.push(legendKey('trend of the floor', 'baseline', 'dashed'));
  const rules: ChartRule[] = run.limit ? [{ value: run.limit.bytes, label: `limit ${formatMemory(run.limit.bytes)} (${run.limit.source})`, className: 'limit' }] : [];
  if (run.limit) legend.push(legendKey(`memory limit (${run.limit.source})`, 'limit', 'dashed'));
  const lanes = clientLanes(run);
  for (const lane of lanes) legend.push(legendKey(lane.legend, lane.lane.className, lane.lane.hollow ? 'ring' : 'dot'));
  const svg = renderTimeChart({
    id: options.id,
    title: options.title ?? 'Memory of the program over time',
    xMaxMs: scale.xMaxMs,
    unit: 'bytes',
    yMax: scale.memoryTop,
    lines,
    rules,
    bands: loadBands(run),
    lanes: lanes.map((lane) => lane.lane),
  });
  return chartBox(options.title ?? 'Memory of the program', legend, svg);
}

/** The Theil–Sen line through the floor of the sawtooth, over the analysed window, when the trend is significant. */
function trendLine(run: RunFile, series: ProgramPoint[], key: 'rss' | 'heapUsed'): ChartLine | null {
  const trend = run.summary.trend[key];
  if ((trend.direction !== 'rising' && trend.direction !== 'falling') || series.length < 2) return null;
  const { windowStartMs: from, intercept } = trend;
  const to = series.at(-1)!.t;
  return {
    label: `${key === 'rss' ? 'RSS' : 'heapUsed'} trend`,
    className: `line trend ${key === 'rss' ? 'rss' : 'heap-used'}`,
    t: [from, to],
    v: [intercept + (trend.slopePerSecond * from) / 1000, intercept + (trend.slopePerSecond * to) / 1000],
    readout: false,
  };
}

export function loadBands(run: RunFile) {
  if (!run.load) return [];
  const command = run.load.command.length > 70 ? `${run.load.command.slice(0, 69)}…` : run.load.command;
  return [{ fromMs: run.load.startedAt, toMs: run.load.endedAt ?? run.durationMs, label: `load: ${command}` }];
}

/**
 * A library keeps its colour from run to run (compare puts two runs next to each other):
 * the common ones have their own, others share the last.
 */
const LIBRARY_COLOR_INDEX: Record<string, number> = { prisma: 0, ioredis: 1, redis: 1, mongoose: 2, mongodb: 2, pg: 3, 'postgres-js': 3, knex: 4, mysql2: 4, sequelize: 4, typeorm: 4, drizzle: 4 };

const LIBRARY_LANES = 5;

function libraryColorClass(library: string): string {
  return `lib-${LIBRARY_COLOR_INDEX[library] ?? LIBRARY_COLOR_COUNT - 1}`;
}

/**
 * One lane per library of the application's clients (most first; beyond five the rest share
 * a lane), and one lane of rings for the clients other libraries created, which the
 * application did not ask for directly.
 */
function clientLanes(run: RunFile): { lane: MarkerLane; legend: string }[] {
  const byLibrary = new Map<string, RunClient[]>();
  const internal: RunClient[] = [];
  for (const client of run.clients) {
    if (client.owner !== null) internal.push(client);
    else if (byLibrary.has(client.library)) byLibrary.get(client.library)!.push(client);
    else byLibrary.set(client.library, [client]);
  }
  const libraries = [...byLibrary].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const lanes = libraries.slice(0, LIBRARY_LANES).map(([library, clients]) => ({
    lane: clientLane(run, library.length > 12 ? `${library.slice(0, 11)}…` : library, libraryColorClass(library), clients, false),
    legend: `${library}: ${clients.length.toLocaleString('en-US')} created`,
  }));
  const rest = libraries.slice(LIBRARY_LANES);
  if (rest.length > 0) {
    const clients = rest.flatMap(([, members]) => members);
    lanes.push({ lane: clientLane(run, 'others', `lib-${LIBRARY_COLOR_COUNT - 1}`, clients, false), legend: `${rest.map(([library]) => library).join(', ')}: ${clients.length.toLocaleString('en-US')} created` });
  }
  if (internal.length > 0) {
    lanes.push({ lane: clientLane(run, 'by libraries', 'internal', internal, true), legend: `created by libraries: ${internal.length.toLocaleString('en-US')}` });
  }
  return lanes;
}

/** One lane of every client the application created in a run (compare's overlay has one per run). */
export function applicationClientsLane(run: RunFile, label: string, className: string): MarkerLane {
  return clientLane(run, label, className, run.clients.filter((client) => client.owner === null), false);
}

function clientLane(run: RunFile, label: string, className: string, clients: RunClient[], hollow: boolean): MarkerLane {
  return { label, className, hollow, times: clients.map((client) => client.t), describe: (indices) => describeClients(run, indices.map((i) => clients[i]!)) };
}

const FRAMES_SHOWN = 6;
const STACKS_SHOWN = 3;

/** A marker's tooltip: how many, when, and the creation stacks, most frequent first. */
function describeClients(run: RunFile, clients: RunClient[]): string {
  const first = clients.reduce((min, c) => Math.min(min, c.t), Infinity);
  const last = clients.reduce((max, c) => Math.max(max, c.t), -Infinity);
  const when = first === last ? `at ${formatDuration(first)}` : `between ${formatDuration(first)} and ${formatDuration(last)}`;
  const lines: string[] = [];
  if (clients.length === 1) {
    const client = clients[0]!;
    const owner = client.owner === null ? '' : ` by ${client.owner}`;
    const end = client.closedAt === null ? 'still open at the end' : `${client.state} at ${formatDuration(client.closedAt)}`;
    lines.push(`${client.library} ${client.type} created${owner} ${when} (pid ${client.pid}); ${end}`);
  } else {
    const open = clients.filter((c) => c.state === 'open').length;
    lines.push(`${clients.length.toLocaleString('en-US')} clients created ${when}; ${open === 0 ? 'all closed' : `${open.toLocaleString('en-US')} still open at the end`}`);
  }
  const stacks = new Map<string, { client: RunClient; count: number }>();
  for (const client of clients) {
    const key = `${client.library} ${client.type} ${client.owner ?? ''}\n${client.stack.join('\n')}`;
    const entry = stacks.get(key);
    if (entry) entry.count++;
    else stacks.set(key, { client, count: 1 });
  }
  const ranked = [...stacks.values()].sort((a, b) => b.count - a.count);
  for (const { client, count } of ranked.slice(0, STACKS_SHOWN)) {
    lines.push('', clients.length === 1 ? 'created at' : `${count.toLocaleString('en-US')} × ${client.library} ${client.type}${client.owner === null ? '' : ` by ${client.owner}`}, created at`);
    if (client.stack.length === 0) lines.push('  (no application frame in the stack)');
    for (const frame of client.stack.slice(0, FRAMES_SHOWN)) lines.push(`  ${shortFrame(frame, run.cwd, { column: true })}`);
    if (client.stack.length > FRAMES_SHOWN) lines.push(`  … ${client.stack.length - FRAMES_SHOWN} more frames`);
  }
  if (ranked.length > STACKS_SHOWN) lines.push('', `and ${ranked.length - STACKS_SHOWN} other stacks`);
  return lines.join('\n');
}

/** Database connections over the run, stacked by group, with the baseline; or why there are none. */
export function connectionsChart(run: RunFile, scale: ChartScale, options: { id: string; title?: string }): string {
  const title = options.title ?? 'Database connections';
  const timeline = run.connections;
  if (timeline === null) return chartBox(title, [], `<p class="note">Database connections were not sampled in this run.</p>`);
  if (!timeline.supported) return chartBox(title, [], `<p class="note">Not sampled: ${escapeHtml(timeline.note ?? `connections cannot be read from this ${timeline.database.kind} database`)}</p>`);
  if (timeline.samples.length === 0) return chartBox(title, [], `<p class="note">No connection samples were taken (the run was too short?).</p>`);
  const areas = connectionGroups(timeline.samples);
  const t = timeline.samples.map((sample) => sample.t);
  const lines: ChartLine[] = [{ label: 'connections', className: 'line main conn-total', t, v: timeline.samples.map((sample) => sample.total) }];
  const legend = [legendKey('all connections to the server', 'conn-total')];
  for (const layer of areas.layers) legend.push(legendKey(layer.label, layer.className.replace('area ', ''), 'area'));
  const rules: ChartRule[] = [];
  if (timeline.baseline !== null) {
    rules.push({ value: timeline.baseline, label: `baseline ${timeline.baseline} (before the program started)`, className: 'baseline' });
    legend.push(legendKey('baseline: open before the program started', 'baseline', 'dashed'));
  }
  const svg = renderTimeChart({ id: options.id, title, xMaxMs: scale.xMaxMs, unit: 'count', yMax: scale.connectionsTop, plotHeight: 170, lines, areas, rules, bands: loadBands(run) });
  const where = `${timeline.database.kind === 'postgres' ? 'PostgreSQL' : timeline.database.kind === 'mysql' ? 'MySQL' : 'database'}${timeline.database.embedded ? ' (embedded, started by leakhound)' : ''}: ${timeline.database.url}`;
  return chartBox(title, legend, svg, where);
}

/**
 * The groups a reader can tell apart: by application name and state when there are few, by
 * application name when there are more, and the largest few plus "other" beyond that.
 */
function connectionGroups(samples: NonNullable<RunFile['connections']>['samples']): StackedAreas {
  const keyOf = (byState: boolean) => (group: { applicationName: string; state: string }) => (byState ? `${group.applicationName || '(no application_name)'} · ${group.state}` : group.applicationName || '(no application_name)');
  const distinct = (key: (g: { applicationName: string; state: string }) => string) => new Set(samples.flatMap((sample) => sample.groups.map(key)));
  const byState = distinct(keyOf(true)).size <= GROUP_COLOR_COUNT - 2;
  const key = keyOf(byState);
  const peaks = new Map<string, number>();
  for (const sample of samples) {
    const counts = new Map<string, number>();
    for (const group of sample.groups) counts.set(key(group), (counts.get(key(group)) ?? 0) + group.count);
    for (const [name, count] of counts) peaks.set(name, Math.max(peaks.get(name) ?? 0, count));
  }
  const ranked = [...peaks].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
  const shown = ranked.length > GROUP_COLOR_COUNT ? ranked.slice(0, GROUP_COLOR_COUNT - 1) : ranked;
  const names = ranked.length > shown.length ? [...shown, 'other'] : shown;
  const index = new Map(names.map((name, i) => [name, i]));
  const values = names.map(() => new Array<number>(samples.length).fill(0));
  samples.forEach((sample, i) => {
    for (const group of sample.groups) values[index.get(key(group)) ?? names.length - 1]![i]! += group.count;
  });
  return {
    t: samples.map((sample) => sample.t),
    layers: names.map((name, i) => ({ label: name, className: `area group-${i}`, v: values[i]! })),
  };
}

export function chartBox(title: string, legend: string[], content: string, note?: string): string {
  return (
    `<div class="chart-box"><div class="chart-title">${escapeHtml(title)}</div>` +
    (legend.length > 0 ? `<div class="legend">${legend.join('')}</div>` : '') +
    content +
    (note ? `<div class="legend note">${escapeHtml(note)}</div>` : '') +
    `</div>`
  );
}
