/**
 * The specifier a file would write to import the shared module: the workspace package's name
 * when the module belongs to another package of the monorepo that exports it (`@acme/db`), its
 * tsconfig `paths` alias when the file already imports through it (`@/lib/prisma`), else a
 * relative path spelled the way the file spells its other relative imports (`.js` under
 * NodeNext, `.ts`, or none).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { getTsconfig } from 'get-tsconfig';
import { relativeImportHabit, type ImportExtension } from './style.js';

export interface ImportPathContext {
  root: string;
  /** What most files with sites do, for a file with no relative import of its own. */
  projectHabit: ImportExtension | null;
  /** Is the package ESM (`"type": "module"`)? ESM JavaScript needs extensions. */
  packageIsModule: boolean;
  /**
   * Whether the workspace package whose entry file is given exports the shared client under
   * its export name (directly, or through `export … from` / `export *` of the shared module).
   */
  entryExportsShared?: (entryFile: string) => boolean;
  /** package.json files read so far, by directory (every rewritten file looks up the same few). */
  manifests?: Map<string, PackageManifest | null>;
}

/** `file` and `target` relative to the root; `text` is the importing file's source. */
export function importSpecifier(context: ImportPathContext, file: string, target: string, text: string): string {
  const absoluteFile = join(context.root, file);
  const absoluteTarget = join(context.root, target);
  const workspace = workspacePackageFor(context, absoluteFile, absoluteTarget);
  if (workspace) return workspace;
  const alias = aliasFor(absoluteFile, absoluteTarget, text);
  if (alias) return alias;
  const habit = relativeImportHabit(text) ?? context.projectHabit ?? defaultHabit(context, absoluteFile);
  let specifier = relative(dirname(absoluteFile), absoluteTarget).split(sep).join('/');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return withExtension(specifier, habit);
}

function defaultHabit(context: ImportPathContext, absoluteFile: string): ImportExtension {
  if (/\.(?:mjs|mts)$/.test(absoluteFile)) return '.js';
  if (/\.[cm]?tsx?$/.test(absoluteFile)) {
    const resolution = String(getTsconfig(dirname(absoluteFile))?.config.compilerOptions?.moduleResolution ?? '').toLowerCase();
    return resolution === 'nodenext' || resolution === 'node16' ? '.js' : 'none';
  }
  return context.packageIsModule && /\.jsx?$/.test(absoluteFile) ? '.js' : 'none';
}

export function withExtension(specifier: string, habit: ImportExtension): string {
  const bare = specifier.replace(/\.(?:[cm]?[jt]sx?)$/, '');
  const extension = /\.([cm]?)[jt]sx?$/.exec(specifier);
  if (habit === 'none') return bare.replace(/\/index$/, '');
  if (habit === '.ts') return specifier;
  // `.js` for .ts/.js, `.mjs` for .mts/.mjs, `.cjs` for .cts/.cjs.
  return `${bare}.${extension?.[1] ?? ''}js`;
}

/** `@/lib/prisma` when the file imports through a `paths` alias whose target holds the module. */
function aliasFor(absoluteFile: string, absoluteTarget: string, text: string): string | null {
  const tsconfig = getTsconfig(dirname(absoluteFile));
  const paths = tsconfig?.config.compilerOptions?.paths;
  if (!tsconfig || !paths) return null;
  const base = join(dirname(tsconfig.path), tsconfig.config.compilerOptions?.baseUrl ?? '.');
  for (const [pattern, targets] of Object.entries(paths)) {
    if (!pattern.endsWith('/*')) continue;
    const prefix = pattern.slice(0, -1);
    const used = [...text.matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]!).filter((specifier) => specifier.startsWith(prefix));
    if (used.length === 0) continue;
    for (const targetPattern of targets) {
      if (!targetPattern.endsWith('/*')) continue;
      const targetDir = join(base, targetPattern.slice(0, -2));
      const inside = relative(targetDir, absoluteTarget);
      if (inside.startsWith('..') || inside === '' || inside.includes(':')) continue;
      const habit: ImportExtension = used.some((specifier) => /\.[cm]?js$/.test(specifier)) ? '.js' : 'none';
      return withExtension(`${prefix}${inside.split(sep).join('/')}`, habit);
    }
  }
  return null;
}

export interface PackageManifest {
  name?: string;
  main?: string;
  module?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * `@acme/db` when the shared module lies in another workspace package than the importing file,
 * that package's entry exports the client, and the importing file's package depends on it (so
 * its package manager links it): what a monorepo writes instead of `../../../packages/db/src/…`.
 */
function workspacePackageFor(context: ImportPathContext, absoluteFile: string, absoluteTarget: string): string | null {
  if (!context.entryExportsShared) return null;
  const root = resolve(context.root);
  const owner = nearestManifest(dirname(absoluteTarget), root, context.manifests);
  if (!owner || owner.dir === root || !owner.manifest.name) return null;
  if (!relative(owner.dir, absoluteFile).startsWith('..')) return null;
  const importer = nearestManifest(dirname(absoluteFile), root, context.manifests);
  const name = owner.manifest.name;
  const depends = [importer?.manifest.dependencies, importer?.manifest.devDependencies, importer?.manifest.peerDependencies].some((deps) => deps?.[name] !== undefined);
  if (!depends) return null;
  const entry = entryFile(owner.dir, owner.manifest);
  if (!entry || !context.entryExportsShared(relative(root, entry).split(sep).join('/'))) return null;
  return name;
}

function nearestManifest(dir: string, root: string, cache = new Map<string, PackageManifest | null>()): { dir: string; manifest: PackageManifest } | null {
  for (let current = dir; ; current = dirname(current)) {
    if (!cache.has(current)) cache.set(current, readManifest(join(current, 'package.json')));
    const manifest = cache.get(current)!;
    // A package.json that does not parse ends the search: its package's name is unknown.
    if (manifest !== null) return manifest === BROKEN ? null : { dir: current, manifest };
    if (current === root || dirname(current) === current || relative(root, current).startsWith('..')) return null;
  }
}

const BROKEN: PackageManifest = {};

/** The manifest, null when there is none, `BROKEN` when it does not parse. */
function readManifest(path: string): PackageManifest | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PackageManifest;
  } catch {
    return BROKEN;
  }
}

/** The source file behind a package's main entry: `exports["."]`, `module` or `main`, built paths mapped back to sources. */
function entryFile(dir: string, manifest: PackageManifest): string | null {
  const dot = typeof manifest.exports === 'string' ? manifest.exports : (manifest.exports as Record<string, unknown> | undefined)?.['.'];
  const conditional = dot && typeof dot === 'object' ? ((dot as Record<string, unknown>).import ?? (dot as Record<string, unknown>).default ?? (dot as Record<string, unknown>).types) : dot;
  const declared = [conditional, manifest.module, manifest.main].find((value): value is string => typeof value === 'string');
  if (!declared) return null;
  const path = join(dir, declared);
  const candidates = [path, path.replace(/\.[cm]?js$/, '.ts'), path.replace(/\.[cm]?js$/, '.tsx'), path.replace(/(^|\/)dist\//, '$1src/').replace(/\.[cm]?js$/, '.ts')];
  return candidates.find((candidate) => /\.[cm]?[jt]sx?$/.test(candidate) && !candidate.endsWith('.d.ts') && existsSync(candidate)) ?? null;
}
