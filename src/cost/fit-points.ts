/**
 * From repeated samples to costs: the median of each figure at each N, and a Theil–Sen line
 * through the medians (robust: one run that caught V8 tiering up its WebAssembly does not
 * tilt it). The spread is the range of the slopes of each repeat taken alone.
 */
import { theilSen } from '../runtime/trend.js';
import type { CostFit, CostFits, CostPoint, CostSample, MemoryDelta } from './cost-file.js';

type Figure = keyof CostFits;

const FIGURES: Figure[] = ['rss', 'heapUsed', 'external', 'arrayBuffers', 'connections', 'serverPrivate', 'serverPss'];

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Each figure's median over the samples (a nullable figure: over those that have it). */
export function medianSample(samples: CostSample[]): CostSample | null {
  if (samples.length === 0) return null;
  const of = (key: keyof CostSample): number | null => {
    const values = samples.map((sample) => sample[key]).filter((value): value is number => value !== null);
    return values.length === 0 ? null : median(values);
  };
  return {
    rss: of('rss')!,
    heapUsed: of('heapUsed')!,
    heapTotal: of('heapTotal')!,
    external: of('external')!,
    arrayBuffers: of('arrayBuffers')!,
    connections: of('connections'),
    serverPrivate: of('serverPrivate'),
    serverPss: of('serverPss'),
  };
}

/** A line per figure through the points' medians; null where fewer than two N have the figure. */
export function fitPoints(points: CostPoint[]): CostFits {
  const fits = {} as CostFits;
  for (const figure of FIGURES) fits[figure] = fitFigure(points, figure);
  return fits;
}

/**
 * The per-client line, fitted from the second client on when there are two such points: the
 * first client is not typical. Prisma 7 compiles its WebAssembly query compiler at the first
 * query and V8 optimises it (+25-30 MB RSS, measured) when a second client queries; pg sets up
 * its type parsers once. Those are one-time costs, and land in the intercept, not the slope.
 */
export function fitClientPoints(points: CostPoint[]): CostFits {
  const fromSecond = points.filter((point) => point.n >= 2);
  return fitPoints(new Set(fromSecond.map((point) => point.n)).size >= 2 ? fromSecond : points);
}

function fitFigure(points: CostPoint[], figure: Figure): CostFit | null {
  const line = robustLine(points.map((point) => [point.n, point.median?.[figure] ?? null]));
  if (!line) return null;
  const repeats = Math.max(0, ...points.map((point) => point.repeats.length));
  const slopes: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const alone = robustLine(points.map((point) => [point.n, point.repeats[repeat]?.[figure] ?? null]));
    if (alone) slopes.push(alone.slope);
  }
  return { ...line, low: Math.min(line.slope, ...slopes), high: Math.max(line.slope, ...slopes) };
}

function robustLine(pairs: [number, number | null][]): { slope: number; intercept: number; points: number } | null {
  const known = pairs.filter((pair): pair is [number, number] => pair[1] !== null);
  if (new Set(known.map(([n]) => n)).size < 2) return null;
  const { slope, intercept } = theilSen(
    known.map(([n]) => n),
    known.map(([, value]) => value),
  );
  return { slope, intercept, points: known.length };
}

/**
 * What the first client costs once beyond the per-client slope: where the line meets N = 0,
 * minus the process that loaded the library and created nothing.
 */
export function oneTimeCost(fits: CostFits, baseline: CostSample | null): MemoryDelta | null {
  if (!baseline || !fits.rss || !fits.heapUsed || !fits.external || !fits.arrayBuffers) return null;
  return {
    rss: fits.rss.intercept - baseline.rss,
    heapUsed: fits.heapUsed.intercept - baseline.heapUsed,
    external: fits.external.intercept - baseline.external,
    arrayBuffers: fits.arrayBuffers.intercept - baseline.arrayBuffers,
  };
}
