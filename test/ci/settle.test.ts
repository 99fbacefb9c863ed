import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settleFindings } from '../../src/ci/settle.js';
import type { Baseline } from '../../src/ci/baseline.js';
import { finding, report } from '../helpers/findings.js';

const SOURCE: Record<string, string> = {
  'src/jobs/cleanup.ts': [
    'export function cleanup() {',
    '  // leakhound-ignore-next-line per-call-client -- runs once from cron, then exits',
    '  const prisma = new PrismaClient();',
    '}',
  ].join('\n'),
  'src/routes/users.ts': 'router.get("/users", async () => {\n  const prisma = new PrismaClient();\n});\n',
};
const textOf = (file: string) => SOURCE[file] ?? null;

const suppressedError = finding({ file: 'src/jobs/cleanup.ts', line: 3, fingerprint: 'cleanup' });
const legacyError = finding({ file: 'src/routes/users.ts', line: 2, fingerprint: 'users' });
const newWarning = finding({ ruleId: 'shutdown', severity: 'warning', file: 'src/routes/users.ts', line: 1, fingerprint: 'shutdown' });
const baseline: Baseline = {
  schemaVersion: 1,
  tool: 'leakhound',
  findings: [
    { ruleId: 'per-call-client', file: 'src/routes/users.ts', fingerprint: 'users', message: legacyError.message },
    { ruleId: 'pool-config', file: 'src/db.ts', fingerprint: 'fixed-since', message: 'gone' },
  ],
};

test('a report with findings: inline suppressions, then the baseline, then the gate', () => {
  const settled = settleFindings(report([suppressedError, legacyError, newWarning]), { textOf, baseline, failOn: 'error' });
  assert.deepEqual(settled.suppressed, [suppressedError]);
  assert.deepEqual(settled.known, [legacyError]);
  assert.deepEqual(settled.unsuppressed, [legacyError, newWarning]);
  assert.deepEqual(settled.report.findings, [newWarning], 'the printed report holds only what counts');
  assert.equal(settled.exitCode, 0, 'the only error left is in the baseline');
  assert.equal(settleFindings(report([suppressedError, legacyError, newWarning]), { textOf, baseline, failOn: 'warning' }).exitCode, 1);
});

test('without a baseline the legacy error fails the build; never never does', () => {
  const findings = [suppressedError, legacyError, newWarning];
  assert.equal(settleFindings(report(findings), { textOf, baseline: null, failOn: 'error' }).exitCode, 1);
  assert.equal(settleFindings(report(findings), { textOf, baseline: null, failOn: 'never' }).exitCode, 0);
  assert.equal(settleFindings(report([suppressedError]), { textOf, baseline: null, failOn: 'error' }).exitCode, 0, 'a suppressed error does not count');
});

test('warnings about suppression comments join the report; the rest of the report is kept', () => {
  const sloppy = { 'src/a.ts': '// leakhound-ignore-next-line per-call-clients\nnew PrismaClient();' };
  const original = report([finding({ file: 'src/a.ts', line: 2 })], { warnings: [{ kind: 'parse', file: 'src/broken.ts', message: 'could not parse' }] });
  const settled = settleFindings(original, { textOf: (file) => sloppy[file as keyof typeof sloppy] ?? null, baseline: null, failOn: 'error' });
  assert.deepEqual(
    settled.report.warnings.map((warning) => [warning.kind, warning.file]),
    [['parse', 'src/broken.ts'], ['config', 'src/a.ts'], ['config', 'src/a.ts']],
  );
  assert.equal(settled.report.summary, original.summary);
  assert.equal(original.findings.length, 1, 'the scan report itself is not changed');
});
