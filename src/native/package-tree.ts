/**
 * The installed dependencies of a project, as Node would find them. npm, Yarn classic and Bun
 * hoist packages into `node_modules` folders; pnpm keeps real folders in `node_modules/.pnpm`
 * and links them; workspaces link their packages into the root. One rule covers them all:
 * a dependency `d` of a package is the first `node_modules/d` found walking up from the
 * package's real folder — Node's own resolution. Listing each `node_modules` folder once and
 * answering every lookup from that listing keeps a 1,500-package tree well under a second.
 */
import { readdirSync, readFileSync, realpathSync, type Dirent } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../core/walk.js';
import type { NativeWarning } from './types.js';

/** The parts of a package.json leakhound reads. */
export interface Manifest {
  name?: unknown;
  version?: unknown;
  main?: unknown;
  exports?: unknown;
  type?: unknown;
  dependencies?: unknown;
  optionalDependencies?: unknown;
  peerDependencies?: unknown;
  devDependencies?: unknown;
  gypfile?: unknown;
  binary?: unknown;
  os?: unknown;
  cpu?: unknown;
  libc?: unknown;
  workspaces?: unknown;
  scripts?: unknown;
}

export interface InstalledPackage {
  /** The name it is installed under: the folder name, with its scope. */
  name: string;
  /** Real absolute folder. */
  dir: string;
  /** Null when package.json is missing or broken (a warning says which). */
  manifest: Manifest | null;
}

export type DependencyList = 'dependencies' | 'optionalDependencies' | 'peerDependencies' | 'devDependencies';

/** Folders inside `node_modules` that hold tooling state, not packages. */
const NOT_PACKAGES = new Set(['.bin', '.cache', '.pnpm', '.vite', '.vite-temp', '.modules.yaml', '.package-lock.json', '.yarn-integrity', '.yarn-state.yml', '.staging']);

/**
 * A `node_modules` entry: where it is, and its real path when that is known without asking
 * the file system (an entry that is not a link, in a folder whose real path is known).
 */
interface Entry {
  path: string;
  real: string | null;
}

export class PackageTree {
  readonly warnings: NativeWarning[] = [];
  private readonly listings = new Map<string, Map<string, Entry> | null>();
  private readonly packages = new Map<string, InstalledPackage | null>();
  private readonly warned = new Set<string>();

  /** @param relativeTo paths in warnings are relative to this folder */
  constructor(private readonly relativeTo: (absolute: string) => string) {}

  /** Every package installed below `dir`'s `node_modules`, nested and pnpm-stored ones included. */
  installedBelow(dir: string): InstalledPackage[] {
    const found = new Map<string, InstalledPackage>();
    const containers = [join(dir, 'node_modules')];
    const seenContainers = new Set<string>();
    while (containers.length > 0) {
      const container = containers.pop()!;
      if (seenContainers.has(container)) continue;
      seenContainers.add(container);
      const listing = this.listing(container);
      if (!listing) continue;
      for (const entry of listing.values()) {
        const installed = this.packageAt(entry);
        if (!installed || found.has(installed.dir)) continue;
        found.set(installed.dir, installed);
        containers.push(join(installed.dir, 'node_modules'));
      }
      // pnpm's store: `.pnpm/<name>@<version>/node_modules/<name>` is the real folder.
      for (const store of this.pnpmStoreFolders(container)) containers.push(store);
    }
    return [...found.values()];
  }

  /** The package `name` as `from` (a real package folder) would load it, or null. */
  resolve(from: string, name: string): InstalledPackage | null {
    let dir = from;
    for (;;) {
      // Node does not look in `node_modules/node_modules`.
      if (basename(dir) !== 'node_modules') {
        const entry = this.listing(join(dir, 'node_modules'))?.get(name);
        if (entry) return this.packageAt(entry);
      }
      const parent = dirname(dir);
      if (parent === dir) return null;
      dir = parent;
    }
  }

  /** The dependencies a manifest lists in `list`, as name → version range. */
  static dependencies(manifest: Manifest | null, list: DependencyList): string[] {
    const value = manifest?.[list];
    return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  }

  /** Reads `dir/package.json`; null (and a warning) when it is missing or not JSON. */
  readManifest(dir: string): Manifest | null {
    const file = join(dir, 'package.json');
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Manifest;
      this.warn('package-json', file, 'package.json is not a JSON object; the package is listed without its dependencies');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') this.warn('package-json', dir, 'no package.json: a partial or interrupted install? Its dependencies are not followed');
      else if (code === 'EACCES' || code === 'EPERM') this.warn('permission', file, `cannot read package.json: ${errorMessage(error)}`);
      else this.warn('package-json', file, `package.json cannot be parsed (${errorMessage(error)}); its dependencies are not followed`);
    }
    return null;
  }

  /** The entries of one `node_modules` folder, scoped packages flattened to `@scope/name`. */
  private listing(container: string): Map<string, Entry> | null {
    let listing = this.listings.get(container);
    if (listing !== undefined) return listing;
    listing = null;
    const entries = this.readDir(container);
    if (entries) {
      listing = new Map();
      // One realpath per folder instead of one per package (pnpm links, linked workspaces).
      let real: string | null = null;
      try {
        real = realpathSync(container);
      } catch {
        // Resolved entry by entry below.
      }
      for (const entry of entries) {
        const name = entry.name;
        if (NOT_PACKAGES.has(name) || (!entry.isDirectory() && !entry.isSymbolicLink())) continue;
        // `@scope/*` and Prisma ≤ 6's generated `.prisma/client` are one level further down.
        if (name.startsWith('@') || name === '.prisma') {
          for (const scoped of this.readDir(join(container, name)) ?? []) {
            if (scoped.isDirectory() || scoped.isSymbolicLink()) {
              const known = entry.isDirectory() && scoped.isDirectory();
              listing.set(`${name}/${scoped.name}`, { path: join(container, name, scoped.name), real: real !== null && known ? join(real, name, scoped.name) : null });
            }
          }
        } else if (!name.startsWith('.')) {
          listing.set(name, { path: join(container, name), real: real !== null && entry.isDirectory() ? join(real, name) : null });
        }
      }
    }
    this.listings.set(container, listing);
    return listing;
  }

  private pnpmStoreFolders(container: string): string[] {
    const store = join(container, '.pnpm');
    const folders: string[] = [];
    for (const entry of this.readDir(store) ?? []) {
      if (entry.isDirectory()) folders.push(join(store, entry.name, 'node_modules'));
    }
    return folders;
  }

  private packageAt(entry: Entry): InstalledPackage | null {
    let dir = entry.real ?? entry.path;
    try {
      // Links are resolved (pnpm, workspaces).
      if (entry.real === null) dir = realpathSync(entry.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') this.warn('symlink', entry.path, 'dangling symlink: it points to a folder that does not exist');
      else if (code === 'ELOOP') this.warn('symlink', entry.path, 'symlink loop');
      else this.warn('permission', entry.path, `cannot follow: ${errorMessage(error)}`);
      return null;
    }
    const cached = this.packages.get(dir);
    if (cached !== undefined) return cached;
    const name = installedName(entry.path);
    const installed: InstalledPackage = { name, dir, manifest: this.readManifest(dir) };
    this.packages.set(dir, installed);
    return installed;
  }

  private readDir(dir: string): Dirent[] | null {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') this.warn('permission', dir, `cannot list: ${errorMessage(error)}`);
      else if (code !== 'ENOENT' && code !== 'ENOTDIR') this.warn('layout', dir, `cannot list: ${errorMessage(error)}`);
      return null;
    }
  }

  warn(kind: NativeWarning['kind'], absolutePath: string | null, message: string): void {
    const key = `${kind}\0${absolutePath}\0${message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warnings.push({ kind, path: absolutePath === null ? null : this.relativeTo(absolutePath), message });
  }
}

/** `…/node_modules/@scope/name` → `@scope/name`; `…/node_modules/name` → `name`. */
export function installedName(path: string): string {
  const name = basename(path);
  const parent = basename(dirname(path));
  return parent.startsWith('@') || parent === '.prisma' ? `${parent}/${name}` : name;
}

export function manifestString(manifest: Manifest | null, key: 'name' | 'version' | 'main' | 'type'): string | null {
  const value = manifest?.[key];
  return typeof value === 'string' ? value : null;
}
