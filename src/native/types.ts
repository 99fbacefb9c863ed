/**
 * The vocabulary of `leakhound native`: which installed packages carry native code, how the
 * application reaches them, and what loading one really costs. `NativeInventory` is what
 * `leakhound native --format json` prints and what `scan --native` adds to the scan report
 * under `native`; like the scan report it only ever grows.
 */

/** How a package carries or obtains native code. */
export type NativeKind =
  /** A compiled Node-API / NAN addon (`*.node`) is on disk. */
  | 'node-binary'
  /** `binding.gyp` or `"gypfile": true`: compiled from source at install time. */
  | 'binding-gyp'
  /** A `prebuilds/<platform>-<arch>/` folder of binaries for several platforms. */
  | 'prebuilds'
  /** A loader that finds or fetches a binary at run or install time (node-gyp-build, prebuild-install, node-pre-gyp, bindings). */
  | 'loader'
  /** A napi-rs style package per platform (`os`/`cpu` in package.json, a `.node` as main). */
  | 'platform-package'
  /** WebAssembly: `.wasm` files, or wasm embedded as base64 JavaScript (Prisma 7's query compiler). */
  | 'wasm';

export type NativeCategory = 'database' | 'crypto' | 'network' | 'compression' | 'image' | 'monitoring' | 'build-tool' | 'other';

/** One native file of a package. */
export interface NativeBinary {
  /** Relative to the project root, forward slashes. */
  path: string;
  bytes: number;
  kind: 'node' | 'wasm' | 'wasm-base64';
  /**
   * Whether this machine can load it: true for `build/Release` binaries and prebuilds or
   * platform packages for this platform and architecture, false for other platforms' prebuilds,
   * null when the file does not say.
   */
  thisPlatform: boolean | null;
}

/** A direct dependency of the application through which it reaches a native package. */
export interface NativeVia {
  /** The direct dependency's name, as listed in package.json. */
  dependency: string;
  /** The package.json that lists it, relative to the root ('package.json', 'apps/web/package.json'). */
  declaredIn: string;
  /** Which list it is in. */
  type: 'dependencies' | 'optionalDependencies' | 'peerDependencies' | 'devDependencies';
  /** The shortest chain of installed packages from the direct dependency to the native one, both included. */
  chain: string[];
}

/** What loading a package measured, medians over the runs that loaded it. */
export interface NativeMeasurement {
  status: 'loaded' | 'threw' | 'crashed' | 'timeout';
  /** How many fresh processes were started for it. */
  runs: number;
  /** Deltas in bytes, from before the require/import to after it and a full GC. Null unless loaded. */
  rssBytes: number | null;
  heapUsedBytes: number | null;
  externalBytes: number | null;
  arrayBuffersBytes: number | null;
  /** Wall time of the require/import itself. */
  loadMs: number | null;
  /** Shared objects the load mapped into the process (`process.report`), with their size on disk. */
  sharedObjects: { path: string; bytes: number | null }[];
  /** How it was loaded: `require`, `import`, or the binaries themselves when the entry could not be loaded. */
  loadedWith: 'require' | 'import' | 'binary' | null;
  /** Why it did not load: the error, the exit code or signal, or the time limit. */
  error: string | null;
}

/** One installed package that carries native code. */
export interface NativeAddon {
  /** The name it is installed under (an npm alias or `.prisma/client` included). */
  name: string;
  /** package.json's `name` when it differs from `name`. */
  packageName?: string;
  version: string | null;
  /** Its folder relative to the project root (the real folder for pnpm's symlinked layout). */
  path: string;
  kinds: NativeKind[];
  /** Loaders it depends on or runs: node-gyp-build, prebuild-install, @mapbox/node-pre-gyp, bindings, napi-rs. */
  loaders: string[];
  binaries: NativeBinary[];
  /** All native files on disk, every platform included. */
  binaryBytes: number;
  /** Native files this machine would load (`thisPlatform` true). */
  loadableBytes: number;
  /** Reachable from `dependencies` (or optional/peer) of the application or one of its workspaces. */
  production: boolean;
  /** Reachable from `devDependencies`. */
  dev: boolean;
  /** The direct dependencies that pull it in (itself when it is one). */
  via: NativeVia[];
  /** Installed packages that depend on it directly. */
  dependents: string[];
  category: NativeCategory;
  /** What it typically holds in memory, from leakhound's catalog; null when it is not in it. */
  note: string | null;
  measured?: NativeMeasurement;
}

export interface HeapSnapshotFile {
  /** Relative to the project root. */
  file: string;
  bytes: number;
}

export type NativeWarningKind = 'package-json' | 'symlink' | 'permission' | 'missing-dependency' | 'layout' | 'measure';

export interface NativeWarning {
  kind: NativeWarningKind;
  /** Relative to the project root, when the warning is about one path. */
  path: string | null;
  message: string;
}

/** How the dependencies are installed. */
export type InstallLayout = 'npm' | 'pnpm' | 'yarn-classic' | 'yarn-pnp' | 'bun' | 'none';

export interface NativeInventory {
  /** Absolute path of the project. */
  root: string;
  layout: InstallLayout;
  /** Workspace packages found (relative folders), the root excluded. */
  workspaces: string[];
  addons: NativeAddon[];
  heapSnapshots: HeapSnapshotFile[];
  warnings: NativeWarning[];
  summary: {
    /** Installed packages looked at. */
    packages: number;
    addons: number;
    productionAddons: number;
    /** Sum of `binaryBytes`. */
    binaryBytes: number;
    /** Sum of `loadableBytes` over production addons. */
    productionLoadableBytes: number;
    heapSnapshotBytes: number;
    /** Sum of the measured RSS deltas of production addons, each loaded alone, when measured. */
    measuredRssBytes: number | null;
    durationMs: number;
  };
}
