/**
 * `leakhound scan` in CI: config files, --fail-on, baselines, inline suppressions and SARIF.
 * The first part runs the CLI in-process on reports built by hand (so every path of the gate is
 * exercised whatever the rules find today); the second runs the built binary on fixtures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readBaseline } from '../../src/ci/baseline.js';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { RULE_IDS } from '../../src/config/settings.js';
import type { ScanOptions } from '../../src/core/scan.js';
import type { Finding, Report } from '../../src/types.js';
import { copyFixture, FIXTURES } from '../helpers/fixtures.js';
import { finding, report } from '../helpers/findings.js';

const BIN = fileURLToPath(new URL('../../../bin/leakhound.js', import.meta.url));
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;
const SARIF_SCHEMA = JSON.parse(readFileSync(new URL('../../../test/fixtures-data/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;

function assertValidSarif(log: unknown): void {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  const validate = ajv.compile(SARIF_SCHEMA);
  assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
}

function tempDir(files: Record<string, string> = {}): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-gate-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What the CLI asked the scanner for. */
  options: ScanOptions;
}

/** Runs the CLI with a scanner that returns `findings` in a report rooted at `dir`. */
async function runWithFindings(dir: string, findings: Finding[], args: string[] = []): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  let options: ScanOptions | undefined;
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { NO_COLOR: '1' },
    cwd: dir,
    scan: async (given) => {
      options = given;
      return report(findings, { root: dir });
    },
  };
  const code = await runCli(['scan', ...args], io);
  return { code, stdout, stderr, options: options! };
}

const ROUTE = 'export const handler = async () => {\n  const prisma = new PrismaClient();\n};\n';
const perCall = finding({ file: 'route.ts', line: 2, column: 18, fingerprint: 'route-handler' });
const shutdownWarning = finding({ ruleId: 'shutdown', severity: 'warning', file: 'route.ts', line: 1, column: 1, fingerprint: 'no-shutdown' });

test('in-process: an error finding exits 1; --fail-on never and the config failOn change that', async () => {
  const { dir, cleanup } = tempDir({ 'route.ts': ROUTE });
  try {
    const failing = await runWithFindings(dir, [perCall, shutdownWarning], ['-f', 'json']);
    assert.equal(failing.code, 1);
    assert.equal(JSON.parse(failing.stdout).findings.length, 2);
    assert.equal((await runWithFindings(dir, [perCall], ['--fail-on', 'never'])).code, 0);
    assert.equal((await runWithFindings(dir, [shutdownWarning])).code, 0, 'a warning does not fail by default');
    assert.equal((await runWithFindings(dir, [shutdownWarning], ['--fail-on', 'warning'])).code, 1);
    writeFileSync(join(dir, 'leakhound.config.json'), '{ "failOn": "warning" }');
    assert.equal((await runWithFindings(dir, [shutdownWarning])).code, 1, 'failOn from the config');
    assert.equal((await runWithFindings(dir, [shutdownWarning], ['--fail-on', 'error'])).code, 0, 'the flag wins over the config');
  } finally {
    cleanup();
  }
});

test('in-process: config and flags reach the scanner as settings, ignore and test patterns', async () => {
  const config = {
    replicas: 4,
    maxConnections: 300,
    ignore: ['legacy/'],
    testPatterns: ['*.spec.ts'],
    rules: { shutdown: 'off', 'transaction-timeout': { timeoutMs: 30000 } },
  };
  const { dir, cleanup } = tempDir({ 'leakhound.config.json': JSON.stringify(config) });
  try {
    const { options } = await runWithFindings(dir, [], ['--cpus', '16', '--replicas', '2', '--ignore', 'tmp/']);
    assert.equal(options.root, dir);
    assert.equal(options.settings?.replicas, 2, 'the flag wins');
    assert.equal(options.settings?.maxConnections, 300, 'from the config');
    assert.equal(options.settings?.cpus, 16);
    assert.deepEqual(options.settings?.rules, { shutdown: 'off' });
    assert.equal(options.settings?.ruleOptions['transaction-timeout'].timeoutMs, 30000);
    assert.deepEqual(options.ignore, ['legacy/', 'tmp/']);
    assert.deepEqual(options.testPatterns, ['*.spec.ts']);
  } finally {
    cleanup();
  }
});

test('in-process: --write-baseline records the findings and exits 0; --baseline then lets only new ones fail', async () => {
  const { dir, cleanup } = tempDir({ 'route.ts': ROUTE });
  try {
    const written = await runWithFindings(dir, [perCall, shutdownWarning], ['--write-baseline']);
    assert.equal(written.code, 0);
    assert.equal(written.stdout, '');
    assert.match(written.stderr, /baseline written to leakhound-baseline\.json \(2 findings\)/);
    assert.deepEqual(
      readBaseline(join(dir, 'leakhound-baseline.json')).findings.map((entry) => entry.fingerprint),
      ['route-handler', 'no-shutdown'],
    );

    const same = await runWithFindings(dir, [perCall, shutdownWarning], ['--baseline', 'leakhound-baseline.json', '-f', 'json']);
    assert.equal(same.code, 0);
    assert.deepEqual(JSON.parse(same.stdout).findings, [], 'known findings are left out of the report');
    assert.match(same.stderr, /2 findings already in the baseline leakhound-baseline\.json \(not counted\)/);

    const fresh = finding({ file: 'route.ts', line: 2, fingerprint: 'a-new-one' });
    const grown = await runWithFindings(dir, [perCall, fresh], ['--baseline', 'leakhound-baseline.json', '-f', 'json']);
    assert.equal(grown.code, 1);
    assert.deepEqual(JSON.parse(grown.stdout).findings.map((f: Finding) => f.fingerprint), ['a-new-one']);
    assert.match(grown.stderr, /1 finding already in the baseline .*; 1 of its entries no longer occurs \(run with --write-baseline to drop them\)/);
  } finally {
    cleanup();
  }
});

test('in-process: --write-baseline --baseline FILE writes there; suppressed findings are not recorded', async () => {
  const { dir, cleanup } = tempDir({ 'route.ts': '// leakhound-ignore-next-line shutdown -- the process exits after each request\nexport const x = 1;\n' + ROUTE });
  try {
    const suppressed = { ...shutdownWarning, line: 2 };
    const moved = { ...perCall, line: 4 };
    const run = await runWithFindings(dir, [moved, suppressed], ['--write-baseline', '--baseline', 'ci/baseline.json']);
    assert.equal(run.code, 0);
    assert.deepEqual(readBaseline(join(dir, 'ci/baseline.json')).findings.map((entry) => entry.ruleId), ['per-call-client']);
  } finally {
    cleanup();
  }
});

test('in-process: inline suppressions drop findings, say so, and warn about a missing reason', async () => {
  const source = '// leakhound-ignore-next-line per-call-client\nexport const handler = async () => new PrismaClient();\n';
  const { dir, cleanup } = tempDir({ 'route.ts': source });
  try {
    const run = await runWithFindings(dir, [finding({ file: 'route.ts', line: 2 })], ['-f', 'json']);
    assert.equal(run.code, 0);
    const printed = JSON.parse(run.stdout) as Report;
    assert.deepEqual(printed.findings, []);
    assert.deepEqual(printed.warnings.map((warning) => [warning.kind, warning.file, warning.line]), [['config', 'route.ts', 1]]);
    assert.match(printed.warnings[0]!.message, /without a reason/);
    assert.match(run.stderr, /1 finding suppressed by leakhound-ignore-next-line comments/);
  } finally {
    cleanup();
  }
});

test('in-process: --format sarif with findings is valid SARIF with every rule described', async () => {
  const { dir, cleanup } = tempDir({ 'route.ts': ROUTE });
  try {
    const run = await runWithFindings(dir, [perCall, shutdownWarning], ['-f', 'sarif']);
    assert.equal(run.code, 1);
    const log = JSON.parse(run.stdout);
    assertValidSarif(log);
    const driver = log.runs[0].tool.driver;
    assert.deepEqual(new Set(driver.rules.map((rule: { id: string }) => rule.id)), new Set(RULE_IDS));
    const results = log.runs[0].results as { ruleId: string; ruleIndex: number }[];
    assert.deepEqual(results.map((result) => driver.rules[result.ruleIndex].id), ['per-call-client', 'shutdown']);
  } finally {
    cleanup();
  }
});

function run(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('bin: a bad config exits 2 and says which file, key and value', () => {
  const { dir, cleanup } = tempDir({ 'leakhound.config.json': '{ "replicas": 0, "rules": { "per-call-clients": "off" } }' });
  try {
    const { code, stderr, stdout } = run(['scan', '.'], dir);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^leakhound: leakhound\.config\.json: rules\."per-call-clients" is not a rule; did you mean "per-call-client"\?$/m);
    assert.match(stderr, /^leakhound\.config\.json: replicas: expected a positive integer, got 0$/m);
    assert.match(stderr, /^hint: /m);
    writeFileSync(join(dir, 'leakhound.config.json'), '{\n  "replicas": 2,\n}');
    assert.match(run(['scan', '.'], dir).stderr, /leakhound\.config\.json:2:16: invalid JSON: trailing comma/);
  } finally {
    cleanup();
  }
});

test('bin: bad CI options exit 2 before scanning', () => {
  const cases: [string[], RegExp][] = [
    [['--fail-on', 'sometimes'], /unknown --fail-on level: sometimes\nhint: --fail-on takes one of: error, warning, never/],
    [['--replicas', '0'], /--replicas needs a positive integer, got '0'/],
    [['--max-connections', 'many'], /--max-connections needs a positive integer, got 'many'/],
    [['--cpus', '1.5'], /--cpus needs a positive integer, got '1\.5'/],
    [['--config', 'nope.json'], /config file not found: .*nope\.json/],
    [['--baseline', 'nope.json'], /baseline not found: .*nope\.json\nhint: create it with `leakhound scan --write-baseline`/],
    [['--format', 'xml'], /unknown format: xml\nhint: --format takes one of: pretty, json, markdown, sarif/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = run(['scan', join(FIXTURES, 'import-shapes'), '--no-git', ...args]);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, message);
  }
});

test('bin on a fixture: the exit code follows the findings, --fail-on never exits 0, --format sarif is valid', () => {
  const fixture = join(FIXTURES, 'import-shapes');
  const all = run(['scan', fixture, '--no-git', '-f', 'json', '--fail-on', 'never']);
  assert.equal(all.code, 0);
  const findings = (JSON.parse(all.stdout) as Report).findings;
  assert.equal(run(['scan', fixture, '--no-git', '-f', 'json']).code, findings.some((f) => f.severity === 'error') ? 1 : 0);

  const sarif = run(['scan', fixture, '--no-git', '-f', 'sarif', '--fail-on', 'never']);
  assert.equal(sarif.code, 0);
  const log = JSON.parse(sarif.stdout);
  assert.equal(log.version, '2.1.0');
  assertValidSarif(log);
  assert.equal(log.runs[0].results.length, findings.length);
});

test('bin on a fixture: config in the scanned directory or package.json applies; every rule off means no findings', () => {
  const { dir, cleanup } = copyFixture('import-shapes');
  try {
    const off = Object.fromEntries(RULE_IDS.map((id) => [id, 'off']));
    writeFileSync(join(dir, 'leakhound.config.json'), JSON.stringify({ rules: off, ignore: ['src/routes/'] }));
    const quiet = run(['scan', dir, '--no-git', '-f', 'json']);
    assert.equal(quiet.code, 0);
    const report = JSON.parse(quiet.stdout) as Report;
    assert.deepEqual(report.findings, []);
    assert.ok(report.clients.length > 0 && !report.clients.some((site) => site.file.startsWith('src/routes/')));

    rmSync(join(dir, 'leakhound.config.json'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'import-shapes', type: 'module', leakhound: { testPatterns: ['*.tsx'] } }));
    const tests = (JSON.parse(run(['scan', dir, '--no-git', '-f', 'json', '--fail-on', 'never']).stdout) as Report).clients.filter((site) => site.inTest);
    assert.deepEqual(tests.map((site) => site.file), ['src/component.tsx']);
  } finally {
    cleanup();
  }
});

test('bin on a fixture: write a baseline, then only a new problem fails', () => {
  const { dir, cleanup } = copyFixture('import-shapes');
  try {
    const written = run(['scan', dir, '--no-git', '--write-baseline']);
    assert.equal(written.code, 0);
    assert.match(written.stderr, /baseline written to .*leakhound-baseline\.json \(\d+ findings?\)/);
    const baseline = readBaseline(join(dir, 'leakhound-baseline.json'));

    const clean = run(['scan', dir, '--no-git', '-f', 'json', '--baseline', join(dir, 'leakhound-baseline.json')]);
    assert.equal(clean.code, 0);
    assert.deepEqual((JSON.parse(clean.stdout) as Report).findings, []);
    assert.match(clean.stderr, new RegExp(`${baseline.findings.length} findings? already in the baseline`));

    writeFileSync(join(dir, 'src', 'late.ts'), "import { PrismaClient } from '@prisma/client';\nexport async function late() {\n  const db = new PrismaClient();\n  return db.user.findMany();\n}\n");
    const grown = run(['scan', dir, '--no-git', '-f', 'json', '--baseline', join(dir, 'leakhound-baseline.json')]);
    const fresh = (JSON.parse(grown.stdout) as Report).findings;
    assert.ok(fresh.length > 0, 'the new per-call client is found');
    assert.ok(fresh.every((f) => f.file === 'src/late.ts' || f.related?.some((r) => r.file === 'src/late.ts')), JSON.stringify(fresh, null, 2));
    assert.equal(grown.code, fresh.some((f) => f.severity === 'error') ? 1 : 0);
  } finally {
    cleanup();
  }
});

test('--help explains the CI options and the config file', () => {
  const help = run(['scan', '--help']).stdout;
  for (const option of ['--config', '--fail-on', '--baseline', '--write-baseline', '--replicas', '--max-connections', '--cpus', 'sarif', 'leakhound-ignore-next-line', 'leakhound.config.json']) {
    assert.ok(help.includes(option), option);
  }
  assert.match(help, /copies of the service run at once/);
  assert.match(help, /CI fails only on new ones/);
  assert.match(run(['--help']).stdout, /1 +scan found problems at or above --fail-on/);
});
