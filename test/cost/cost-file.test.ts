/** The cost file contract, the statistics behind it and the wording of sizes: no database needed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CostFileError, parseCostFile, type CostPoint, type CostSample } from '../../src/cost/cost-file.js';
import { formatSize, libraryConclusions } from '../../src/cost/describe-cost.js';
import { fitClientPoints, fitPoints, medianSample } from '../../src/cost/fit-points.js';
import { withApplicationName } from '../../src/cost/measure-cost.js';
import { parseSmapsRollup } from '../../src/cost/server-side.js';
import { MB, syntheticCostFile } from './cost-fixture.js';

test('a cost file round-trips through JSON and validates', () => {
  const file = syntheticCostFile();
  assert.deepEqual(parseCostFile(JSON.stringify(file), 'cost.json'), file);
});

test('a cost file with fields it does not know still reads (additive-only)', () => {
  const file = { ...syntheticCostFile(), futureField: { anything: 1 } };
  assert.equal(parseCostFile(JSON.stringify(file), 'cost.json').kind, 'leakhound-cost');
});

test('what is not a cost file says what it is and how to make one', () => {
  const problem = (text: string) => {
    try {
      parseCostFile(text, 'cost.json');
    } catch (error) {
      assert.ok(error instanceof CostFileError);
      return error.message;
    }
    assert.fail('expected a CostFileError');
  };
  assert.match(problem('{'), /^cost\.json is not JSON/);
  assert.match(problem(JSON.stringify({ schemaVersion: 1, kind: 'leakhound-run' })), /is not a leakhound cost file \(kind: "leakhound-run"\)$/);
  assert.match(problem(JSON.stringify({ hello: 'world' })), /kind: missing/);
  assert.match(problem(JSON.stringify({ kind: 'leakhound-cost' })), /is not a valid cost file: it has no schemaVersion/);
  assert.match(problem(JSON.stringify({ ...syntheticCostFile(), schemaVersion: 2 })), /written by a newer leakhound \(cost file version 2\)/);
  const broken = syntheticCostFile() as unknown as { libraries: { perClient: { fits: { rss: unknown } } }[] };
  broken.libraries[0]!.perClient.fits.rss = 'fast';
  assert.match(problem(JSON.stringify(broken)), /is not a valid cost file: libraries\.0\.perClient\.fits\.rss: /);
});

function sample(rss: number, extra: Partial<CostSample> = {}): CostSample {
  return { rss, heapUsed: rss / 10, heapTotal: rss / 5, external: 0, arrayBuffers: 0, connections: null, serverPrivate: null, serverPss: null, ...extra };
}

function point(n: number, ...samples: CostSample[]): CostPoint {
  return { n, median: medianSample(samples), repeats: samples, failures: [] };
}

test('medians per figure; a nullable figure is the median of the samples that have it', () => {
  const median = medianSample([sample(10, { connections: 2 }), sample(30), sample(20, { connections: 4 })])!;
  assert.equal(median.rss, 20);
  assert.equal(median.connections, 3);
  assert.equal(median.serverPrivate, null);
  assert.equal(medianSample([]), null);
});

test('the slope is robust to one outlying point, and its range comes from the repeats alone', () => {
  const points = [1, 2, 4, 8, 16].map((n) => point(n, sample(100 + n * 2), sample(100 + n * 3)));
  // One run that caught a 30-unit jump at N = 4 does not tilt the line.
  points[2] = point(4, sample(100 + 4 * 2 + 30), sample(100 + 4 * 3 + 30));
  const fits = fitPoints(points);
  assert.ok(fits.rss!.slope >= 2 && fits.rss!.slope <= 3, `slope ${fits.rss!.slope}`);
  assert.ok(fits.rss!.low <= fits.rss!.slope && fits.rss!.slope <= fits.rss!.high);
  assert.equal(fits.rss!.points, 5);
  assert.equal(fits.connections, null, 'no point has the figure');
});

test('per-client lines start at the second client: the first one pays one-time costs', () => {
  // The first client's query compiles the library (+50), the rest cost 1 each.
  const points = [1, 2, 4, 8].map((n) => point(n, sample(n === 1 ? 151 : 180 + n)));
  assert.equal(fitClientPoints(points).rss!.slope, 1);
  assert.ok(fitPoints(points).rss!.slope > 1, 'fitted from the first client, the line would be steeper');
  // With only one point from the second client on, every point is used.
  assert.equal(fitClientPoints(points.slice(0, 2)).rss!.points, 2);
});

test('smaps_rollup: private = Private_Clean + Private_Dirty, in bytes; RSS kept apart', () => {
  const text = [
    '55d1c3a00000-7ffd7b5fe000 ---p 00000000 00:00 0                          [rollup]',
    'Rss:               14852 kB',
    'Pss:                2428 kB',
    'Pss_Anon:           1353 kB',
    'Shared_Clean:      12000 kB',
    'Private_Clean:       300 kB',
    'Private_Dirty:      1008 kB',
  ].join('\n');
  assert.deepEqual(parseSmapsRollup(text), { rss: 14852 * 1024, pss: 2428 * 1024, private: 1308 * 1024 });
  assert.equal(parseSmapsRollup('Rss: 1 kB\n'), null);
});

test('sizes keep enough digits to tell small costs apart', () => {
  assert.equal(formatSize(0), '0');
  assert.equal(formatSize(1536), '1.5 KB');
  assert.equal(formatSize(25 * 1024), '25 KB');
  assert.equal(formatSize(0.31 * MB), '317 KB');
  assert.equal(formatSize(1.234 * MB), '1.23 MB');
  assert.equal(formatSize(58.4 * MB), '58.4 MB');
  assert.equal(formatSize(138.2 * MB), '138 MB');
  assert.equal(formatSize(-12 * 1024), '−12 KB');
});

test('conclusions: per client, the first client once, per connection and a full pool', () => {
  const file = syntheticCostFile(['prisma']);
  const lines = libraryConclusions(file.libraries[0]!, file);
  assert.deepEqual(lines, [
    'each extra PrismaClient: +512 KB RSS, +64 KB heap, +1 connection after its first query (up to 10 when its pool fills) ≈ +1.25 MB on the server',
    'the first PrismaClient also costs +50.0 MB RSS once (+6.25 MB heap): Prisma 7 compiles and optimises its WebAssembly query compiler',
    'each extra connection: +64 KB RSS here, +1.25 MB on the server (private memory; 2.50 MB PSS)',
    'a full pool (10 connections): ≈ 12.5 MB on the server, ≈ 640 KB here',
  ]);
});

test('the probe connections are marked with an application_name, other parameters kept', () => {
  assert.equal(withApplicationName('postgresql://u:p@h:5432/db?sslmode=require', 'leakhound-cost-1-2'), 'postgresql://u:p@h:5432/db?sslmode=require&application_name=leakhound-cost-1-2');
  assert.equal(withApplicationName('postgresql://u:p@h/db?application_name=app', 'x'), 'postgresql://u:p@h/db?application_name=x');
});
