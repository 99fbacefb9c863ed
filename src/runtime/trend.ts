/**
 * Trend statistics for memory series, kept pure (arrays in, numbers out) so that the memory
 * monitor and leakhound's `watch` command share them and tests can feed synthetic series.
 *
 * "Is memory leaking?" is a question about the slope of a noisy, autocorrelated series with
 * outliers and a garbage-collection sawtooth. Counting consecutive increases fails on all four.
 * What is used instead:
 *
 * - **Theil–Sen slope**: the median of the slopes between every pair of samples. Up to ~29 %
 *   of the samples can be arbitrarily wrong without moving it, unlike least squares.
 * - **Mann–Kendall test**: whether later samples tend to be larger than earlier ones, from the
 *   signs of all pairwise differences; distribution-free, so GC spikes do not break it.
 * - **Hamed–Rao variance correction** (1998): memory samples taken seconds apart are not
 *   independent, which makes the plain test far too eager. The variance of the test statistic
 *   is inflated by the autocorrelation of the ranks of the detrended series.
 * - **Sen's rank-based confidence interval** for the slope, from the same (corrected)
 *   variance: no bootstrap, so it is cheap enough to run at every sample.
 *
 * A series is "rising" only when the test rejects "no trend" at `alpha` AND the whole
 * confidence interval of the slope is above zero.
 */

/** Options of {@link analyzeTrend}. */
export interface TrendOptions {
  /** Significance level of the trend test. Default 0.01. */
  alpha?: number;
  /** Coverage of the slope's confidence interval. Default 0.95. */
  confidence?: number;
  /** Fewer samples than this give direction `insufficient`. Default 8 (and never below 4). */
  minSamples?: number;
  /**
   * `'hamed-rao'` (default) corrects the test for autocorrelation; `'none'` is the textbook
   * Mann–Kendall test, which assumes independent samples.
   */
  autocorrelation?: 'hamed-rao' | 'none';
}

/** The verdict and the numbers behind it. Slopes are in value units per time unit of the input. */
export interface TrendResult {
  /** Number of samples used. */
  n: number;
  /** `rising`/`falling`: significant, with the slope's whole confidence interval on that side of zero. */
  direction: 'rising' | 'falling' | 'flat' | 'insufficient';
  /** Theil–Sen slope (median of pairwise slopes). */
  slope: number;
  /** Lower and upper bounds of the slope's confidence interval. */
  slopeLow: number;
  slopeHigh: number;
  /** Intercept of the fitted line: median of `value - slope * time`. */
  intercept: number;
  /** Mann–Kendall S: (pairs that increase) − (pairs that decrease). */
  s: number;
  /** Kendall's tau between time order and value, in [-1, 1]. */
  tau: number;
  /** Normal score of S after the continuity and autocorrelation corrections. */
  z: number;
  /** Two-sided p-value of "no monotonic trend". */
  pValue: number;
  /** Factor the variance of S was multiplied by for autocorrelation (1 = none found). */
  varianceFactor: number;
}

/**
 * Analyses the trend of `values` sampled at `times` (ascending). Runs in O(n²) time for the
 * pairwise statistics; n = 120 takes well under a millisecond.
 *
 * @example
 * ```ts
 * const result = analyzeTrend([0, 10, 20, 30, 40, 50, 60, 70], [5, 7, 6, 9, 8, 11, 12, 12]);
 * // result.direction === 'rising', result.slope ≈ 0.1 per time unit
 * ```
 */
export function analyzeTrend(times: ArrayLike<number>, values: ArrayLike<number>, options: TrendOptions = {}): TrendResult {
  const n = Math.min(times.length, values.length);
  const alpha = options.alpha ?? 0.01;
  const confidence = options.confidence ?? 0.95;
  const minSamples = Math.max(4, options.minSamples ?? 8);
  const { slope, intercept, slopes, count } = theilSenInternal(times, values, n);
  const s = mannKendallS(values, n);
  let varianceS = mannKendallVariance(values, n);
  let varianceFactor = 1;
  if (options.autocorrelation !== 'none' && n >= 3) {
    varianceFactor = hamedRaoFactor(times, values, n, slope);
    varianceS *= varianceFactor;
  }
  const z = varianceS > 0 ? (s - Math.sign(s)) / Math.sqrt(varianceS) : 0;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  const tau = n >= 2 ? s / ((n * (n - 1)) / 2) : 0;
  const [slopeLow, slopeHigh] = slopeInterval(slopes, count, varianceS, confidence, slope);
  let direction: TrendResult['direction'] = 'flat';
  if (n < minSamples || count === 0) direction = 'insufficient';
  else if (pValue < alpha && slopeLow > 0) direction = 'rising';
  else if (pValue < alpha && slopeHigh < 0) direction = 'falling';
  return { n, direction, slope, slopeLow, slopeHigh, intercept, s, tau, z, pValue, varianceFactor };
}

/**
 * The Theil–Sen line through the points: slope = median of the slopes between all pairs
 * (pairs with equal times are skipped), intercept = median of `value - slope * time`.
 */
export function theilSen(times: ArrayLike<number>, values: ArrayLike<number>): { slope: number; intercept: number } {
  const { slope, intercept } = theilSenInternal(times, values, Math.min(times.length, values.length));
  return { slope, intercept };
}

/**
 * The minimum of each block of `blockSize` consecutive samples, blocks aligned to the newest
 * sample (an incomplete block at the old end is dropped), each with the time of its minimum.
 *
 * The heap after garbage collection is the floor of the sawtooth; a leak raises that floor,
 * while a busy but healthy process only raises the teeth. Non-overlapping blocks keep the
 * minima roughly independent, which a rolling minimum would not.
 */
export function blockMinima(times: ArrayLike<number>, values: ArrayLike<number>, blockSize: number): { times: number[]; values: number[] } {
  const n = Math.min(times.length, values.length);
  const size = Math.max(1, Math.floor(blockSize));
  const outTimes: number[] = [];
  const outValues: number[] = [];
  for (let end = n; end - size >= 0; end -= size) {
    let best = end - size;
    for (let i = end - size + 1; i < end; i++) if (values[i]! < values[best]!) best = i;
    outTimes.push(times[best]!);
    outValues.push(values[best]!);
  }
  outTimes.reverse();
  outValues.reverse();
  return { times: outTimes, values: outValues };
}

/**
 * Time until the fitted line reaches `limit`, measured from `fromTime`, in the input's time
 * unit: `estimate` from the slope, `earliest`/`latest` from the ends of its confidence
 * interval. `Infinity` when the line does not rise; 0 when it is already at the limit.
 */
export function timeToLimit(trend: Pick<TrendResult, 'slope' | 'slopeLow' | 'slopeHigh' | 'intercept'>, fromTime: number, limit: number): { estimate: number; earliest: number; latest: number } {
  const level = trend.intercept + trend.slope * fromTime;
  const headroom = limit - level;
  const at = (slope: number) => (headroom <= 0 ? 0 : slope > 0 ? headroom / slope : Number.POSITIVE_INFINITY);
  return { estimate: at(trend.slope), earliest: at(trend.slopeHigh), latest: at(trend.slopeLow) };
}

/** Standard normal cumulative distribution function. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Quantile function of the standard normal distribution (Acklam's algorithm with one Halley
 * refinement step; relative error below 1e-9 in double precision).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // One step of Halley's method against the accurate CDF.
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Complementary error function to near double precision: the Maclaurin series of erf below
 * |x| = 2, and above it the continued fraction of erfc (Lentz's method), which keeps its
 * relative accuracy far into the tail — where the small p-values come from.
 */
function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = Math.abs(x);
  let result: number;
  if (z < 2) {
    // erf(z) = 2/√π · Σ (−1)^n z^(2n+1) / (n! (2n+1))
    let term = z;
    let sum = z;
    for (let n = 1; n < 60; n++) {
      term *= (-z * z) / n;
      const contribution = term / (2 * n + 1);
      sum += contribution;
      if (Math.abs(contribution) < 1e-17 * Math.abs(sum)) break;
    }
    result = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …)))))
    const tiny = 1e-300;
    let f = z;
    let c = z;
    let d = 0;
    for (let n = 1; n < 200; n++) {
      const a = n / 2;
      d = z + a * d;
      d = d === 0 ? tiny : d;
      c = z + a / c;
      c = c === 0 ? tiny : c;
      d = 1 / d;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    result = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? result : 2 - result;
}

function theilSenInternal(times: ArrayLike<number>, values: ArrayLike<number>, n: number): { slope: number; intercept: number; slopes: Float64Array; count: number } {
  const slopes = new Float64Array(n > 1 ? (n * (n - 1)) / 2 : 0);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const ti = times[i]!;
    const vi = values[i]!;
    for (let j = i + 1; j < n; j++) {
      const dt = times[j]! - ti;
      if (dt !== 0) slopes[count++] = (values[j]! - vi) / dt;
    }
  }
  if (count === 0) return { slope: 0, intercept: n > 0 ? median(Float64Array.from({ length: n }, (_, i) => values[i]!), n) : 0, slopes, count };
  const slope = orderStatistic(slopes, count, (count - 1) / 2);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = values[i]! - slope * times[i]!;
  return { slope, intercept: median(residuals, n), slopes, count };
}

function mannKendallS(values: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const vi = values[i]!;
    for (let j = i + 1; j < n; j++) {
      const d = values[j]! - vi;
      if (d > 0) s++;
      else if (d < 0) s--;
    }
  }
  return s;
}

/** Var(S) under "no trend", corrected for tied values. */
function mannKendallVariance(values: ArrayLike<number>, n: number): number {
  const sorted = Float64Array.from({ length: n }, (_, i) => values[i]!).sort();
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const t = j - i;
    if (t > 1) ties += t * (t - 1) * (2 * t + 5);
    i = j;
  }
  return (n * (n - 1) * (2 * n + 5) - ties) / 18;
}

/**
 * Hamed & Rao (1998): n/n* = 1 + 2 / (n(n-1)(n-2)) · Σ (n-k)(n-k-1)(n-k-2) ρ(k), over the lags
 * k whose rank autocorrelation ρ(k) of the detrended series is significant at 5 %. Kept at
 * least 1: negative autocorrelation would make the test bolder, and a monitor that raises
 * alarms should err on the quiet side.
 */
function hamedRaoFactor(times: ArrayLike<number>, values: ArrayLike<number>, n: number, slope: number): number {
  const detrended = new Float64Array(n);
  for (let i = 0; i < n; i++) detrended[i] = values[i]! - slope * times[i]!;
  const ranks = averageRanks(detrended);
  const mean = (n + 1) / 2;
  let denominator = 0;
  for (let i = 0; i < n; i++) denominator += (ranks[i]! - mean) ** 2;
  if (denominator === 0) return 1;
  const bound = 1.959963984540054 / Math.sqrt(n);
  let sum = 0;
  for (let k = 1; k < n - 2; k++) {
    let numerator = 0;
    for (let i = 0; i < n - k; i++) numerator += (ranks[i]! - mean) * (ranks[i + k]! - mean);
    const rho = numerator / denominator;
    if (Math.abs(rho) > bound) sum += (n - k) * (n - k - 1) * (n - k - 2) * rho;
  }
  const factor = 1 + (2 / (n * (n - 1) * (n - 2))) * sum;
  return Math.max(1, factor);
}

/** 1-based ranks, ties sharing the average of their positions. */
function averageRanks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && values[order[j]!] === values[order[i]!]) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) ranks[order[k]!] = rank;
    i = j;
  }
  return ranks;
}

/**
 * Sen's interval: with C = z(1 - (1 - confidence)/2) · √Var(S) and m slopes, the bounds are
 * the slopes of ranks (m − C)/2 and (m + C)/2 + 1 (1-based, interpolated).
 */
function slopeInterval(slopes: Float64Array, count: number, varianceS: number, confidence: number, slope: number): [number, number] {
  if (count === 0 || !(varianceS > 0)) return [slope, slope];
  const c = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(varianceS);
  const lowRank = (count - c) / 2; // 1-based
  const highRank = (count + c) / 2 + 1;
  const low = lowRank < 1 ? Number.NEGATIVE_INFINITY : orderStatistic(slopes, count, lowRank - 1);
  const high = highRank > count ? Number.POSITIVE_INFINITY : orderStatistic(slopes, count, highRank - 1);
  return [low, high];
}

function median(values: Float64Array, count: number): number {
  return orderStatistic(values, count, (count - 1) / 2);
}

/** The value at 0-based fractional rank `rank` among the first `count` entries (reorders them). */
function orderStatistic(values: Float64Array, count: number, rank: number): number {
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const a = select(values, count, lower);
  if (upper === lower) return a;
  const b = select(values, count, upper);
  return a + (b - a) * (rank - lower);
}

/**
 * Quickselect (Hoare partition, median-of-three pivot): the k-th smallest of the first `count`
 * entries in expected O(count), without sorting all n² pairwise slopes.
 */
function select(values: Float64Array, count: number, k: number): number {
  let left = 0;
  let right = count - 1;
  while (right > left) {
    const middle = (left + right) >>> 1;
    // Median of three as pivot guards against already-ordered input (a steady leak).
    const a = values[left]!;
    const b = values[middle]!;
    const c = values[right]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k]!;
  }
  return values[k]!;
}
