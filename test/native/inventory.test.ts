import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { scanNativeAddons } from '../../src/native/inventory.js';
import { currentPlatform } from '../../src/native/native-markers.js';
import type { NativeAddon, NativeInventory } from '../../src/native/types.js';
import { fakeBinary, link, tempProject, write, writePackage } from './trees.js';

const here = `${process.platform}-${process.arch}`;
/** A platform-arch pair that is not this machine's. */
const elsewhere = process.platform === 'win32' ? 'darwin-arm64' : 'win32-ia32';

function addon(inventory: NativeInventory, name: string): NativeAddon {
  const found = inventory.addons.find((item) => item.name === name);
  assert.ok(found, `${name} is not in the inventory: ${inventory.addons.map((item) => item.name).join(', ')}`);
  return found;
}

test('npm layout: addons found by their markers, production vs dev vs extraneous, the direct dependency that pulls each in', async (t) => {
  const root = tempProject(t);
  const nm = join(root, 'node_modules');
  writePackage(root, 'app', {
    dependencies: { 'better-sqlite3': '^12', wrapper: '^1', '@node-rs/bcrypt': '^2', orm: '^1', '@prisma/client': '^7', 'not-installed': '^1' },
    devDependencies: { devtool: '^1' },
  });
  writePackage(join(nm, 'better-sqlite3'), 'better-sqlite3', {
    version: '12.1.0',
    dependencies: { bindings: '^1', 'prebuild-install': '^7' },
    files: { 'binding.gyp': '{}', 'build/Release/better_sqlite3.node': fakeBinary(1000), 'lib/index.js': '' },
  });
  writePackage(join(nm, 'bindings'), 'bindings', { files: { 'bindings.js': '' } });
  writePackage(join(nm, 'prebuild-install'), 'prebuild-install', { files: { 'index.js': '' } });
  // A nested install: wrapper needs a version of nested-addon that is not hoisted.
  writePackage(join(nm, 'wrapper'), 'wrapper', { dependencies: { 'nested-addon': '^2', plain: '^1' } });
  writePackage(join(nm, 'wrapper/node_modules/nested-addon'), 'nested-addon', {
    version: '2.0.0',
    dependencies: { 'node-gyp-build': '^4' },
    files: {
      [`prebuilds/${here}/nested.node`]: fakeBinary(300),
      [`prebuilds/${here}/nested.musl.node`]: fakeBinary(100),
      [`prebuilds/${elsewhere}/nested.node`]: fakeBinary(200),
    },
  });
  writePackage(join(nm, 'node-gyp-build'), 'node-gyp-build', { files: { 'index.js': '' } });
  writePackage(join(nm, 'plain'), 'plain', { files: { 'index.js': '', 'lib/deep/more.js': '' } });
  // napi-rs: the umbrella package has no binary; the platform package for this machine has.
  writePackage(join(nm, '@node-rs/bcrypt'), '@node-rs/bcrypt', {
    optionalDependencies: { [`@node-rs/bcrypt-${here}`]: '2.0.0', [`@node-rs/bcrypt-${elsewhere}`]: '2.0.0' },
    files: { 'index.js': '' },
  });
  writePackage(join(nm, `@node-rs/bcrypt-${here}`), `@node-rs/bcrypt-${here}`, {
    os: [process.platform],
    cpu: [process.arch],
    main: `bcrypt.${here}.node`,
    files: { [`bcrypt.${here}.node`]: fakeBinary(500) },
  });
  // An optional peer is the application's choice: orm does not pull better-sqlite3 in.
  writePackage(join(nm, 'orm'), 'orm', { peerDependencies: { 'better-sqlite3': '*' }, peerDependenciesMeta: { 'better-sqlite3': { optional: true } } });
  // Prisma 7: wasm embedded as base64 in @prisma/client, the generated client in .prisma/client.
  writePackage(join(nm, '@prisma/client'), '@prisma/client', { version: '7.10.0', files: { 'runtime/query_compiler_fast_bg.postgresql.wasm-base64.js': fakeBinary(900) } });
  writePackage(join(nm, '.prisma/client'), 'prisma-client-abc123', { files: { 'query_compiler_fast_bg.wasm': fakeBinary(800) } });
  writePackage(join(nm, 'devtool'), 'devtool', { dependencies: { 'wasm-thing': '^1' } });
  writePackage(join(nm, 'wasm-thing'), 'wasm-thing', { files: { 'dist/thing.wasm': fakeBinary(700) } });
  writePackage(join(nm, 'leftover-addon'), 'leftover-addon', { dependencies: { 'prebuild-install': '^7' }, files: { 'binding.gyp': '{}' } });
  // Broken pieces: no package.json, a package.json that is not JSON, a dangling link.
  write(join(nm, 'half-installed/build/Release/half.node'), fakeBinary(50));
  write(join(nm, 'bad-json/package.json'), '{ "name": "bad-json", ');
  link(join(root, 'gone'), join(nm, 'ghost'));
  // Heap snapshots in the project count; those inside node_modules do not.
  write(join(root, 'dumps/heap-1.heapsnapshot'), fakeBinary(2048));
  write(join(nm, 'plain/old.heapsnapshot'), fakeBinary(10));

  const inventory = await scanNativeAddons({ root, useGit: false });

  assert.equal(inventory.layout, 'npm');
  assert.deepEqual(
    inventory.addons.map((item) => item.name).sort(),
    ['.prisma/client', '@node-rs/bcrypt-' + here, '@prisma/client', 'better-sqlite3', 'half-installed', 'leftover-addon', 'nested-addon', 'wasm-thing'].sort(),
  );

  const sqlite = addon(inventory, 'better-sqlite3');
  assert.deepEqual(sqlite.kinds, ['node-binary', 'binding-gyp', 'loader']);
  assert.deepEqual(sqlite.loaders, ['prebuild-install', 'bindings']);
  assert.equal(sqlite.version, '12.1.0');
  assert.equal(sqlite.path, 'node_modules/better-sqlite3');
  assert.deepEqual(sqlite.binaries, [{ path: 'node_modules/better-sqlite3/build/Release/better_sqlite3.node', bytes: 1000, kind: 'node', thisPlatform: true }]);
  assert.equal(sqlite.production, true);
  assert.equal(sqlite.dev, false);
  assert.deepEqual(sqlite.via, [{ dependency: 'better-sqlite3', declaredIn: 'package.json', type: 'dependencies', chain: ['better-sqlite3'] }]);
  assert.equal(sqlite.category, 'database');
  assert.match(sqlite.note ?? '', /page cache/);

  const nested = addon(inventory, 'nested-addon');
  assert.equal(nested.path, 'node_modules/wrapper/node_modules/nested-addon');
  assert.deepEqual(nested.kinds, ['node-binary', 'prebuilds', 'loader']);
  assert.equal(nested.binaryBytes, 600);
  // This platform's glibc build only (on a musl machine, the musl one).
  assert.equal(nested.loadableBytes, currentPlatform().libc === 'musl' ? 100 : 300);
  assert.deepEqual(nested.via.map((via) => via.chain), [['wrapper', 'nested-addon']]);
  assert.deepEqual(nested.dependents, ['wrapper']);

  const bcrypt = addon(inventory, `@node-rs/bcrypt-${here}`);
  assert.deepEqual(bcrypt.kinds, ['node-binary', 'platform-package']);
  assert.equal(bcrypt.binaries[0]!.thisPlatform, true);
  assert.equal(bcrypt.category, 'crypto', 'a platform package is what its umbrella is');
  assert.deepEqual(bcrypt.via[0]!.chain, ['@node-rs/bcrypt', `@node-rs/bcrypt-${here}`]);

  const wasm = addon(inventory, 'wasm-thing');
  assert.equal(wasm.production, false);
  assert.equal(wasm.dev, true);
  assert.deepEqual(wasm.via, [{ dependency: 'devtool', declaredIn: 'package.json', type: 'devDependencies', chain: ['devtool', 'wasm-thing'] }]);
  assert.deepEqual(wasm.kinds, ['wasm']);

  const prisma = addon(inventory, '.prisma/client');
  assert.equal(prisma.packageName, 'prisma-client-abc123');
  assert.deepEqual(prisma.via[0]!.chain, ['@prisma/client', '.prisma/client'], '@prisma/client loads the generated client without declaring it');
  assert.equal(addon(inventory, '@prisma/client').binaries[0]!.kind, 'wasm-base64');

  for (const name of ['leftover-addon', 'half-installed']) {
    assert.equal(addon(inventory, name).production, false);
    assert.equal(addon(inventory, name).dev, false);
    assert.deepEqual(addon(inventory, name).via, []);
  }
  assert.deepEqual(addon(inventory, 'leftover-addon').binaries, []);
  assert.equal(addon(inventory, 'half-installed').version, null);

  assert.deepEqual(inventory.heapSnapshots, [{ file: 'dumps/heap-1.heapsnapshot', bytes: 2048 }]);
  const warnings = inventory.warnings.map((warning) => `${warning.kind} ${warning.path}`).sort();
  assert.deepEqual(warnings, [
    'missing-dependency package.json',
    'package-json node_modules/bad-json/package.json',
    'package-json node_modules/half-installed',
    'symlink node_modules/ghost',
  ]);
  assert.equal(inventory.summary.addons, 8);
  assert.equal(inventory.summary.productionAddons, 5);
  assert.equal(inventory.summary.heapSnapshotBytes, 2048);
  // Every package once: the 14 installed folders with a package.json, the broken two, less the ghost.
  assert.equal(inventory.summary.packages, 17);
});

test('pnpm layout with workspaces: real folders in the store, links resolved, the workspace that declares each dependency', async (t) => {
  const root = tempProject(t);
  const store = join(root, 'node_modules/.pnpm');
  writePackage(root, 'monorepo', { dependencies: { sharp: '^0.34' }, devDependencies: { bufferutil: '^4' } });
  write(join(root, 'pnpm-workspace.yaml'), "packages:\n  - 'packages/*'\n  # the docs site is not a workspace\n  - '!packages/docs'\n");
  writePackage(join(root, 'packages/api'), '@acme/api', { dependencies: { 'better-sqlite3': '^12', '@acme/db': 'workspace:*' } });
  writePackage(join(root, 'packages/db'), '@acme/db', { dependencies: { pg: '^8' } });
  writePackage(join(root, 'packages/docs'), '@acme/docs', {});

  const sharp = join(store, 'sharp@0.34.0/node_modules/sharp');
  const sharpPlatform = join(store, `@img+sharp-${here}@0.34.0/node_modules/@img/sharp-${here}`);
  writePackage(sharp, 'sharp', { version: '0.34.0', optionalDependencies: { [`@img/sharp-${here}`]: '0.34.0' } });
  writePackage(sharpPlatform, `@img/sharp-${here}`, { os: [process.platform], cpu: [process.arch], files: { [`lib/sharp-${here}.node`]: fakeBinary(400) } });
  link(sharpPlatform, join(store, `sharp@0.34.0/node_modules/@img/sharp-${here}`));
  link(sharp, join(root, 'node_modules/sharp'));

  const sqlite = join(store, 'better-sqlite3@12.0.0/node_modules/better-sqlite3');
  writePackage(sqlite, 'better-sqlite3', { version: '12.0.0', files: { 'binding.gyp': '{}', 'build/Release/better_sqlite3.node': fakeBinary(1000) } });
  link(sqlite, join(root, 'packages/api/node_modules/better-sqlite3'));
  link(join(root, 'packages/db'), join(root, 'packages/api/node_modules/@acme/db'));
  const pg = join(store, 'pg@8.0.0/node_modules/pg');
  writePackage(pg, 'pg', { files: { 'lib/index.js': '' } });
  link(pg, join(root, 'packages/db/node_modules/pg'));

  const bufferutil = join(store, 'bufferutil@4.0.0/node_modules/bufferutil');
  writePackage(bufferutil, 'bufferutil', { dependencies: { 'node-gyp-build': '^4' }, files: { [`prebuilds/${here}/bufferutil.node`]: fakeBinary(20) } });
  const gypBuild = join(store, 'node-gyp-build@4.0.0/node_modules/node-gyp-build');
  writePackage(gypBuild, 'node-gyp-build', {});
  link(gypBuild, join(store, 'bufferutil@4.0.0/node_modules/node-gyp-build'));
  link(bufferutil, join(root, 'node_modules/bufferutil'));
  writeFileSync(join(root, 'node_modules/.modules.yaml'), 'layoutVersion: 5\n');

  const inventory = await scanNativeAddons({ root, useGit: false });

  assert.equal(inventory.layout, 'pnpm');
  assert.deepEqual(inventory.workspaces, ['packages/api', 'packages/db']);
  assert.deepEqual(inventory.addons.map((item) => item.name).sort(), [`@img/sharp-${here}`, 'better-sqlite3', 'bufferutil'].sort());
  const platform = addon(inventory, `@img/sharp-${here}`);
  assert.equal(platform.path, `node_modules/.pnpm/@img+sharp-${here}@0.34.0/node_modules/@img/sharp-${here}`);
  assert.deepEqual(platform.via[0]!.chain, ['sharp', `@img/sharp-${here}`]);
  assert.equal(platform.category, 'image');
  const driver = addon(inventory, 'better-sqlite3');
  assert.equal(driver.production, true);
  assert.deepEqual(driver.via, [{ dependency: 'better-sqlite3', declaredIn: 'packages/api/package.json', type: 'dependencies', chain: ['better-sqlite3'] }]);
  assert.equal(addon(inventory, 'bufferutil').production, false);
  assert.equal(addon(inventory, 'bufferutil').dev, true);
  assert.deepEqual(inventory.warnings, []);
  // sharp, its platform package, better-sqlite3, pg, bufferutil and node-gyp-build; workspaces are the application.
  assert.equal(inventory.summary.packages, 6);
});

test('Yarn classic layout: hoisted packages, a workspace linked into the root, a package nested under the workspace', async (t) => {
  const root = tempProject(t);
  writePackage(root, 'shop', { private: true, workspaces: ['apps/*'] });
  write(join(root, 'yarn.lock'), '# yarn lockfile v1\n');
  write(join(root, 'node_modules/.yarn-integrity'), '{}');
  writePackage(join(root, 'apps/web'), 'web', { dependencies: { bcrypt: '^6', 'utf-8-validate': '^6' } });
  // A workspace's own binary stays the application's, not a dependency.
  write(join(root, 'apps/web/build/Release/own.node'), fakeBinary(10));
  link(join(root, 'apps/web'), join(root, 'node_modules/web'));
  writePackage(join(root, 'node_modules/bcrypt'), 'bcrypt', {
    version: '6.0.0',
    dependencies: { 'node-gyp-build': '^4', 'node-addon-api': '^8' },
    files: { 'binding.gyp': '{}', [`prebuilds/${here}/bcrypt.glibc.node`]: fakeBinary(80), [`prebuilds/${here}/bcrypt.musl.node`]: fakeBinary(70) },
  });
  writePackage(join(root, 'node_modules/node-gyp-build'), 'node-gyp-build', {});
  writePackage(join(root, 'node_modules/node-addon-api'), 'node-addon-api', { files: { 'napi.h': '' } });
  writePackage(join(root, 'apps/web/node_modules/utf-8-validate'), 'utf-8-validate', { dependencies: { 'node-gyp-build': '^4' }, files: { [`prebuilds/${here}/utf-8-validate.node`]: fakeBinary(30) } });

  const inventory = await scanNativeAddons({ root, useGit: false });

  assert.equal(inventory.layout, 'yarn-classic');
  assert.deepEqual(inventory.workspaces, ['apps/web']);
  assert.deepEqual(inventory.addons.map((item) => item.name), ['bcrypt', 'utf-8-validate']);
  const bcrypt = addon(inventory, 'bcrypt');
  assert.equal(bcrypt.loadableBytes, currentPlatform().libc === 'musl' ? 70 : 80);
  assert.deepEqual(bcrypt.via, [{ dependency: 'bcrypt', declaredIn: 'apps/web/package.json', type: 'dependencies', chain: ['bcrypt'] }]);
  assert.equal(addon(inventory, 'utf-8-validate').path, 'apps/web/node_modules/utf-8-validate');
  assert.equal(addon(inventory, 'utf-8-validate').category, 'network');
});

test("Yarn Plug'n'Play, no node_modules: a warning that says what to do, not a crash", async (t) => {
  const root = tempProject(t);
  writePackage(root, 'pnp-app', { dependencies: { sharp: '^0.34' } });
  write(join(root, '.pnp.cjs'), '');
  const inventory = await scanNativeAddons({ root, useGit: false });
  assert.equal(inventory.layout, 'yarn-pnp');
  assert.deepEqual(inventory.addons, []);
  assert.ok(inventory.warnings.some((warning) => warning.kind === 'layout' && /nodeLinker: node-modules/.test(warning.message)));
});

test('a folder with neither package.json nor node_modules is a usage error with a hint', async (t) => {
  const root = tempProject(t);
  await assert.rejects(scanNativeAddons({ root, useGit: false }), (error: unknown) => error instanceof UsageError && /package\.json/.test(error.hint ?? ''));
  await assert.rejects(scanNativeAddons({ root: join(root, 'missing'), useGit: false }), UsageError);
});
