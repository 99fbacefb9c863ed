/** `leakhound native` and `scan --native` as users run them: the built binary, every format, exit codes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateSarif } from '../helpers/sarif-schema.js';
import { fakeBinary, tempProject, write, writePackage } from './trees.js';

const BIN = fileURLToPath(new URL('../../../bin/leakhound.js', import.meta.url));

function run(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function project(t: { after(fn: () => void): void }): string {
  const root = tempProject(t);
  writePackage(root, 'api', { dependencies: { sharp: '^0.34', 'not-built': '1' }, devDependencies: { bufferutil: '^4' } });
  writePackage(join(root, 'node_modules/sharp'), 'sharp', { version: '0.34.1', files: { 'build/Release/sharp.node': fakeBinary(4096) } });
  writePackage(join(root, 'node_modules/not-built'), 'not-built', { dependencies: { 'prebuild-install': '^7' }, files: { 'binding.gyp': '{}' } });
  writePackage(join(root, 'node_modules/prebuild-install'), 'prebuild-install');
  writePackage(join(root, 'node_modules/bufferutil'), 'bufferutil', { files: { [`prebuilds/${process.platform}-${process.arch}/bufferutil.node`]: fakeBinary(100) } });
  write(join(root, 'heap-2026-01-01.heapsnapshot'), fakeBinary(3000));
  return root;
}

test('native: pretty output groups production and dev addons, says what is missing, lists heap snapshots', (t) => {
  const root = project(t);
  const { code, stdout, stderr } = run(['native', '--no-git'], root);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^3 native packages, 2 reached from production dependencies: 4 KB of binaries this machine would load/);
  assert.match(stdout, /Loaded in production \(2\)[\s\S]*sharp@0\.34\.1  image  4 KB[\s\S]*via sharp, a direct dependency/);
  assert.match(stdout, /not-built@1\.0\.0[\s\S]*no compiled binary: its install script did not run/);
  assert.match(stdout, /Development only \(reached from devDependencies\) \(1\)\n  bufferutil@1\.0\.0/);
  assert.match(stdout, /Heap snapshots in the project \(1, 3 KB\)\n  heap-2026-01-01\.heapsnapshot/);
  assert.match(stdout, /Run with --measure/);
  assert.doesNotMatch(stdout, /\x1b\[/, 'NO_COLOR is respected');
});

test('native: json, markdown and a SARIF log that validates', (t) => {
  const root = project(t);
  const json = run(['native', root, '--format', 'json', '--no-git']);
  assert.equal(json.code, 0, json.stderr);
  const document = JSON.parse(json.stdout) as { schemaVersion: number; tool: { name: string }; addons: { name: string; production: boolean }[]; heapSnapshots: unknown[] };
  assert.equal(document.schemaVersion, 1);
  assert.equal(document.tool.name, 'leakhound');
  assert.deepEqual(document.addons.map((addon) => [addon.name, addon.production]), [['sharp', true], ['not-built', true], ['bufferutil', false]]);
  assert.equal(document.heapSnapshots.length, 1);

  const markdown = run(['native', root, '-f', 'markdown', '--no-git']);
  assert.match(markdown.stdout, /^# leakhound native/);
  assert.match(markdown.stdout, /\| `sharp@0\.34\.1` \| image \| 4 KB \| node-binary \| sharp, a direct dependency \|/);

  const sarif = run(['native', root, '-f', 'sarif', '--no-git']);
  const log = validateSarif(sarif.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
  assert.deepEqual(
    log.runs[0]!.results.map((result) => `${result.ruleId}:${result.level}`),
    ['native-addon:note', 'native-addon-not-built:warning', 'heap-snapshot:warning'],
  );
});

test('native: a project whose dependencies are not installed says so, in every format', (t) => {
  const root = tempProject(t);
  writePackage(root, 'fresh-clone', { dependencies: { sharp: '^0.34' } });
  const pretty = run(['native', root, '--no-git']);
  assert.equal(pretty.code, 0, pretty.stderr);
  assert.match(pretty.stdout, /^No native addons among 0 installed packages\n  no node_modules · 0 packages · /);
  assert.doesNotMatch(pretty.stdout, /native files on disk/, 'no size line for nothing');
  assert.match(pretty.stdout, /sharp \(dependencies\) is not installed/);
  assert.match(pretty.stdout, /no installed packages found here or in a parent folder: install the dependencies/);
  const log = validateSarif(run(['native', root, '-f', 'sarif', '--no-git']).stdout) as {
    runs: { invocations: { toolExecutionNotifications: { properties: { kind: string } }[] }[] }[];
  };
  assert.deepEqual(log.runs[0]!.invocations[0]!.toolExecutionNotifications.map((note) => note.properties.kind), ['missing-dependency', 'layout']);
});

test('scan --native adds the inventory under "native" in the scan report', (t) => {
  const root = project(t);
  write(join(root, 'src/db.ts'), "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n");
  const { code, stdout, stderr } = run(['scan', root, '--native', '-f', 'json', '--no-git', '--fail-on', 'never']);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as { clients: unknown[]; native?: { addons: { name: string }[] } };
  assert.equal(report.clients.length, 1);
  assert.deepEqual(report.native?.addons.map((addon) => addon.name), ['sharp', 'not-built', 'bufferutil']);
  const pretty = run(['scan', root, '--native', '--no-git', '--fail-on', 'never']);
  assert.match(pretty.stdout, /Native addons\n  3 native packages/);
  // A folder native cannot inventory costs the scan nothing: a warning, and the report.
  const bare = tempProject(t);
  write(join(bare, 'db.ts'), "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n");
  const bareScan = run(['scan', bare, '--native', '-f', 'json', '--no-git', '--fail-on', 'never']);
  assert.equal(bareScan.code, 0, bareScan.stderr);
  const bareReport = JSON.parse(bareScan.stdout) as { clients: unknown[]; native?: unknown; warnings: { message: string }[] };
  assert.equal(bareReport.clients.length, 1);
  assert.equal(bareReport.native, undefined);
  assert.ok(bareReport.warnings.some((warning) => /--native: .*neither a package\.json nor a node_modules/.test(warning.message)));
  const without = JSON.parse(run(['scan', root, '-f', 'json', '--no-git', '--fail-on', 'never']).stdout) as { native?: unknown };
  assert.equal(without.native, undefined);
});

test('native: usage errors exit 2 with a hint', (t) => {
  const empty = tempProject(t);
  const noProject = run(['native', empty]);
  assert.equal(noProject.code, 2);
  assert.match(noProject.stderr, /neither a package\.json nor a node_modules folder\nhint: /);
  const runsWithoutMeasure = run(['native', project(t), '--runs', '5']);
  assert.equal(runsWithoutMeasure.code, 2);
  assert.match(runsWithoutMeasure.stderr, /only apply with --measure/);
  assert.equal(run(['native', '--runs', 'x', '--measure']).code, 2);
  const file = run(['native', join(project(t), 'package.json')]);
  assert.equal(file.code, 2);
  assert.match(file.stderr, /is not a directory/);
  assert.equal(run(['native', '--bogus']).code, 2);
  const help = run(['native', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--measure/);
});
