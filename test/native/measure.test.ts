import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanNativeAddons } from '../../src/native/inventory.js';
import { repoRoot } from '../helpers/paths.js';
import { link, tempProject, writePackage } from './trees.js';

/** The real addons installed as devDependencies of this repository (N-API prebuilds, no compiler needed). */
const installed = join(repoRoot, 'node_modules');
const bcryptPlatform = existsSync(join(installed, '@node-rs'))
  ? readdirSync(join(installed, '@node-rs')).find((name) => name.startsWith('bcrypt-'))
  : undefined;

test('--measure loads real addons in fresh processes; a package that throws, crashes or hangs is reported and the rest go on', { timeout: 120_000 }, async (t) => {
  if (!existsSync(join(installed, 'bufferutil')) || !bcryptPlatform) return t.skip('bufferutil / @node-rs/bcrypt are not installed (npm install)');
  const root = tempProject(t);
  writePackage(root, 'app', {
    dependencies: { bufferutil: '^4', '@node-rs/bcrypt': '^2', thrower: '1', crasher: '1', hanger: '1', 'esm-addon': '1' },
  });
  link(join(installed, 'bufferutil'), join(root, 'node_modules/bufferutil'));
  link(join(installed, '@node-rs/bcrypt'), join(root, 'node_modules/@node-rs/bcrypt'));
  link(join(installed, '@node-rs', bcryptPlatform), join(root, 'node_modules/@node-rs', bcryptPlatform));
  const native = { 'binding.gyp': '{}' };
  writePackage(join(root, 'node_modules/thrower'), 'thrower', { main: 'index.js', files: { ...native, 'index.js': "throw new Error('libfoo.so.1: cannot open shared object file');\n" } });
  writePackage(join(root, 'node_modules/crasher'), 'crasher', { main: 'index.js', files: { ...native, 'index.js': "console.error('fatal: corrupted heap');\nprocess.abort();\n" } });
  writePackage(join(root, 'node_modules/hanger'), 'hanger', { main: 'index.js', files: { ...native, 'index.js': 'for (;;) {}\n' } });
  writePackage(join(root, 'node_modules/esm-addon'), 'esm-addon', {
    type: 'module',
    exports: { '.': { import: './index.js' } },
    files: { ...native, 'index.js': "export const big = new ArrayBuffer(8 * 1024 * 1024);\nconsole.log('noise on stdout does not matter');\n" },
  });

  const progress: string[] = [];
  const inventory = await scanNativeAddons({
    root,
    useGit: false,
    measure: { runs: 2, timeoutMs: 4000, onProgress: (done, total, name) => progress.push(`${done}/${total} ${name}`) },
  });
  const measured = (name: string) => {
    const found = inventory.addons.find((addon) => addon.name === name);
    assert.ok(found?.measured, `${name} was not measured`);
    return found.measured;
  };

  const bufferutil = measured('bufferutil');
  assert.equal(bufferutil.status, 'loaded', bufferutil.error ?? '');
  assert.equal(bufferutil.runs, 2);
  assert.equal(bufferutil.loadedWith, 'require');
  assert.ok(bufferutil.sharedObjects.some((object) => object.path.endsWith('bufferutil.node') && (object.bytes ?? 0) > 0), JSON.stringify(bufferutil.sharedObjects));
  for (const key of ['rssBytes', 'heapUsedBytes', 'externalBytes', 'arrayBuffersBytes'] as const) assert.equal(typeof bufferutil[key], 'number');

  const bcrypt = measured(`@node-rs/${bcryptPlatform}`);
  assert.equal(bcrypt.status, 'loaded', bcrypt.error ?? '');
  assert.ok(bcrypt.sharedObjects.some((object) => object.path.endsWith('.node')));
  // Mapping a 0.5 MB shared library shows in RSS.
  assert.ok((bcrypt.rssBytes ?? 0) > 0, `rss delta ${bcrypt.rssBytes}`);

  const esm = measured('esm-addon');
  assert.equal(esm.status, 'loaded', esm.error ?? '');
  assert.ok(esm.loadedWith === 'import' || esm.loadedWith === 'require', `${esm.loadedWith}`);
  // The module keeps an 8 MB ArrayBuffer alive: the measurement must see it.
  assert.ok((esm.arrayBuffersBytes ?? 0) >= 8 * 1024 * 1024, `arrayBuffers delta ${esm.arrayBuffersBytes}`);

  const thrower = measured('thrower');
  assert.equal(thrower.status, 'threw');
  assert.match(thrower.error ?? '', /libfoo\.so\.1/);
  assert.equal(thrower.rssBytes, null);

  const crasher = measured('crasher');
  assert.equal(crasher.status, 'crashed');
  assert.match(crasher.error ?? '', /SIGABRT|code 134/);
  assert.match(crasher.error ?? '', /corrupted heap/);
  assert.equal(crasher.runs, 1, 'a crash is not retried');

  const hanger = measured('hanger');
  assert.equal(hanger.status, 'timeout');
  assert.match(hanger.error ?? '', /4 s/);

  assert.deepEqual(
    inventory.warnings.filter((warning) => warning.kind === 'measure').map((warning) => warning.path).sort(),
    ['node_modules/crasher', 'node_modules/hanger', 'node_modules/thrower'],
  );
  assert.equal(progress[progress.length - 1], '6/6 ');
  assert.ok((inventory.summary.measuredRssBytes ?? 0) !== 0);
});
