/**
 * `leakhound native`: the installed packages of a project that carry native code, how the
 * application reaches each one (production or dev, through which direct dependency), what
 * they weigh on disk, heap snapshot files lying in the project, and, on request, what loading
 * each addon really costs (see measure.ts).
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { discover } from '../core/discover.js';
import { UsageError } from '../errors.js';
import { catalogEntry } from './catalog.js';
import { measureAddons, type MeasureOptions } from './measure.js';
import { currentPlatform, nativeMarkers } from './native-markers.js';
import { PackageTree, manifestString, type DependencyList, type InstalledPackage } from './package-tree.js';
import type { InstallLayout, NativeAddon, NativeInventory, NativeVia } from './types.js';
import { workspaceFolders } from './workspaces.js';

export interface NativeOptions {
  /** The application's folder (where its package.json is). */
  root: string;
  /** Default true: list heap snapshot files with git's help when the root is a work tree. */
  useGit?: boolean;
  /** Load addons in child processes and measure them. */
  measure?: MeasureOptions | false;
}

/** A direct dependency of the application or one of its workspaces. */
interface DirectDependency {
  name: string;
  declaredIn: string;
  type: DependencyList;
}

const RUNTIME_LISTS: DependencyList[] = ['dependencies', 'optionalDependencies', 'peerDependencies'];

export async function scanNativeAddons(options: NativeOptions): Promise<NativeInventory> {
  const started = performance.now();
  const root = realRoot(options.root);
  const rel = (absolute: string) => relative(root, absolute).split(sep).join('/') || '.';
  const tree = new PackageTree(rel);
  const hasManifest = existsSync(join(root, 'package.json'));
  const rootManifest = hasManifest ? tree.readManifest(root) : null;
  const layout = detectLayout(root);
  if (layout === 'yarn-pnp') {
    tree.warn('layout', root, "Yarn Plug'n'Play keeps packages in zip archives, not node_modules folders; set `nodeLinker: node-modules` in .yarnrc.yml (or list them with `yarn unplug`) to inventory native addons");
  }

  const workspaces = workspaceFolders(root, rootManifest);
  const appFolders = new Set([root, ...workspaces.map((folder) => safeRealpath(join(root, folder)))]);

  // The application's direct dependencies, each resolved from the package.json that lists it.
  const directsByDir = new Map<string, DirectDependency[]>();
  const queue: InstalledPackage[] = [];
  for (const folder of ['', ...workspaces]) {
    const dir = join(root, folder);
    const manifest = folder === '' ? rootManifest : tree.readManifest(dir);
    const declaredIn = folder === '' ? 'package.json' : `${folder}/package.json`;
    for (const type of [...RUNTIME_LISTS, 'devDependencies'] as DependencyList[]) {
      for (const name of PackageTree.dependencies(manifest, type)) {
        const installed = tree.resolve(safeRealpath(dir), name);
        if (!installed) {
          if (type === 'dependencies' || type === 'devDependencies') tree.warn('missing-dependency', join(root, declaredIn), `${name} (${type}) is not installed`);
          continue;
        }
        if (appFolders.has(installed.dir)) continue;
        const list = directsByDir.get(installed.dir) ?? [];
        list.push({ name, declaredIn, type });
        directsByDir.set(installed.dir, list);
        queue.push(installed);
      }
    }
  }

  // Everything the application reaches, with who depends on whom (walked backwards for `via`).
  const packages = new Map<string, InstalledPackage>();
  const dependents = new Map<string, Set<string>>();
  while (queue.length > 0) {
    const current = queue.pop()!;
    if (packages.has(current.dir)) continue;
    packages.set(current.dir, current);
    for (const { name, type } of runtimeDependencies(current)) {
      const dependency = tree.resolve(current.dir, name);
      if (!dependency) {
        if (type === 'dependencies') tree.warn('missing-dependency', current.dir, `depends on ${name}, which is not installed`);
        continue;
      }
      if (appFolders.has(dependency.dir)) continue;
      let set = dependents.get(dependency.dir);
      if (!set) dependents.set(dependency.dir, (set = new Set()));
      set.add(current.dir);
      if (!packages.has(dependency.dir)) queue.push(dependency);
    }
  }
  // Installed but not reached (extraneous, or left by an older install) still occupy the disk.
  let installedCount = packages.size;
  for (const folder of appFolders) {
    for (const installed of tree.installedBelow(folder)) {
      if (appFolders.has(installed.dir) || packages.has(installed.dir)) continue;
      packages.set(installed.dir, installed);
      installedCount++;
    }
  }

  if (installedCount === 0 && layout !== 'yarn-pnp') {
    tree.warn('layout', null, 'no installed packages found here or in a parent folder: install the dependencies (npm install, pnpm install, yarn) and run it again');
  }

  const platform = currentPlatform();
  const addons: NativeAddon[] = [];
  for (const installed of packages.values()) {
    const markers = nativeMarkers(installed.dir, installed.manifest, platform);
    if (!markers) continue;
    const via = viaOf(installed.dir, directsByDir, dependents, packages);
    const dependentNames = [...(dependents.get(installed.dir) ?? [])].map((dir) => packages.get(dir)?.name ?? rel(dir)).sort();
    const packageName = manifestString(installed.manifest, 'name');
    // A platform package is what its umbrella package is (`@img/sharp-linux-x64` is sharp).
    const catalog = catalogEntry(installed.name, markers.kinds.includes('platform-package') ? dependentNames : []);
    const binaries = markers.binaries.map(({ absolute, ...binary }) => ({ path: rel(absolute), ...binary }));
    addons.push({
      name: installed.name,
      ...(packageName !== null && packageName !== installed.name ? { packageName } : {}),
      version: manifestString(installed.manifest, 'version'),
      path: rel(installed.dir),
      kinds: markers.kinds,
      loaders: markers.loaders,
      binaries,
      binaryBytes: binaries.reduce((sum, binary) => sum + binary.bytes, 0),
      loadableBytes: binaries.filter((binary) => binary.thisPlatform === true).reduce((sum, binary) => sum + binary.bytes, 0),
      production: via.some((entry) => entry.type !== 'devDependencies'),
      dev: via.some((entry) => entry.type === 'devDependencies'),
      via,
      dependents: dependentNames,
      category: catalog?.category ?? 'other',
      note: catalog?.note ?? null,
    });
  }
  addons.sort(
    (a, b) => Number(b.production) - Number(a.production) || b.loadableBytes - a.loadableBytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

  const discovered = await discover({ root, useGit: options.useGit, heapSnapshots: true });
  const heapSnapshots = (await discovered.heapSnapshots).map(({ file, bytes }) => ({ file, bytes }));
  const warnings = tree.warnings;

  if (options.measure) {
    const measureWarnings = await measureAddons(root, addons, packages, options.measure);
    warnings.push(...measureWarnings);
  }

  const measured = addons.filter((addon) => addon.production && addon.measured?.rssBytes != null);
  return {
    root,
    layout,
    workspaces,
    addons,
    heapSnapshots,
    warnings,
    summary: {
      packages: installedCount,
      addons: addons.length,
      productionAddons: addons.filter((addon) => addon.production).length,
      binaryBytes: addons.reduce((sum, addon) => sum + addon.binaryBytes, 0),
      productionLoadableBytes: addons.filter((addon) => addon.production).reduce((sum, addon) => sum + addon.loadableBytes, 0),
      heapSnapshotBytes: heapSnapshots.reduce((sum, snapshot) => sum + snapshot.bytes, 0),
      measuredRssBytes: measured.length === 0 ? null : measured.reduce((sum, addon) => sum + (addon.measured!.rssBytes ?? 0), 0),
      durationMs: Math.round(performance.now() - started),
    },
  };
}

/**
 * What a package needs at run time. Peer dependencies count only when they are required: npm
 * installs those, while an optional peer (typeorm's drivers) is the application's own choice,
 * reached through its own dependency. `@prisma/client` loads the client that `prisma generate`
 * writes to `.prisma/client` without declaring it.
 */
function runtimeDependencies(installed: InstalledPackage): { name: string; type: DependencyList }[] {
  const manifest = installed.manifest;
  const optionalPeers = peerMeta(manifest);
  const needed = [
    ...PackageTree.dependencies(manifest, 'dependencies').map((name) => ({ name, type: 'dependencies' as const })),
    ...PackageTree.dependencies(manifest, 'optionalDependencies').map((name) => ({ name, type: 'optionalDependencies' as const })),
    ...PackageTree.dependencies(manifest, 'peerDependencies')
      .filter((name) => !optionalPeers.has(name))
      .map((name) => ({ name, type: 'peerDependencies' as const })),
  ];
  if (installed.name === '@prisma/client') needed.push({ name: '.prisma/client', type: 'optionalDependencies' });
  return needed;
}

function peerMeta(manifest: InstalledPackage['manifest']): Set<string> {
  const meta = (manifest as { peerDependenciesMeta?: unknown } | null)?.peerDependenciesMeta;
  if (!meta || typeof meta !== 'object') return new Set();
  return new Set(Object.entries(meta as Record<string, unknown>).filter(([, value]) => (value as { optional?: unknown } | null)?.optional === true).map(([name]) => name));
}

/**
 * The direct dependencies through which the application reaches `target`, each with the
 * shortest chain of packages: a breadth-first walk backwards along "is depended on by".
 */
function viaOf(
  target: string,
  directsByDir: Map<string, DirectDependency[]>,
  dependents: Map<string, Set<string>>,
  packages: Map<string, InstalledPackage>,
): NativeVia[] {
  const via: NativeVia[] = [];
  const next = new Map<string, string | null>([[target, null]]);
  const queue = [target];
  for (let index = 0; index < queue.length; index++) {
    const dir = queue[index]!;
    for (const direct of directsByDir.get(dir) ?? []) {
      const chain: string[] = [];
      for (let step: string | null = dir; step !== null; step = next.get(step) ?? null) chain.push(packages.get(step)?.name ?? step);
      via.push({ dependency: direct.name, declaredIn: direct.declaredIn, type: direct.type, chain });
    }
    for (const dependent of dependents.get(dir) ?? []) {
      if (next.has(dependent)) continue;
      next.set(dependent, dir);
      queue.push(dependent);
    }
  }
  return via;
}

function detectLayout(root: string): InstallLayout {
  if (existsSync(join(root, '.pnp.cjs')) || existsSync(join(root, '.pnp.js'))) return 'yarn-pnp';
  if (!existsSync(join(root, 'node_modules'))) return 'none';
  if (existsSync(join(root, 'node_modules', '.pnpm'))) return 'pnpm';
  if (existsSync(join(root, 'node_modules', '.yarn-integrity')) || existsSync(join(root, 'node_modules', '.yarn-state.yml'))) return 'yarn-classic';
  if (existsSync(join(root, 'bun.lockb')) || existsSync(join(root, 'bun.lock'))) return 'bun';
  if (existsSync(join(root, 'yarn.lock')) && !existsSync(join(root, 'package-lock.json'))) return 'yarn-classic';
  return 'npm';
}

function realRoot(root: string): string {
  const absolute = resolve(root);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    throw new UsageError(`no such directory: ${root}`, 'give the folder of your application (where its package.json is)');
  }
  if (!statSync(real).isDirectory()) {
    throw new UsageError(`${root} is not a directory`, 'give the folder of your application (where its package.json is)');
  }
  if (!existsSync(join(real, 'package.json')) && !existsSync(join(real, 'node_modules'))) {
    throw new UsageError(`${root} has neither a package.json nor a node_modules folder`, 'run it in the folder of your application, where its package.json is');
  }
  return real;
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

