/**
 * `leakhound fix`: rewrite a codebase to one shared Prisma client.
 *
 * scan → choose the shared module (the codebase's own singleton, or a new one) → for each file
 * with sites, the edits that point them at it → re-parse every result → diff, or write.
 * Nothing is written unless every rewritten file parses; a second run finds nothing to do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { getTsconfig } from 'get-tsconfig';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { scan, type ScanOptions } from '../core/scan.js';
import { UsageError } from '../errors.js';
import type { Category, ClientSite, ScanWarning } from '../types.js';
import { carryOptions, type CarriedOptions } from './options-carry.js';
import { importSpecifier, type ImportPathContext } from './import-path.js';
import { moduleSystemOf, rewriteFile } from './rewrite-file.js';
import { clientIdentity, sharesClient, type ClientIdentity } from './same-database.js';
import { exportOfClient, exportOfGetter, renderSharedModule, type ModuleSystem, type SharedModule } from './shared-module.js';
import { siteShape, type SiteShape } from './site-shape.js';
import { detectStyle, relativeImportHabit } from './style.js';
import { parseForFix, syntaxErrors, type FileSyntax } from './syntax.js';
import { unifiedDiff } from './unified-diff.js';
import { uncommittedFiles, writeAtomically } from './write.js';
import { findBinding } from './bindings.js';
import type { AnyNode } from '../core/ast.js';
import { LineIndex } from '../core/source-text.js';

export interface FixOptions extends Omit<ScanOptions, 'onProgress'> {
  /** Apply the changes; without it the result is only a plan and a diff. */
  write?: boolean;
  /** Rewrite only sites in these categories. */
  only?: readonly Category[];
  /** Rewrite sites in test files too. */
  includeTests?: boolean;
  /** Where to create the shared module (relative to root) when the codebase has none. */
  modulePath?: string;
  /** Write over files with uncommitted changes. */
  allowDirty?: boolean;
}

export interface FileChange {
  file: string;
  /** Null for a file the fix creates. */
  before: string | null;
  after: string;
  diff: string;
  sitesRewritten: number;
  disconnectsRemoved: number;
}

export interface LeftSite {
  file: string;
  line: number;
  column: number;
  reason: string;
}

export interface FixResult {
  root: string;
  shared: { file: string; exportName: string; created: boolean } | null;
  changes: FileChange[];
  left: LeftSite[];
  /** What the scan could not read or parse: sites in those files are neither fixed nor counted. */
  warnings: ScanWarning[];
  summary: { filesChanged: number; sitesRewritten: number; disconnectsRemoved: number; sitesLeft: number; testsLeft: number };
  written: boolean;
}

export class FixAbortedError extends Error {}

const TEST_REASON = 'in a test: each test file builds and tears down its own client on purpose more often than not (rewrite them too with --include-tests)';
/** Options a site with none can take from the shared client without changing which database it talks to. */
const HARMLESS_OPTION_KEYS = new Set(['log', 'errorFormat', 'transactionOptions', 'omit', 'comments']);

interface PlannedSite {
  site: ClientSite;
  shape: SiteShape;
  carried: CarriedOptions;
}

export async function fix(options: FixOptions): Promise<FixResult> {
  const root = resolve(options.root);
  const report = await scan({ ...options, root });
  const sites = report.clients.filter((site) => site.library === 'prisma');
  const syntaxCache = new Map<string, FileSyntax | null>();
  const syntaxOf = (file: string): FileSyntax | null => {
    if (!syntaxCache.has(file)) {
      let parsed: FileSyntax | null = null;
      try {
        parsed = parseForFix(file, readFileSync(join(root, file), 'utf8'));
        if (parsed.errors.length > 0) parsed = null;
      } catch {
        parsed = null;
      }
      syntaxCache.set(file, parsed);
    }
    return syntaxCache.get(file)!;
  };

  const left: LeftSite[] = [];
  const leave = (site: ClientSite, reason: string) => left.push({ file: site.file, line: site.line, column: site.column, reason });
  const planned: PlannedSite[] = [];
  for (const site of sites) {
    const syntax = syntaxOf(site.file);
    const shape = syntax ? siteShape(syntax, new LineIndex(syntax.text).offset(site.line, site.column)) : null;
    if (!syntax || !shape) {
      leave(site, syntax ? 'not a `new` expression the fixer can rewrite' : 'the file does not parse cleanly');
      continue;
    }
    planned.push({ site, shape, carried: carryOptions(syntax, shape.options) });
  }

  // The shared module: the codebase's own, or a new one.
  const existing = chooseExistingModule(root, planned, syntaxOf, options.modulePath);
  const candidates = planned.filter(({ site }) => site.file !== existing?.file);
  const eligible: PlannedSite[] = [];
  for (const item of candidates) {
    const { site, shape, carried } = item;
    if (site.inTest && !options.includeTests) leave(site, TEST_REASON);
    else if (options.only && !options.only.includes(site.category)) leave(site, `in category ${site.category}, outside --only ${options.only.join(',')}`);
    else if (site.singleton === 'globalThis') leave(site, `another globalThis singleton: make ${site.file} re-export the shared client instead`);
    else if (shape.blocker) leave(site, shape.blocker);
    else if (carried.blocker) leave(site, carried.blocker);
    else eligible.push(item);
  }
  for (const item of planned) {
    if (existing && item.site.file === existing.file && item.site.line !== existing.siteLine) leave(item.site, 'a second client in the shared module itself: review it by hand');
  }

  const style = detectStyle([...new Set(planned.map(({ site }) => site.file))].map((file) => syntaxOf(file)!.text));
  let shared: SharedModule;
  let sharedSignature: string;
  let sharedKeys: string[] | null;
  let sharedIdentity: ClientIdentity | null;
  if (existing) {
    shared = existing.module;
    sharedSignature = existing.carried.signature;
    sharedKeys = optionKeys(existing.options);
    sharedIdentity = clientIdentity(syntaxOf(existing.file)!, existing.options);
  } else {
    if (eligible.length === 0) return finish(root, null, [], left, report.warnings, false);
    const groups = groupBySignature(eligible);
    const chosen = groups[0]!;
    const model = chosen[0]!;
    sharedSignature = model.carried.signature;
    sharedKeys = optionKeys(model.shape.options);
    sharedIdentity = clientIdentity(syntaxOf(model.site.file)!, model.shape.options);
    shared = createModule(root, eligible, model, style, syntaxOf, options.modulePath);
  }

  const toRewrite: PlannedSite[] = [];
  const typescriptModule = /\.[cm]?tsx?$/.test(shared.file);
  for (const item of eligible) {
    if (typescriptModule && /\.[cm]?jsx?$/.test(item.site.file) && !allowsJs(root, item.site.file)) {
      leave(item.site, `a JavaScript file, and the shared module ${shared.file} is TypeScript that it cannot load without a build step: import the built module by hand`);
      continue;
    }
    const compatible =
      item.carried.signature === sharedSignature ||
      (item.carried.signature === '' && sharedKeys !== null && sharedKeys.every((key) => HARMLESS_OPTION_KEYS.has(key))) ||
      // Written differently, the same database and the same other options.
      sharesClient(clientIdentity(syntaxOf(item.site.file)!, item.shape.options), sharedIdentity, HARMLESS_OPTION_KEYS);
    if (compatible) toRewrite.push(item);
    else leave(item.site, `built with other options (${squeeze(item.carried.text ?? 'none')}) than the shared client; a second client may be deliberate (a read replica, other log levels): review it`);
  }

  const context: ImportPathContext = {
    root,
    projectHabit: majority([...new Set(toRewrite.map(({ site }) => site.file))].map((file) => relativeImportHabit(syntaxOf(file)!.text))),
    packageIsModule: packageType(root, shared.file) === 'module',
    entryExportsShared: (entry) => entryExports(entry, shared, syntaxOf),
    manifests: new Map(),
  };
  const changes: FileChange[] = [];
  if (shared.created) changes.push({ file: shared.file, before: null, after: shared.text!, diff: unifiedDiff(shared.file, null, shared.text!), sitesRewritten: 0, disconnectsRemoved: 0 });
  const byFile = new Map<string, PlannedSite[]>();
  for (const item of toRewrite) byFile.set(item.site.file, [...(byFile.get(item.site.file) ?? []), item]);
  for (const [file, items] of byFile) {
    const syntax = syntaxOf(file)!;
    const rewrite = rewriteFile({
      syntax,
      sites: items.map(({ shape, carried }) => ({ shape, carried })),
      shared,
      specifier: importSpecifier(context, file, shared.file, syntax.text),
      style,
      removeDisconnects: items.every(({ site }) => site.category !== 'script' && site.category !== 'test'),
    });
    const errors = syntaxErrors(file, rewrite.text);
    if (errors.length > 0) throw new FixAbortedError(`the rewrite of ${file} would not parse (${errors[0]}); nothing was written. Please report this with the file's construction site.`);
    for (const kept of rewrite.disconnectsKept) {
      const { line, column } = new LineIndex(syntax.text).position(kept.offset);
      left.push({ file, line, column, reason: `$disconnect() kept: ${kept.reason}; remove it by hand if it runs per call` });
    }
    changes.push({ file, before: syntax.text, after: rewrite.text, diff: unifiedDiff(file, syntax.text, rewrite.text), sitesRewritten: rewrite.sitesRewritten, disconnectsRemoved: rewrite.disconnectsRemoved });
  }
  if (shared.created) {
    const errors = syntaxErrors(shared.file, shared.text!);
    if (errors.length > 0) throw new FixAbortedError(`the new shared module would not parse (${errors[0]}); nothing was written`);
  }

  const real = changes.filter((change) => change.diff !== '');
  if (options.write && real.length > 0) {
    const dirty = uncommittedFiles(root, real.map((change) => change.file));
    if (dirty.length > 0 && !options.allowDirty) {
      throw new UsageError(
        `refusing to write over uncommitted changes in ${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ` and ${dirty.length - 5} more` : ''}`,
        'commit or stash them first (so the fix is one reviewable diff), or pass --allow-dirty',
      );
    }
    for (const change of real) writeAtomically(join(root, change.file), change.after, change.before === null);
  }
  return finish(root, shared, real, left, report.warnings, options.write === true && real.length > 0);
}

function finish(root: string, shared: SharedModule | null, changes: FileChange[], left: LeftSite[], warnings: ScanWarning[], written: boolean): FixResult {
  left.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    root,
    shared: shared && { file: shared.file, exportName: shared.exportName, created: shared.created },
    changes,
    left,
    warnings,
    summary: {
      filesChanged: changes.length,
      sitesRewritten: changes.reduce((sum, change) => sum + change.sitesRewritten, 0),
      disconnectsRemoved: changes.reduce((sum, change) => sum + change.disconnectsRemoved, 0),
      sitesLeft: left.filter((item) => !item.reason.startsWith('$disconnect')).length,
      testsLeft: left.filter((item) => item.reason === TEST_REASON).length,
    },
    written,
  };
}

/**
 * Does a package entry export the shared client under its own name: it is the shared module,
 * or it re-exports it (`export { prisma } from './client.js'`, `export * from './client.js'`)?
 */
function entryExports(entry: string, shared: SharedModule, syntaxOf: (file: string) => FileSyntax | null): boolean {
  if (entry === shared.file) return shared.exportName !== 'module.exports';
  if (shared.exportName === 'default' || shared.exportName === 'module.exports') return false;
  const syntax = syntaxOf(entry);
  if (!syntax) return false;
  const pointsAtShared = (source: string) => {
    if (!source.startsWith('.')) return false;
    const target = posix.normalize(posix.join(posix.dirname(entry), source));
    const stem = target.replace(/\.[cm]?[jt]sx?$/, '');
    return [target, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.js`, `${stem}/index.ts`, `${stem}/index.js`].includes(shared.file);
  };
  for (const statement of syntax.program.body as AnyNode[]) {
    const source = (statement.source as AnyNode | null | undefined)?.value;
    if (typeof source !== 'string' || !pointsAtShared(source)) continue;
    if (statement.type === 'ExportAllDeclaration' && !statement.exported) return true;
    if (statement.type === 'ExportNamedDeclaration') {
      for (const specifier of (statement.specifiers as AnyNode[]) ?? []) {
        const local = specifier.local as AnyNode;
        const exported = specifier.exported as AnyNode;
        if ((local.name ?? local.value) === shared.exportName && (exported.name ?? exported.value) === shared.exportName) return true;
      }
    }
  }
  return false;
}

interface ExistingModule {
  file: string;
  siteLine: number;
  module: SharedModule;
  carried: CarriedOptions;
  options: AnyNode | null;
}

/**
 * The codebase's own shared client: the globalThis (or lazily cached) singleton a module
 * exports, or a module-level client exported from a file named for it (prisma, db, database,
 * client); singletons first, then the shallowest path.
 */
function chooseExistingModule(root: string, planned: PlannedSite[], syntaxOf: (file: string) => FileSyntax | null, modulePath: string | undefined): ExistingModule | null {
  const found: (ExistingModule & { rank: number[] })[] = [];
  for (const { site, shape, carried } of planned) {
    if (site.inTest || site.scope !== 'module' || shape.blocker) continue;
    const syntax = syntaxOf(site.file)!;
    const value = exportOfClient(syntax, shape.node);
    // A getter is only the codebase's shared client when the scan saw it cache what it builds.
    const getter = value === null && site.singleton !== null ? exportOfGetter(syntax, shape.node) : null;
    const exported = value ?? getter;
    if (!exported) continue;
    const named = /^(?:prisma|db|database|client)(?:\.|$)/i.test(basename(site.file).replace(/\.[^.]+$/, '')) ? 0 : 1;
    // An exported client elsewhere (`export const replica = …` in a worker) is a module's own,
    // not one meant for the whole codebase: only a singleton or a module named for it is reused.
    if (!site.singleton && named === 1) continue;
    found.push({
      file: site.file,
      siteLine: site.line,
      module: { file: site.file, exportName: exported.exportName, localName: exported.localName, system: exported.system, accessor: getter ? 'call' : 'value', created: false, text: null },
      carried,
      options: shape.options,
      rank: [site.singleton ? 0 : 1, named, site.file.split('/').length],
    });
  }
  if (modulePath !== undefined) {
    const wanted = normalise(modulePath);
    const match = found.find((item) => item.file === wanted);
    if (match) return match;
    if (existsSync(join(root, wanted))) throw new UsageError(`--module ${modulePath} exists but does not export a Prisma client leakhound can reuse`, 'name a new file, or the module that exports your shared client');
    return null;
  }
  found.sort((a, b) => a.rank[0]! - b.rank[0]! || a.rank[1]! - b.rank[1]! || a.rank[2]! - b.rank[2]! || a.file.localeCompare(b.file));
  return found[0] ?? null;
}

function createModule(root: string, eligible: PlannedSite[], model: PlannedSite, style: ReturnType<typeof detectStyle>, syntaxOf: (file: string) => FileSyntax | null, modulePath: string | undefined): SharedModule {
  const files = [...new Set(eligible.map(({ site }) => site.file))];
  const typescript = files.filter((file) => /\.[cm]?tsx?$/.test(file)).length * 2 >= files.length;
  const systems = files.map((file) => moduleSystemOf(syntaxOf(file)!, 'esm'));
  const system: ModuleSystem = systems.filter((item) => item === 'cjs').length * 2 > systems.length ? 'cjs' : 'esm';
  const isModule = packageType(root, 'package.json') === 'module';
  const extension = typescript ? '.ts' : system === 'esm' ? (isModule ? '.js' : '.mjs') : isModule ? '.cjs' : '.js';
  const file = modulePath !== undefined ? normalise(modulePath) : `${existsSync(join(root, 'src')) ? 'src/' : ''}lib/prisma${extension}`;
  if (existsSync(join(root, file))) {
    throw new UsageError(`${file} already exists and does not export a Prisma client leakhound can reuse`, 'pass --module PATH to name where the shared client should live');
  }
  const rebase = (specifier: string, from: string) => (specifier.startsWith('.') ? rebaseSpecifier(root, from, file, specifier) : specifier);
  const clientSpecifier = majority(eligible.map(({ site, shape }) => clientImportOf(syntaxOf(site.file)!, shape, site.file, rebase))) ?? '@prisma/client';
  const text = renderSharedModule({
    file,
    system,
    typescript,
    style,
    clientSpecifier,
    options: model.carried.text,
    imports: model.carried.imports.map((item) => ({ ...item, source: rebase(item.source, model.site.file) })),
    declarations: model.carried.declarations,
  });
  return { file, exportName: 'prisma', localName: 'prisma', system, accessor: 'value', created: true, text };
}

/** Where the site's file imports PrismaClient from, as the shared module should write it. */
function clientImportOf(syntax: FileSyntax, shape: SiteShape, file: string, rebase: (specifier: string, from: string) => string): string | null {
  if (!shape.constructorName) return null;
  const binding = findBinding(syntax, shape.constructorName, shape.node);
  if (binding?.kind === 'import') return rebase(binding.source, file);
  if (binding?.kind === 'variable') {
    const init = binding.declarator.init as AnyNode | null;
    const match = init && /(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/.exec(syntax.text.slice(init.start, init.end));
    if (match) return rebase(match[1]!, file);
  }
  return null;
}

/** A relative specifier written in `from`, re-written as seen from `to` (both relative to root). */
function rebaseSpecifier(root: string, from: string, to: string, specifier: string): string {
  const target = resolve(root, dirname(from), specifier);
  let rebased = relative(dirname(join(root, to)), target).split(sep).join('/');
  if (!rebased.startsWith('.')) rebased = `./${rebased}`;
  return rebased;
}

function groupBySignature(items: PlannedSite[]): PlannedSite[][] {
  const groups = new Map<string, PlannedSite[]>();
  for (const item of items) groups.set(item.carried.signature, [...(groups.get(item.carried.signature) ?? []), item]);
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

function optionKeys(options: AnyNode | null): string[] | null {
  if (options === null) return [];
  if (options.type !== 'ObjectExpression') return null;
  const keys: string[] = [];
  for (const property of options.properties as AnyNode[]) {
    const key = property.key as AnyNode | undefined;
    if (property.type !== 'Property' || !key || property.computed) return null;
    keys.push((key.name ?? key.value) as string);
  }
  return keys;
}

function majority<T>(values: readonly (T | null)[]): T | null {
  const counts = new Map<T, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function packageType(root: string, near: string): string | null {
  for (let dir = dirname(join(root, near)); ; dir = dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string }).type ?? null;
    } catch {
      // No package.json here (or a broken one): look further up, but not above the root.
    }
    if (dir === root || dir === dirname(dir)) return null;
  }
}

/** Does the tsconfig that covers this JavaScript file compile it (and so the import of the TS module)? */
function allowsJs(root: string, file: string): boolean {
  return getTsconfig(dirname(join(root, file)))?.config.compilerOptions?.allowJs === true;
}

function normalise(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

function squeeze(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}
