import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogEntry } from '../../src/native/catalog.js';
import { binaryForThisPlatform, type Platform } from '../../src/native/native-markers.js';

const linuxGlibc: Platform = { platform: 'linux', arch: 'x64', libc: 'glibc' };
const linuxMusl: Platform = { platform: 'linux', arch: 'x64', libc: 'musl' };
const macArm: Platform = { platform: 'darwin', arch: 'arm64', libc: null };

test('which .node files this machine would load, read from folder and file names the way loaders choose', () => {
  const cases: [string, Platform, boolean | null][] = [
    ['build/Release/addon.node', macArm, true],
    ['lib/binding/Release/node-v115-linux-x64/addon.node', linuxGlibc, true],
    ['prebuilds/linux-x64/bufferutil.node', linuxGlibc, true],
    ['prebuilds/linux-x64/bufferutil.node', macArm, false],
    ['prebuilds/darwin-arm64/bufferutil.node', macArm, true],
    ['prebuilds/linux-x64/node.napi.musl.node', linuxGlibc, false],
    ['prebuilds/linux-x64/node.napi.musl.node', linuxMusl, true],
    ['prebuilds/linux-x64/node.napi.glibc.node', linuxMusl, false],
    ['prebuilds/linuxmusl-x64/sharp.node', linuxMusl, true],
    ['prebuilds/win32-ia32/addon.node', linuxGlibc, false],
    ['lib/binding/napi-v3-darwin-arm64/bcrypt_lib.node', macArm, true],
    ['parser.linux-x64-gnu.node', linuxGlibc, true],
    ['parser.linux-x64-musl.node', linuxGlibc, false],
    ['parser.linux-arm64-gnu.node', linuxGlibc, false],
    ['swc.linux-x86_64-gnu.node', linuxGlibc, true],
    // Prisma ≤ 6 engines name the OS family and OpenSSL, not the architecture.
    ['libquery_engine-debian-openssl-3.0.x.so.node', linuxGlibc, true],
    ['libquery_engine-darwin-arm64.dylib.node', linuxGlibc, false],
    ['query_engine-windows.dll.node', macArm, false],
    ['addon.node', linuxGlibc, null],
  ];
  for (const [path, platform, expected] of cases) {
    assert.equal(binaryForThisPlatform(path, platform), expected, `${path} on ${platform.platform}-${platform.arch}${platform.libc ? `-${platform.libc}` : ''}`);
  }
});

test('the catalog: exact names, name patterns, and platform packages through their umbrella', () => {
  assert.equal(catalogEntry('better-sqlite3', [])?.category, 'database');
  assert.equal(catalogEntry('@img/sharp-linux-x64', [])?.category, 'image');
  assert.equal(catalogEntry('@datadog/native-metrics', [])?.category, 'monitoring');
  assert.equal(catalogEntry('bufferutil', [])?.category, 'network');
  assert.equal(catalogEntry('@node-rs/argon2-linux-x64-gnu', [])?.category, 'crypto');
  assert.equal(catalogEntry('some-vendor-linux-x64', ['@node-rs/bcrypt'])?.category, 'crypto');
  assert.equal(catalogEntry('left-pad', []), null);
  // Names that merely start like a catalogued one do not match it.
  assert.equal(catalogEntry('pg-nativeish', []), null);
  assert.equal(catalogEntry('sqlite3-helpers', []), null);
});
