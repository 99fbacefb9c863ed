/**
 * Time charts as inline SVG, drawn when the report is written so that it renders without
 * JavaScript (and prints, and survives being attached to an issue). The page's small script
 * only adds a crosshair readout and styled tooltips on top.
 *
 * Runs can be long: 20,000 samples and 5,000 clients must still give a small, fast file. A
 * line keeps, per pixel column of the plot, its lowest and highest point (so GC spikes and the
 * floor of the sawtooth both survive); markers that fall in the same few columns become one
 * marker whose size and tooltip say how many it stands for.
 *
 * Colours are CSS classes, so that the page's light and dark themes apply to the charts.
 */
import { escapeHtml } from './html-page.js';

/** Width of every chart's viewBox; the SVG is scaled to the page's width. */
export const CHART_WIDTH = 1000;
const LEFT = 76;
const RIGHT = 18;
const TOP = 16;
const PLOT_WIDTH = CHART_WIDTH - LEFT - RIGHT;
const LANE_GAP = 10;
const LANE_HEIGHT = 20;
const AXIS_HEIGHT = 28;
/** Markers closer than this (viewBox units, ≈ px) are drawn as one. */
const MARKER_BUCKET = 8;
/** A horizontal rule (the memory limit) this far above the data is not drawn to scale. */
const OFF_SCALE_FACTOR = 2.5;

export interface ChartLine {
  label: string;
  /** The CSS class that colours and dashes it (`line rss`). */
  className: string;
  t: ArrayLike<number>;
  v: ArrayLike<number>;
  /** Shown in the crosshair readout; default true. */
  readout?: boolean;
}

/** Layers stacked on each other in order, all sampled at the same times. */
export interface StackedAreas {
  t: ArrayLike<number>;
  layers: { label: string; className: string; v: ArrayLike<number> }[];
}

/** A horizontal line across the plot: the memory limit, the connections baseline. */
export interface ChartRule {
  value: number;
  label: string;
  className: string;
}

/** A stretch of time shaded behind the data (the load generator's run). */
export interface ChartBand {
  fromMs: number;
  toMs: number;
  label: string;
}

/** A row of event markers under the plot, on the same time axis. */
export interface MarkerLane {
  label: string;
  className: string;
  /** Drawn as rings instead of dots (clients other libraries created). */
  hollow?: boolean;
  times: ArrayLike<number>;
  /** The tooltip of a marker that stands for these events (indices into `times`). */
  describe(indices: number[]): string;
}

export interface TimeChart {
  /** Unique in the page. */
  id: string;
  /** What the chart shows, for screen readers. */
  title: string;
  /** The time axis runs from 0 to this. */
  xMaxMs: number;
  unit: 'bytes' | 'count';
  /** The highest value the value axis must show (see {@link valueAxisTop}). */
  yMax: number;
  plotHeight?: number;
  lines?: ChartLine[];
  areas?: StackedAreas;
  rules?: ChartRule[];
  bands?: ChartBand[];
  lanes?: MarkerLane[];
}

/**
 * The top the value axis must reach to show the data and the rules that are near it: a limit
 * up to 2.5× the peak is drawn to scale; one further away would flatten the data into a line
 * at the bottom, so it is named as off the scale instead.
 */
export function valueAxisTop(dataMax: number, ruleValues: (number | null | undefined)[]): number {
  let top = dataMax;
  for (const value of ruleValues) if (value !== null && value !== undefined && isOnScale(value, dataMax)) top = Math.max(top, value);
  return top;
}

function isOnScale(value: number, dataMax: number): boolean {
  return dataMax <= 0 || value <= dataMax * OFF_SCALE_FACTOR;
}

export function renderTimeChart(chart: TimeChart): string {
  const plotHeight = chart.plotHeight ?? 280;
  const lanes = chart.lanes ?? [];
  const lanesTop = TOP + plotHeight + (lanes.length > 0 ? LANE_GAP : 0);
  const lanesBottom = lanesTop + lanes.length * LANE_HEIGHT;
  const height = lanesBottom + AXIS_HEIGHT;
  const xMax = Math.max(1, chart.xMaxMs);
  const valueAxis = axisForValues(chart.yMax, chart.unit);
  const x = (t: number) => LEFT + (Math.min(Math.max(t, 0), xMax) / xMax) * PLOT_WIDTH;
  const y = (v: number) => TOP + plotHeight - (Math.min(Math.max(v, 0), valueAxis.top) / valueAxis.top) * plotHeight;
  const timeAxis = axisForTime(xMax);

  const out: string[] = [];
  const grid: string[] = [];
  for (const tick of valueAxis.ticks) {
    const ty = round(y(tick));
    grid.push(`<line class="grid" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${ty}" y2="${ty}"/>`);
    grid.push(`<text class="tick" x="${LEFT - 8}" y="${round(ty + 4)}" text-anchor="end">${escapeHtml(valueAxis.format(tick))}</text>`);
  }
  for (const tick of timeAxis.ticks) {
    const tx = round(x(tick));
    grid.push(`<line class="grid" x1="${tx}" x2="${tx}" y1="${TOP}" y2="${lanesBottom}"/>`);
    grid.push(`<text class="tick" x="${tx}" y="${lanesBottom + 18}" text-anchor="middle">${escapeHtml(timeAxis.format(tick))}</text>`);
  }
  for (const band of chart.bands ?? []) {
    const from = x(band.fromMs);
    const to = x(band.toMs);
    out.push(
      `<rect class="band" x="${round(from)}" y="${TOP}" width="${round(Math.max(1, to - from))}" height="${plotHeight}"><title>${escapeHtml(band.label)}</title></rect>`,
      `<text class="band-label" x="${round(from + 4)}" y="${TOP - 4}">${escapeHtml(band.label)}</text>`,
    );
  }
  out.push(`<line class="axis" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${TOP + plotHeight}" y2="${TOP + plotHeight}"/>`);

  const readouts: Readout[] = [];
  if (chart.areas) out.push(...stackedAreaPaths(chart.areas, x, y));
  for (const line of chart.lines ?? []) {
    const drawn = downsampleLine(line.t, line.v, x, y);
    if (drawn.d === '') continue;
    out.push(`<path class="${escapeHtml(line.className)}" d="${drawn.d}"/>`);
    if (line.readout !== false) readouts.push({ label: line.label, className: line.className, x: drawn.readoutX, v: drawn.readoutV });
  }
  let offScale = 0;
  for (const rule of chart.rules ?? []) {
    if (rule.value > valueAxis.top) {
      // Stacked at the top right, one under the other.
      out.push(`<text class="rule-label ${escapeHtml(rule.className)}" x="${LEFT + PLOT_WIDTH - 4}" y="${TOP + 12 + offScale * 14}" text-anchor="end">↑ ${escapeHtml(rule.label)}: off the scale</text>`);
      offScale++;
      continue;
    }
    const ry = round(y(rule.value));
    out.push(
      `<line class="rule ${escapeHtml(rule.className)}" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${ry}" y2="${ry}"/>`,
      `<text class="rule-label ${escapeHtml(rule.className)}" x="${LEFT + PLOT_WIDTH - 4}" y="${round(ry - 5)}" text-anchor="end">${escapeHtml(rule.label)}</text>`,
    );
  }
  lanes.forEach((lane, index) => out.push(renderLane(lane, lanesTop + index * LANE_HEIGHT, x)));
  out.push(`<line class="crosshair" x1="0" x2="0" y1="${TOP}" y2="${lanesBottom}" visibility="hidden"/>`);

  const hover = { left: LEFT, width: PLOT_WIDTH, xMaxMs: xMax, unit: chart.unit, lines: readouts };
  return (
    `<svg class="chart" id="${escapeHtml(chart.id)}" viewBox="0 0 ${CHART_WIDTH} ${height}" role="img" aria-label="${escapeHtml(chart.title)}" data-hover="${escapeHtml(JSON.stringify(hover))}">` +
    `<title>${escapeHtml(chart.title)}</title>` +
    grid.join('') +
    out.join('') +
    `</svg>`
  );
}

interface Readout {
  label: string;
  className: string;
  /** Per pixel column: the x of its highest point and that value. */
  x: number[];
  v: number[];
}

/**
 * A line's path, keeping per pixel column the lowest and the highest point in time order:
 * at most two points a column whatever the number of samples, and no spike or trough lost.
 */
export function downsampleLine(t: ArrayLike<number>, v: ArrayLike<number>, x: (t: number) => number, y: (v: number) => number): { d: string; points: number; readoutX: number[]; readoutV: number[] } {
  const n = Math.min(t.length, v.length);
  const columns = PLOT_WIDTH + 1;
  const lowest = new Int32Array(columns).fill(-1);
  const highest = new Int32Array(columns).fill(-1);
  for (let i = 0; i < n; i++) {
    const value = v[i]!;
    if (!Number.isFinite(value) || !Number.isFinite(t[i]!)) continue;
    const column = Math.min(columns - 1, Math.max(0, Math.floor(x(t[i]!) - LEFT)));
    if (lowest[column] === -1 || value < v[lowest[column]!]!) lowest[column] = i;
    if (highest[column] === -1 || value > v[highest[column]!]!) highest[column] = i;
  }
  const parts: string[] = [];
  const readoutX: number[] = [];
  const readoutV: number[] = [];
  for (let column = 0; column < columns; column++) {
    const low = lowest[column]!;
    if (low === -1) continue;
    const high = highest[column]!;
    for (const i of low === high ? [low] : [Math.min(low, high), Math.max(low, high)]) {
      parts.push(`${parts.length === 0 ? 'M' : 'L'}${round(x(t[i]!))} ${round(y(v[i]!))}`);
    }
    readoutX.push(round(x(t[high]!)));
    readoutV.push(Math.round(v[high]!));
  }
  return { d: parts.join(''), points: parts.length, readoutX, readoutV };
}

/** Stacked layers; per pixel column the sample with the highest total stands for the column. */
function stackedAreaPaths(areas: StackedAreas, x: (t: number) => number, y: (v: number) => number): string[] {
  const n = Math.min(areas.t.length, ...areas.layers.map((layer) => layer.v.length));
  const columns = PLOT_WIDTH + 1;
  const chosen = new Int32Array(columns).fill(-1);
  const totals = new Float64Array(columns);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (const layer of areas.layers) total += layer.v[i]!;
    const column = Math.min(columns - 1, Math.max(0, Math.floor(x(areas.t[i]!) - LEFT)));
    if (chosen[column] === -1 || total > totals[column]!) {
      chosen[column] = i;
      totals[column] = total;
    }
  }
  const picked = [...chosen].filter((i) => i !== -1);
  if (picked.length === 0) return [];
  const below = new Float64Array(picked.length);
  const paths: string[] = [];
  for (const layer of areas.layers) {
    const top = picked.map((i, k) => below[k]! + layer.v[i]!);
    if (top.every((value, k) => value === below[k])) continue;
    const forward = picked.map((i, k) => `${round(x(areas.t[i]!))} ${round(y(top[k]!))}`);
    const back = picked.map((i, k) => `${round(x(areas.t[i]!))} ${round(y(below[k]!))}`).reverse();
    paths.push(`<path class="${escapeHtml(layer.className)}" d="M${forward.join('L')}L${back.join('L')}Z"><title>${escapeHtml(layer.label)}</title></path>`);
    top.forEach((value, k) => (below[k] = value));
  }
  return paths;
}

function renderLane(lane: MarkerLane, top: number, x: (t: number) => number): string {
  const middle = top + LANE_HEIGHT / 2;
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < lane.times.length; i++) {
    const bucket = Math.floor((x(lane.times[i]!) - LEFT) / MARKER_BUCKET);
    const members = buckets.get(bucket);
    if (members) members.push(i);
    else buckets.set(bucket, [i]);
  }
  const markers: string[] = [];
  for (const members of buckets.values()) {
    const cx = members.reduce((sum, i) => sum + x(lane.times[i]!), 0) / members.length;
    // Three sizes by order of magnitude: 2 and 3 clients look alike, 1 and 100 do not.
    const r = members.length === 1 ? 3.5 : members.length < 10 ? 4.75 : members.length < 100 ? 6 : 7.5;
    markers.push(`<circle class="marker" cx="${round(cx)}" cy="${middle}" r="${round(r)}"><title>${escapeHtml(lane.describe(members))}</title></circle>`);
  }
  return (
    `<g class="lane ${escapeHtml(lane.className)}${lane.hollow ? ' hollow' : ''}">` +
    `<line class="lane-line" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${middle}" y2="${middle}"/>` +
    `<text class="lane-label" x="${LEFT - 8}" y="${middle + 4}" text-anchor="end">${escapeHtml(lane.label)}</text>` +
    markers.join('') +
    `</g>`
  );
}

interface Axis {
  top: number;
  ticks: number[];
  format(value: number): string;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** 1, 2, 2.5 or 5 times a power of ten: the step a person would pick. */
function niceStep(raw: number, bases: number[]): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const base of bases) if (base * power >= raw * (1 - 1e-9)) return base * power;
  return 10 * power;
}

function axisForValues(max: number, unit: TimeChart['unit']): Axis {
  if (unit === 'count') {
    const step = Math.max(1, niceStep(Math.max(max, 1) / 5, [1, 2, 5]));
    const top = Math.max(step, Math.ceil((max * 1.04) / step) * step);
    return { top, ticks: range(top, step), format: (value) => value.toLocaleString('en-US') };
  }
  // MB up to 2 GB, then GB: "1536 MB" is harder to read than "1.5 GB".
  const base = max >= 2 * GB ? GB : MB;
  const name = base === GB ? 'GB' : 'MB';
  const step = niceStep(Math.max(max, MB) / base / 5, [1, 2, 2.5, 5]) * base;
  const top = Math.max(step, Math.ceil((max * 1.04) / step) * step);
  return { top, ticks: range(top, step), format: (value) => (value === 0 ? '0' : `${Number((value / base).toFixed(2))} ${name}`) };
}

const TIME_STEPS_MS = [100, 200, 500, 1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 4 * 3600e3, 6 * 3600e3, 12 * 3600e3, 24 * 3600e3];

function axisForTime(max: number): Axis {
  const step = TIME_STEPS_MS.find((candidate) => max / candidate <= 10) ?? Math.ceil(max / 10 / 86_400_000) * 86_400_000;
  const format = (ms: number): string => {
    if (ms === 0) return '0';
    if (step < 1000) return `${(ms / 1000).toFixed(1)} s`;
    if (max < 120_000) return `${ms / 1000} s`;
    if (step >= 2 * 3600e3) return `${ms / 3600e3} h`;
    if (step >= 60_000) return `${ms / 60_000} min`;
    const seconds = Math.round(ms / 1000);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  };
  return { top: max, ticks: range(max, step), format };
}

function range(top: number, step: number): number[] {
  const ticks: number[] = [];
  for (let k = 0; k * step <= top * (1 + 1e-9); k++) ticks.push(k * step);
  return ticks;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
