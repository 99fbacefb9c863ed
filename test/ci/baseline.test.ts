import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBaseline, splitByBaseline, writeBaseline, type Baseline } from '../../src/ci/baseline.js';
import { UsageError } from '../../src/errors.js';
import { finding } from '../helpers/findings.js';

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-baseline-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const a = finding({ file: 'src/b.ts', ruleId: 'shutdown', fingerprint: 'f-shutdown', message: 'no $disconnect', severity: 'warning', line: 1, fix: [{ start: 0, end: 0, text: 'x' }] });
const b = finding({ file: 'src/a.ts', fingerprint: 'f-2', line: 9 });
const c = finding({ file: 'src/a.ts', fingerprint: 'f-1', line: 30 });

test('writeBaseline: small, sorted, one key per line, ends with a newline; read back as written', () => {
  withDir((dir) => {
    const path = join(dir, 'nested', 'leakhound-baseline.json');
    writeBaseline(path, [a, b, c]);
    const text = readFileSync(path, 'utf8');
    assert.equal(
      text,
      `${JSON.stringify(
        {
          schemaVersion: 1,
          tool: 'leakhound',
          findings: [
            { ruleId: 'per-call-client', file: 'src/a.ts', fingerprint: 'f-1', message: c.message },
            { ruleId: 'per-call-client', file: 'src/a.ts', fingerprint: 'f-2', message: b.message },
            { ruleId: 'shutdown', file: 'src/b.ts', fingerprint: 'f-shutdown', message: 'no $disconnect' },
          ],
        },
        null,
        2,
      )}\n`,
    );
    assert.deepEqual(readBaseline(path), JSON.parse(text));
    assert.deepEqual(readdirSync(join(dir, 'nested')), ['leakhound-baseline.json'], 'no temporary file is left');
  });
});

test('writeBaseline replaces an existing file whole', () => {
  withDir((dir) => {
    const path = join(dir, 'baseline.json');
    writeFileSync(path, 'x'.repeat(10_000));
    writeBaseline(path, []);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { schemaVersion: 1, tool: 'leakhound', findings: [] });
  });
});

test('readBaseline: missing, broken and foreign files are usage errors', () => {
  withDir((dir) => {
    const expectUsage = (path: string, message: RegExp) =>
      assert.throws(() => readBaseline(path), (error: unknown) => error instanceof UsageError && message.test(error.message) && /--write-baseline/.test(error.hint ?? ''));
    expectUsage(join(dir, 'none.json'), /baseline not found: .*none\.json/);
    writeFileSync(join(dir, 'broken.json'), '{\n  "schemaVersion": 1,\n  "findings": [\n');
    expectUsage(join(dir, 'broken.json'), /broken\.json:4:1: invalid JSON: unexpected end of file/);
    writeFileSync(join(dir, 'eslint.json'), JSON.stringify({ version: '2.1.0', runs: [] }));
    expectUsage(join(dir, 'eslint.json'), /eslint\.json is not a leakhound baseline/);
    writeFileSync(join(dir, 'future.json'), JSON.stringify({ schemaVersion: 2, tool: 'leakhound', findings: [] }));
    expectUsage(join(dir, 'future.json'), /future\.json: not a valid baseline: schemaVersion: expected 1 \(this leakhound reads baselines of schema version 1\)/);
    writeFileSync(join(dir, 'bad-entry.json'), JSON.stringify({ schemaVersion: 1, tool: 'leakhound', findings: [{ ruleId: 'x', file: 'a.ts', message: 'm' }] }));
    expectUsage(join(dir, 'bad-entry.json'), /bad-entry\.json: not a valid baseline: findings\.0\.fingerprint: expected a string$/);
  });
});

function baselineOf(...entries: { ruleId: string; fingerprint: string }[]): Baseline {
  return { schemaVersion: 1, tool: 'leakhound', findings: entries.map((entry) => ({ file: 'x.ts', message: 'm', ...entry })) };
}

test('splitByBaseline matches rule and fingerprint, whatever the line, file or message', () => {
  const moved = finding({ line: 99, file: 'src/renamed.ts', message: 'reworded', fingerprint: 'f-1' });
  const { fresh, known } = splitByBaseline([moved, b], baselineOf({ ruleId: 'per-call-client', fingerprint: 'f-1' }));
  assert.deepEqual(known, [moved]);
  assert.deepEqual(fresh, [b]);
  const otherRule = splitByBaseline([moved], baselineOf({ ruleId: 'shutdown', fingerprint: 'f-1' }));
  assert.deepEqual(otherRule.fresh, [moved]);
});

test('splitByBaseline counts: one baselined occurrence leaves the second one fresh', () => {
  const first = finding({ fingerprint: 'dup', line: 3 });
  const second = finding({ fingerprint: 'dup', line: 8 });
  const once = splitByBaseline([first, second], baselineOf({ ruleId: 'per-call-client', fingerprint: 'dup' }));
  assert.deepEqual(once.known, [first]);
  assert.deepEqual(once.fresh, [second]);
  const twice = splitByBaseline([first, second], baselineOf({ ruleId: 'per-call-client', fingerprint: 'dup' }, { ruleId: 'per-call-client', fingerprint: 'dup' }));
  assert.deepEqual(twice.fresh, []);
});
