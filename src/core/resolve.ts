/**
 * Module resolution the way a TypeScript monorepo sees it: relative paths (with NodeNext's
 * `.js`-means-`.ts` rule), tsconfig `paths`/`baseUrl` aliases, and workspace packages by name.
 * It never needs node_modules: a generated Prisma client is recognised by the generator output
 * folders read from schema.prisma, whether or not it has been generated or is git-ignored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { createPathsMatcher, getTsconfig, type Cache, type PathsMatcher, type TsConfigResult } from 'get-tsconfig';
import type { ScanWarning } from '../types.js';

export type Resolved =
  | { kind: 'file'; file: string }
  /** Inside a Prisma generator's output folder: a Prisma client module. */
  | { kind: 'generated-client'; file: string }
  /** A bare specifier that is not a workspace package: an installed dependency. */
  | { kind: 'package'; name: string }
  | { kind: 'missing'; specifier: string };

export interface ResolverInput {
  root: string;
  packageJsonFiles: string[];
  generatedClientDirs: string[];
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
// NodeNext: an import of './db.js' means './db.ts' when the source is TypeScript.
const EXTENSION_SWAPS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.jsx': ['.tsx', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};
const EXPORT_CONDITIONS = ['source', 'development', 'import', 'module', 'require', 'node', 'default', 'types'];
const BUILD_DIR = /(^|\/)(dist|build|lib|out|esm|cjs)(\/|$)/;

interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: Record<string, unknown>;
}

export class ModuleResolver {
  /** Directory → the regular files (and file symlinks) in it; probing reads each folder once. */
  private readonly directoryFiles = new Map<string, Set<string> | null>();
  private readonly tsconfigCache: Cache = new Map();
  private readonly matchers = new Map<string, PathsMatcher | null>();
  private readonly packages: WorkspacePackage[] = [];
  private readonly generatedDirs: string[];
  readonly warnings: ScanWarning[] = [];

  constructor(private readonly input: ResolverInput) {
    this.generatedDirs = input.generatedClientDirs.map((dir) => resolve(input.root, dir));
    for (const file of input.packageJsonFiles) this.loadWorkspacePackage(file);
    // Longest names first so that `@acme/db-utils` is not taken for `@acme/db`.
    this.packages.sort((a, b) => b.name.length - a.name.length);
  }

  resolve(specifier: string, fromFile: string): Resolved {
    const fromAbs = resolve(this.input.root, fromFile);
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      return this.resolvePath(resolve(dirname(fromAbs), specifier), specifier);
    }
    const aliased = this.resolveTsconfigPaths(specifier, fromAbs);
    if (aliased) return aliased;
    const workspace = this.resolveWorkspacePackage(specifier);
    if (workspace) return workspace;
    const parts = specifier.split('/');
    return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]! };
  }

  /** True when a root-relative path lies inside a generator output folder. */
  isGeneratedClientPath(file: string): boolean {
    return this.insideGeneratedDir(resolve(this.input.root, file));
  }

  private resolvePath(absBase: string, specifier: string): Resolved {
    const found = this.probe(absBase);
    const target = found ?? absBase;
    if (this.insideGeneratedDir(target)) return { kind: 'generated-client', file: this.relative(target) };
    return found ? { kind: 'file', file: this.relative(found) } : { kind: 'missing', specifier };
  }

  private probe(absBase: string): string | null {
    const extension = SOURCE_EXTENSIONS.find((ext) => absBase.endsWith(ext));
    if (extension) {
      for (const swapped of EXTENSION_SWAPS[extension] ?? [extension]) {
        const candidate = absBase.slice(0, -extension.length) + swapped;
        if (this.isFile(candidate)) return candidate;
      }
    }
    for (const ext of SOURCE_EXTENSIONS) if (this.isFile(absBase + ext)) return absBase + ext;
    for (const ext of SOURCE_EXTENSIONS) {
      const index = join(absBase, `index${ext}`);
      if (this.isFile(index)) return index;
    }
    return null;
  }

  private resolveTsconfigPaths(specifier: string, fromAbs: string): Resolved | null {
    const matcher = this.pathsMatcherFor(dirname(fromAbs));
    if (!matcher) return null;
    for (const candidate of matcher(specifier)) {
      const resolved = this.resolvePath(candidate, specifier);
      if (resolved.kind !== 'missing') return resolved;
    }
    return null;
  }

  private pathsMatcherFor(dir: string): PathsMatcher | null {
    if (this.matchers.has(dir)) return this.matchers.get(dir)!;
    let matcher: PathsMatcher | null = null;
    let tsconfig: TsConfigResult | null = null;
    try {
      tsconfig = getTsconfig(dir, 'tsconfig.json', this.tsconfigCache) ?? getTsconfig(dir, 'jsconfig.json', this.tsconfigCache);
      matcher = tsconfig ? pathsMatcherOf(tsconfig) : null;
    } catch (error) {
      const file = tsconfig ? this.relative(tsconfig.path) : `the tsconfig above ${this.relative(dir) || '.'}`;
      this.warnings.push({
        kind: 'config',
        file: tsconfig ? file : null,
        message: `could not read ${tsconfig ? 'this tsconfig' : file}: ${(error as Error).message}; its path aliases are not followed`,
      });
    }
    this.matchers.set(dir, matcher);
    return matcher;
  }

  private loadWorkspacePackage(file: string): void {
    const abs = resolve(this.input.root, file);
    try {
      const manifest = JSON.parse(readFileSync(abs, 'utf8')) as Record<string, unknown>;
      if (typeof manifest.name === 'string' && manifest.name.length > 0) {
        this.packages.push({ name: manifest.name, dir: dirname(abs), manifest });
      }
    } catch (error) {
      this.warnings.push({
        kind: 'config',
        file,
        message: `could not read package.json: ${(error as Error).message}; imports of this package are not followed`,
      });
    }
  }

  private resolveWorkspacePackage(specifier: string): Resolved | null {
    const pkg = this.packages.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
    if (!pkg) return null;
    const subpath = specifier === pkg.name ? '.' : `./${specifier.slice(pkg.name.length + 1)}`;
    const targets = [...exportTargets(pkg.manifest.exports, subpath)];
    if (subpath === '.') {
      for (const field of ['source', 'module', 'main', 'types', 'typings']) {
        const value = pkg.manifest[field];
        if (typeof value === 'string') targets.push(value);
      }
      targets.push('./src/index', './index');
    } else {
      targets.push(subpath, `./src/${subpath.slice(2)}`);
    }
    for (const target of targets) {
      for (const candidate of sourceCandidates(target)) {
        const resolved = this.resolvePath(resolve(pkg.dir, candidate), specifier);
        if (resolved.kind !== 'missing') return resolved;
      }
    }
    return { kind: 'missing', specifier };
  }

  private insideGeneratedDir(abs: string): boolean {
    return this.generatedDirs.some((dir) => abs === dir || abs.startsWith(dir + sep));
  }

  private isFile(abs: string): boolean {
    return this.filesIn(dirname(abs))?.has(basename(abs)) === true;
  }

  private filesIn(dir: string): Set<string> | null {
    let files = this.directoryFiles.get(dir);
    if (files === undefined) {
      try {
        const entries = readdirSync(dir, { withFileTypes: true });
        files = new Set(entries.filter((entry) => entry.isFile() || entry.isSymbolicLink()).map((entry) => entry.name));
      } catch {
        files = null;
      }
      this.directoryFiles.set(dir, files);
    }
    return files;
  }

  private relative(abs: string): string {
    return relative(this.input.root, abs).split(sep).join('/');
  }
}

/**
 * `paths` entries like `"@/*": ["src/*"]` without a `baseUrl` are an error for tsc (TS5090) but
 * bundlers and tsx accept them, relative to the tsconfig: read them that way rather than lose
 * every import that uses the alias.
 */
function pathsMatcherOf(tsconfig: TsConfigResult): PathsMatcher | null {
  try {
    return createPathsMatcher(tsconfig);
  } catch (error) {
    if (!/baseUrl/.test((error as Error).message)) throw error;
    const options = { ...tsconfig.config.compilerOptions, baseUrl: '.' };
    return createPathsMatcher({ path: tsconfig.path, config: { ...tsconfig.config, compilerOptions: options } });
  }
}

/** Targets a package.json `exports` field names for a subpath, most source-like condition first. */
function exportTargets(exportsField: unknown, subpath: string): string[] {
  if (exportsField === undefined || exportsField === null) return [];
  if (typeof exportsField === 'string') return subpath === '.' ? [exportsField] : [];
  if (typeof exportsField !== 'object') return [];
  const map = exportsField as Record<string, unknown>;
  const isSubpathMap = Object.keys(map).some((key) => key.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditionTargets(map) : [];
  if (subpath in map) return conditionTargets(map[subpath]);
  for (const [pattern, value] of Object.entries(map)) {
    const star = pattern.indexOf('*');
    if (star === -1) continue;
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
      const middle = subpath.slice(prefix.length, subpath.length - suffix.length);
      return conditionTargets(value).map((target) => target.replace('*', middle));
    }
  }
  return [];
}

function conditionTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(conditionTargets);
  if (!value || typeof value !== 'object') return [];
  const conditions = value as Record<string, unknown>;
  const ordered = [...EXPORT_CONDITIONS.filter((c) => c in conditions), ...Object.keys(conditions).filter((c) => !EXPORT_CONDITIONS.includes(c))];
  return ordered.flatMap((condition) => conditionTargets(conditions[condition]));
}

/**
 * A workspace package's manifest usually points at its build output (`dist/index.js`), which a
 * fresh checkout does not have and the scan skips anyway: try the source it was built from.
 */
function sourceCandidates(target: string): string[] {
  const withoutDts = target.replace(/\.d\.[cm]?ts$/, '');
  const out = [withoutDts];
  if (BUILD_DIR.test(withoutDts)) out.push(withoutDts.replace(BUILD_DIR, '$1src$3'));
  return out;
}
