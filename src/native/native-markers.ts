/**
 * What in a package folder says "native code": compiled `.node` addons (in `build/Release`,
 * `prebuilds/<platform>-<arch>/`, node-pre-gyp's `lib/binding/…`, or a napi-rs platform
 * package's root), `binding.gyp`, WebAssembly (`.wasm`, or base64-embedded like Prisma 7's
 * query compiler), and the loaders that find or build binaries. Which binaries this machine
 * would load is read from their folder and file names, the way the loaders themselves choose.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { PackageTree, type Manifest } from './package-tree.js';
import type { NativeBinary, NativeKind } from './types.js';

/** Dependencies that find, fetch or build a package's binary. */
const LOADERS = [
  'node-gyp-build',
  'node-gyp-build-optional-packages',
  'prebuild-install',
  '@mapbox/node-pre-gyp',
  'node-pre-gyp',
  '@discordjs/node-pre-gyp',
  'bindings',
  'cmake-js',
  'pkg-prebuilds',
];

/** Below this depth nothing native hides; it bounds the walk of pathological packages. */
const MAX_DEPTH = 10;

export interface NativeMarkers {
  kinds: NativeKind[];
  loaders: string[];
  /** Absolute paths; `NativeBinary.path` is filled in by the caller. */
  binaries: (Omit<NativeBinary, 'path'> & { absolute: string })[];
}

export interface Platform {
  platform: NodeJS.Platform;
  arch: string;
  /** 'glibc' or 'musl' on Linux, null elsewhere. */
  libc: 'glibc' | 'musl' | null;
}

export function currentPlatform(): Platform {
  let libc: Platform['libc'] = null;
  if (process.platform === 'linux') {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    libc = header?.glibcVersionRuntime ? 'glibc' : 'musl';
  }
  return { platform: process.platform, arch: process.arch, libc };
}

/**
 * The native markers of the package in `dir`, or null when it has none. A napi-rs umbrella
 * package (`@node-rs/bcrypt`) has none itself: its binary is in the platform package it
 * depends on (`@node-rs/bcrypt-linux-x64-gnu`), which is reported instead.
 */
export function nativeMarkers(dir: string, manifest: Manifest | null, platform: Platform): NativeMarkers | null {
  const kinds = new Set<NativeKind>();
  const binaries: NativeMarkers['binaries'] = [];
  const packageOs = stringList(manifest?.os);
  const packageCpu = stringList(manifest?.cpu);
  const declaresPlatform = packageOs.length > 0 || packageCpu.length > 0;
  const suitsThisMachine = declaresPlatform ? matchesList(packageOs, platform.platform) && matchesList(packageCpu, platform.arch) : null;

  const visit = (folder: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const name = entry.name;
      if (entry.isDirectory()) {
        if (name === 'node_modules' || name === '.git' || depth >= MAX_DEPTH) continue;
        if (depth === 0 && name === 'prebuilds') kinds.add('prebuilds');
        visit(join(folder, name), depth + 1);
        continue;
      }
      if (!entry.isFile()) continue;
      if (depth === 0 && name === 'binding.gyp') kinds.add('binding-gyp');
      const kind = binaryKind(name);
      if (kind === null) continue;
      const absolute = join(folder, name);
      let bytes = 0;
      try {
        bytes = lstatSync(absolute).size;
      } catch {
        continue;
      }
      const relativePath = relative(dir, absolute).split(sep).join('/');
      const thisPlatform = kind === 'node' ? (suitsThisMachine ?? binaryForThisPlatform(relativePath, platform)) : true;
      binaries.push({ absolute, bytes, kind, thisPlatform });
      kinds.add(kind === 'node' ? 'node-binary' : 'wasm');
    }
  };
  visit(dir, 0);

  if (manifest?.gypfile === true) kinds.add('binding-gyp');
  const dependencies = new Set([...PackageTree.dependencies(manifest, 'dependencies'), ...PackageTree.dependencies(manifest, 'optionalDependencies')]);
  const loaders = LOADERS.filter((loader) => dependencies.has(loader));
  // node-pre-gyp packages name their binary in package.json's `binary` field (other tools
  // use the field for N-API version lists only).
  if (isPreGypBinaryField(manifest?.binary) && loaders.length === 0) loaders.push('node-pre-gyp (binary field)');
  if (declaresPlatform && binaries.some((binary) => binary.kind === 'node')) kinds.add('platform-package');
  if (loaders.length > 0) kinds.add('loader');

  // A loader without a binary is native code that is expected but missing (an install
  // script that did not run); a loader alone with nothing to load (wasm-only) is not native.
  const native = binaries.length > 0 || kinds.has('binding-gyp') || kinds.has('prebuilds') || loaders.length > 0;
  if (!native) return null;
  binaries.sort((a, b) => (a.absolute < b.absolute ? -1 : a.absolute > b.absolute ? 1 : 0));
  return { kinds: KIND_ORDER.filter((kind) => kinds.has(kind)), loaders, binaries };
}

const KIND_ORDER: NativeKind[] = ['node-binary', 'platform-package', 'prebuilds', 'binding-gyp', 'loader', 'wasm'];

function binaryKind(name: string): NativeBinary['kind'] | null {
  if (name.endsWith('.node')) return 'node';
  if (name.endsWith('.wasm')) return 'wasm';
  if (/\.wasm-base64\.[cm]?js$/.test(name)) return 'wasm-base64';
  return null;
}

const PLATFORM_TOKENS: Record<string, NodeJS.Platform> = {
  linux: 'linux',
  darwin: 'darwin',
  macos: 'darwin',
  osx: 'darwin',
  win32: 'win32',
  windows: 'win32',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
  android: 'android',
  sunos: 'sunos',
  aix: 'aix',
  // Prisma ≤ 6 engines: libquery_engine-debian-openssl-3.0.x.so.node, -darwin.dylib.node.
  debian: 'linux',
  rhel: 'linux',
  linuxmusl: 'linux',
};
const ARCH_TOKENS: Record<string, string> = {
  x64: 'x64',
  x86_64: 'x64',
  amd64: 'x64',
  arm64: 'arm64',
  aarch64: 'arm64',
  ia32: 'ia32',
  x86: 'ia32',
  i386: 'ia32',
  arm: 'arm',
  armv7: 'arm',
  armv7l: 'arm',
  armhf: 'arm',
  s390x: 's390x',
  ppc64: 'ppc64',
  ppc64le: 'ppc64',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

/**
 * Whether a `.node` file at `path` (relative to its package) is for this machine: `build/`
 * output is; otherwise the platform, architecture and libc named in its folders and file name
 * decide (`prebuilds/linux-x64/x.musl.node`, `lib/binding/napi-v6-darwin-arm64/`,
 * `parser.linux-x64-gnu.node`, `libquery_engine-debian-openssl-3.0.x.so.node`). Null when
 * nothing in the path says.
 */
export function binaryForThisPlatform(path: string, platform: Platform): boolean | null {
  const segments = path.split('/');
  if (segments[0] === 'build' || segments.includes('Release') || segments.includes('Debug')) return true;
  const tokens = path.toLowerCase().split(/[/._+-]+/);
  let os: NodeJS.Platform | null = null;
  let arch: string | null = null;
  let libc: 'glibc' | 'musl' | null = null;
  tokens.forEach((token, index) => {
    os ??= PLATFORM_TOKENS[token] ?? null;
    arch ??= ARCH_TOKENS[token] ?? null;
    if (token === 'musl' || token === 'linuxmusl' || token === 'alpine') libc = 'musl';
    if ((token === 'gnu' || token === 'glibc') && libc === null) libc = 'glibc';
    // `x86_64` splits into `x86` and `64`.
    if (token === 'x86' && tokens[index + 1] === '64') arch = 'x64';
  });
  if (path.endsWith('.so.node')) os ??= 'linux';
  if (path.endsWith('.dylib.node')) os ??= 'darwin';
  if (path.endsWith('.dll.node')) os ??= 'win32';
  if (os === null && arch === null) return null;
  if (os !== null && os !== platform.platform) return false;
  if (arch !== null && arch !== platform.arch) return false;
  if (libc !== null && platform.libc !== null && libc !== platform.libc) return false;
  return true;
}

function isPreGypBinaryField(value: unknown): boolean {
  return value !== null && typeof value === 'object' && ('module_name' in value || 'module_path' in value);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** npm's `os`/`cpu` semantics: an empty list allows all, `!x` excludes x. */
function matchesList(list: string[], value: string): boolean {
  if (list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const positive = list.filter((item) => !item.startsWith('!'));
  return positive.length === 0 || positive.includes(value);
}
