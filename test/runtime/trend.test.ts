import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTrend, blockMinima, normalCdf, normalQuantile, theilSen, timeToLimit } from '../../src/runtime/trend.js';
import { gaussian, sawtooth, seededRandom, times } from './series.js';

const MB = 1024 * 1024;

test('normal distribution helpers match reference values', () => {
  assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-15);
  assert.ok(Math.abs(normalCdf(1.959963984540054) - 0.975) < 1e-14);
  // Relative accuracy deep in the tail, where small p-values come from.
  assert.ok(Math.abs(normalCdf(-3) - 0.0013498980316301) / 0.0013498980316301 < 1e-12);
  assert.ok(Math.abs(normalCdf(-8) - 6.22096057427178e-16) / 6.22096057427178e-16 < 1e-9);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-12);
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-12);
  assert.ok(Math.abs(normalQuantile(1e-8) - -5.612001244174789) < 1e-9);
  assert.equal(normalQuantile(0), Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
});

test('Mann–Kendall statistics of small series match the textbook formulas', () => {
  const increasing = analyzeTrend([0, 1, 2, 3, 4], [1, 2, 3, 4, 5], { autocorrelation: 'none', minSamples: 4 });
  assert.equal(increasing.s, 10);
  assert.equal(increasing.tau, 1);
  // Var(S) = 5·4·15/18; z = (S − 1)/√Var(S) = 2.2045; p = 0.0275.
  assert.ok(Math.abs(increasing.z - 9 / Math.sqrt(300 / 18)) < 1e-12);
  assert.ok(Math.abs(increasing.pValue - 0.0275) < 5e-4, `p = ${increasing.pValue}`);
  // Tied values shrink the variance: Var(S) = (300 − 2·(2·1·9))/18 for [1,1,2,2,3], S = 8.
  const tied = analyzeTrend([0, 1, 2, 3, 4], [1, 1, 2, 2, 3], { autocorrelation: 'none', minSamples: 4 });
  assert.equal(tied.s, 8);
  assert.ok(Math.abs(tied.z - 7 / Math.sqrt(264 / 18)) < 1e-12);
  // The Hamed–Rao correction finds nothing in a series this clean.
  assert.equal(analyzeTrend([0, 1, 2, 3, 4], [1, 2, 3, 4, 5], { minSamples: 4 }).varianceFactor, 1);
});

test('Theil–Sen recovers an exact line and shrugs off a quarter of the points being wrong', () => {
  const at = times(40, 1);
  const line = at.map((t) => 3 + 2 * t);
  assert.deepEqual(theilSen(at, line), { slope: 2, intercept: 3 });
  const random = seededRandom(1);
  const corrupted = line.map((value, i) => (i % 4 === 1 ? value + (random() - 0.5) * 1e6 : value));
  const fit = theilSen(at, corrupted);
  assert.ok(Math.abs(fit.slope - 2) < 0.1, `slope ${fit.slope}`);
  // Least squares on the same points would be thrown far off; check that the test would notice.
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const tm = mean(at);
  const vm = mean(corrupted);
  const ols = at.reduce((acc, t, i) => acc + (t - tm) * (corrupted[i]! - vm), 0) / at.reduce((acc, t) => acc + (t - tm) ** 2, 0);
  assert.ok(Math.abs(ols - 2) > 1, `least squares slope ${ols} should be off`);
});

test('flat memory with noise is not called a trend', () => {
  let falseAlarms = 0;
  for (let seed = 1; seed <= 50; seed++) {
    const noise = gaussian(seededRandom(seed));
    const at = times(120);
    const result = analyzeTrend(
      at,
      at.map(() => 200 * MB + noise() * 3 * MB),
    );
    if (result.direction !== 'flat') falseAlarms++;
  }
  // alpha = 0.01: about 0.5 expected in 50; allow a little luck.
  assert.ok(falseAlarms <= 2, `${falseAlarms} false alarms in 50 flat series`);
});

test('a linear leak under noise is found, with its slope inside the confidence interval', () => {
  const slopePerMs = (2 * MB) / 60_000; // 2 MB per minute
  let covered = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const noise = gaussian(seededRandom(seed));
    const at = times(120);
    const result = analyzeTrend(
      at,
      at.map((t) => 200 * MB + slopePerMs * t + noise() * 3 * MB),
    );
    assert.equal(result.direction, 'rising', `seed ${seed}`);
    if (result.slopeLow <= slopePerMs && slopePerMs <= result.slopeHigh) covered++;
    assert.ok(Math.abs(result.slope - slopePerMs) / slopePerMs < 0.15, `seed ${seed}: slope ${result.slope}`);
    assert.ok(result.pValue < 1e-6);
  }
  // A 95 % interval misses about one time in twenty.
  assert.ok(covered >= 17, `the interval covered the true slope ${covered} times in 20`);
});

test('memory being freed is a falling trend', () => {
  const noise = gaussian(seededRandom(7));
  const at = times(60);
  const result = analyzeTrend(
    at,
    at.map((t) => 500 * MB - t * 100 + noise() * MB),
  );
  assert.equal(result.direction, 'falling');
  assert.ok(result.slopeHigh < 0);
});

test("Sen's confidence interval covers the true slope about as often as it says", () => {
  let covered = 0;
  const runs = 300;
  for (let seed = 1; seed <= runs; seed++) {
    const noise = gaussian(seededRandom(1000 + seed));
    const at = times(40, 1);
    const result = analyzeTrend(
      at,
      at.map((t) => 0.05 * t + noise()),
      { autocorrelation: 'none', confidence: 0.95 },
    );
    if (result.slopeLow <= 0.05 && 0.05 <= result.slopeHigh) covered++;
  }
  const coverage = covered / runs;
  assert.ok(coverage >= 0.91 && coverage <= 0.99, `coverage ${coverage}`);
});

test('a GC sawtooth on a flat floor is not a leak; the same sawtooth on a rising floor is', () => {
  const at = times(120);
  const noise = gaussian(seededRandom(3));
  const flat = sawtooth(at, { base: 100 * MB, rise: 60 * MB, period: 9, noise: () => noise() * MB });
  assert.notEqual(analyzeTrend(at, flat).direction, 'rising', 'raw sawtooth');
  const flatFloor = blockMinima(at, flat, 12);
  assert.equal(analyzeTrend(flatFloor.times, flatFloor.values, { minSamples: 4 }).direction, 'flat', 'floor of a flat sawtooth');

  const floorSlope = (1 * MB) / 60_000; // the floor rises 1 MB per minute under 60 MB teeth
  const leaking = sawtooth(at, { base: 100 * MB, rise: 60 * MB, period: 9, floorSlope, noise: () => noise() * MB });
  const floor = blockMinima(at, leaking, 12);
  const result = analyzeTrend(floor.times, floor.values, { minSamples: 4 });
  assert.equal(result.direction, 'rising');
  assert.ok(Math.abs(result.slope - floorSlope) / floorSlope < 0.25, `floor slope ${result.slope} vs ${floorSlope}`);
});

test('outliers (GC spikes, a one-off big allocation) neither create nor hide a trend', () => {
  const at = times(120);
  const noise = gaussian(seededRandom(11));
  const spikes = (values: number[]) => values.map((value, i) => (i % 10 === 3 ? value + 400 * MB : value));
  const flat = spikes(at.map(() => 150 * MB + noise() * 2 * MB));
  // Spikes late in the window would drag a mean-based slope up.
  flat[115] = flat[115]! + 900 * MB;
  flat[118] = flat[118]! + 900 * MB;
  assert.equal(analyzeTrend(at, flat).direction, 'flat');

  const slopePerMs = (1 * MB) / 60_000;
  const rising = spikes(at.map((t) => 150 * MB + slopePerMs * t + noise() * 2 * MB));
  const result = analyzeTrend(at, rising);
  assert.equal(result.direction, 'rising');
  assert.ok(Math.abs(result.slope - slopePerMs) / slopePerMs < 0.15, `slope ${result.slope}`);
});

test('the Hamed–Rao correction cuts false alarms on autocorrelated noise', () => {
  let plain = 0;
  let corrected = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const noise = gaussian(seededRandom(5000 + seed));
    let level = 0;
    // AR(1) with φ = 0.9: what memory sampled seconds apart looks like — no trend at all.
    const values = times(120).map(() => (level = 0.9 * level + noise()));
    const at = times(120);
    if (analyzeTrend(at, values, { autocorrelation: 'none' }).direction !== 'flat') plain++;
    const result = analyzeTrend(at, values);
    if (result.direction !== 'flat') corrected++;
  }
  assert.ok(plain > 40, `the plain test is fooled often (${plain}/200), or this test proves nothing`);
  assert.ok(corrected <= plain * 0.6, `corrected ${corrected} vs plain ${plain}`);
});

test('too few samples give no verdict', () => {
  const result = analyzeTrend([0, 1, 2], [1, 2, 3]);
  assert.equal(result.direction, 'insufficient');
  assert.equal(analyzeTrend([0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], { minSamples: 10 }).direction, 'insufficient');
  assert.equal(analyzeTrend([], []).direction, 'insufficient');
  // Samples that all share one time carry no slope.
  assert.equal(analyzeTrend([5, 5, 5, 5, 5, 5, 5, 5], [1, 2, 3, 4, 5, 6, 7, 8]).direction, 'insufficient');
});

test('time to limit from the fitted line and its interval', () => {
  const eta = timeToLimit({ slope: 2, slopeLow: 1, slopeHigh: 4, intercept: 100 }, 10, 200);
  assert.deepEqual(eta, { estimate: 40, earliest: 20, latest: 80 });
  assert.equal(timeToLimit({ slope: 0, slopeLow: -1, slopeHigh: 1, intercept: 100 }, 10, 200).estimate, Number.POSITIVE_INFINITY);
  assert.equal(timeToLimit({ slope: 0, slopeLow: -1, slopeHigh: 1, intercept: 100 }, 10, 200).latest, Number.POSITIVE_INFINITY);
  assert.equal(timeToLimit({ slope: 1, slopeLow: 1, slopeHigh: 1, intercept: 300 }, 0, 200).estimate, 0, 'already past the limit');
});

test('block minima are aligned to the newest sample', () => {
  const at = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const values = [0, 5, 3, 4, 9, 8, 7, 1, 2, 6];
  // Blocks [1..3], [4..6], [7..9]; sample 0 (an incomplete block) is dropped.
  assert.deepEqual(blockMinima(at, values, 3), { times: [2, 6, 7], values: [3, 7, 1] });
  assert.deepEqual(blockMinima(at, values, 20), { times: [], values: [] });
});

test('analysis stays fast enough to run at every sample', () => {
  const noise = gaussian(seededRandom(9));
  const at = times(600);
  const values = at.map(() => noise());
  const started = performance.now();
  analyzeTrend(at, values);
  const elapsed = performance.now() - started;
  // A generous bound (shared CI machines): the point is O(n²) with small constants, not O(n² log n) sorting.
  assert.ok(elapsed < 1000, `${elapsed} ms for 600 samples`);
});
