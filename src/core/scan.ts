/**
 * The scan: discover files → read and pre-filter them → parse and analyse the candidates (on
 * parser threads for big trees) → bind constructors across files → classify each site → one
 * report.
 */
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { discover } from './discover.js';
import { AnalysisPool } from './pool.js';
import { analyseFile } from './analyse.js';
import { SourceReader } from './source-reader.js';
import type { SourceEntry } from './file-judge.js';
import { DEFAULT_MAX_FILE_BYTES } from './source-text.js';
import { ModuleResolver } from './resolve.js';
import { Binder } from './bind.js';
import { categorize, createTestMatcher, DEFAULT_TEST_PATTERNS } from './classify.js';
import { LIBRARIES, libraryById, libraryForGeneratedClient, type PoolContext, type PoolEstimate } from '../libraries/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type ScanSettings } from '../config/settings.js';
import { runRules } from '../rules/index.js';
import type { QueueSite, SiteDetails } from '../rules/project-facts.js';
import type { Observations } from './observations.js';
import { envDirectories, readCommandLines, readEnvFiles, readPackageManifests } from './project-config.js';
import type { BindingMatch } from './bind.js';
import type { DiscoveredTree } from './discover.js';
import { VERSION } from '../version.js';
import { CATEGORIES, type Category, type ClientSite, type Library, type Report, type ScanWarning } from '../types.js';
import type { ConstructionFact, FileFacts, SymRef } from './facts.js';
import { QUEUE_SPECS } from '../libraries/queues.js';
import { prismaLibrary } from '../libraries/prisma.js';

export interface ScanOptions {
  /** Directory to scan. */
  root: string;
  /** Extra ignore patterns (gitignore syntax, relative to root). */
  ignore?: string[];
  /** Patterns (gitignore syntax) that mark test files; replaces the defaults. */
  testPatterns?: string[];
  /** Files larger than this are not analysed (a warning says so). Default 2 MiB. */
  maxFileBytes?: number;
  /** Upper bound on parser threads. Default: available parallelism. */
  threads?: number;
  /** List files with git when the root is in a work tree. Default true. */
  useGit?: boolean;
  /** Replicas, max connections, rule levels and thresholds; defaults from `DEFAULT_SETTINGS`. */
  settings?: ScanSettings;
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanProgress {
  phase: 'discover' | 'read' | 'bind';
  done: number;
  total: number;
}

/** Below this many files, starting a parser thread costs more than it saves. */
const FILES_FOR_A_WORKER = 3000;

function workerThreadsFor(files: number, maxThreads = availableParallelism()): number {
  if (files < FILES_FOR_A_WORKER) return 0;
  // The main thread reads and then parses too, so it counts as one of the threads.
  return Math.max(0, Math.min(maxThreads, availableParallelism()) - 1);
}

/** How many times the binder may widen the pre-filter with names it learned (subclass of a subclass…). */
const MAX_ROUNDS = 6;

export async function scan(options: ScanOptions): Promise<Report> {
  return scanTree(options, true);
}

async function scanTree(options: ScanOptions, deferUntracked: boolean): Promise<Report> {
  const started = performance.now();
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const progress = options.onProgress;

  progress?.({ phase: 'discover', done: 0, total: 0 });
  const tree = await discover({ root: resolve(options.root), ignore: options.ignore, useGit: options.useGit, deferUntracked, heapSnapshots: true });
  const root = tree.root;
  const mark = phaseTimer(started);
  mark('files listed');
  let total = tree.sourceFiles.length;
  const sourceFiles = new Set(tree.sourceFiles);

  const resolver = new ModuleResolver({
    root,
    packageJsonFiles: tree.packageJsonFiles,
    generatedClientDirs: tree.generatedClientDirs,
  });
  const facts = new Map<string, FileFacts>();
  /** Files the binder parsed because it followed an import into them. */
  const onDemand = new Set<string>();
  // No word names these files (see `Candidate.forRulesOnly`): their exports and constructions
  // cannot lead to a client, so the binder does not follow them (on real code, following every
  // `new X()` of such files into its module parsed hundreds of files on demand).
  const forRulesOnly = new Set<string>();
  const onDemandWarnings: ScanWarning[] = [];
  let onDemandParsed = 0;
  const analysisWarnings: ScanWarning[] = [];
  const binder = new Binder({
    resolver,
    libraries: [...LIBRARIES, ...QUEUE_SPECS],
    generatedClientLibrary: libraryForGeneratedClient(),
    factsOf(file) {
      if (!facts.has(file)) {
        // A barrel the binder follows into, which no pre-filter word matched.
        const analysed = analyseFile(root, file, maxFileBytes);
        onDemand.add(file);
        if (analysed.warning && sourceFiles.has(file)) onDemandWarnings.push(analysed.warning);
        if (!analysed.facts) return null;
        facts.set(file, analysed.facts);
        if (sourceFiles.has(file) && !analysed.facts.generatedBy) onDemandParsed++;
      }
      return facts.get(file)!;
    },
  });

  const pool = new AnalysisPool(workerThreadsFor(total, options.threads), {
    maxFileBytes,
    // Prisma's word, and the names the binder learns, are searched anywhere; the other
    // libraries' module names only where the file imports them.
    specifiers: LIBRARIES.filter((library) => library.id !== 'prisma').flatMap((library) => library.prefilterWords),
    ruleTrigger: true,
  });
  pool.warmUp();
  const reader = new SourceReader(root, pool.usesWorkers);
  let parsed = 0;
  let generated = 0;
  // An untracked schema, package.json or tsconfig can change what the tracked files meant.
  let mustRestart = false;
  try {
    const words = new Set(prismaLibrary.prefilterWords);
    let nextWords = [...words];
    const submit = (entries: SourceEntry[]) => pool.submit(entries, nextWords);
    await reader.read(tree.sourceFiles, submit, (done) => progress?.({ phase: 'read', done, total }));
    mark('files read');
    if (tree.untracked) {
      // git listed the untracked files while the tracked ones were being read.
      const untracked = await tree.untracked;
      mustRestart = untracked.changesConfiguration;
      if (!mustRestart) {
        for (const file of untracked.sourceFiles) sourceFiles.add(file);
        total += untracked.sourceFiles.length;
        await reader.read(untracked.sourceFiles, submit);
      }
    }
    // Facts whose exports were already checked for new words (facts also arrive on demand).
    const examined = new Set<FileFacts>();
    let result = mustRestart ? null : await pool.drain();
    for (let round = 1; result !== null; round++) {
      mark(`round ${round} parsed`);
      analysisWarnings.push(...result.warnings);
      parsed += result.parsed;
      generated += result.generated;
      for (const fileFacts of result.facts) if (!facts.has(fileFacts.file)) facts.set(fileFacts.file, fileFacts);
      for (const file of result.forRulesOnly) if (!onDemand.has(file)) forRulesOnly.add(file);
      for (const file of result.namedLater) {
        forRulesOnly.delete(file);
        examined.delete(facts.get(file)!);
      }
      const fresh = [...facts.values()].filter((fileFacts) => !examined.has(fileFacts) && !forRulesOnly.has(fileFacts.file));
      for (const fileFacts of fresh) examined.add(fileFacts);
      nextWords = round < MAX_ROUNDS ? learnedWords(fresh, binder, resolver).filter((word) => !words.has(word)) : [];
      for (const word of nextWords) words.add(word);
      result = nextWords.length > 0 ? await pool.round(nextWords) : null;
    }
  } finally {
    await pool.close();
  }
  if (mustRestart) return scanTree(options, false);

  progress?.({ phase: 'bind', done: facts.size, total: facts.size });
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const isTest = createTestMatcher(options.testPatterns ?? DEFAULT_TEST_PATTERNS);
  const manifests = readPackageManifests(root, tree.packageJsonFiles);
  const poolContext = createPoolContext(root, tree, settings);
  const clients: ClientSite[] = [];
  const queues: QueueSite[] = [];
  const estimates = new Map<ClientSite, PoolEstimate>();
  const details = new Map<ClientSite, SiteDetails>();
  const observations = new Map<string, Observations>();
  for (const file of [...facts.keys()].sort()) {
    if (!sourceFiles.has(file)) continue;
    const fileFacts = facts.get(file)!;
    observations.set(file, fileFacts.observations);
    const inTest = isTest(file);
    if (forRulesOnly.has(file)) continue;
    for (const construction of fileFacts.constructions) {
      const match = binder.resolveConstructor(construction.callee, file, construction.kind);
      if (!match) continue;
      const library = libraryById(match.library);
      if (!library) {
        queues.push(queueSite(file, construction, match, inTest));
        continue;
      }
      const estimate = library.estimatePool(construction.args, { exportName: match.exportName, module: match.module }, poolContext);
      const site: ClientSite = {
        library: library.id,
        file,
        line: construction.line,
        column: construction.column,
        scope: construction.scope,
        inTest,
        category: categorize(file, inTest, construction.context.kind),
        options: construction.options,
        callee: construction.calleeText,
        construction: construction.kind,
        resolvedFrom: match.module,
        singleton: construction.singleton,
        context: construction.context,
        assignedTo: construction.assignedTo,
        pool: { database: estimate.database, connections: estimate.connections, basis: estimate.basis, stated: estimate.stated },
      };
      if (match.via.length > 0) site.via = match.via;
      clients.push(site);
      estimates.set(site, estimate);
      details.set(site, { enclosingFunction: construction.enclosingFunction });
    }
  }

  mark('sites bound');
  const heapSnapshots = await tree.heapSnapshots;
  const findings = runRules({
    clients,
    settings,
    project: {
      root,
      observations,
      isTest,
      queues,
      poolOf: (site) => estimates.get(site)!,
      detailsOf: (site) => details.get(site)!,
      heapSnapshots,
      commandLines: readCommandLines(root, manifests, tree.deployFiles),
      manifests,
      textOf: (file) => readTextOrNull(join(root, file)),
    },
  });

  mark('rules run');
  const warnings = dedupeWarnings([...tree.warnings, ...reader.warnings, ...analysisWarnings, ...onDemandWarnings, ...resolver.warnings, ...binder.warnings]);
  return {
    schemaVersion: 1,
    tool: { name: 'leakhound', version: VERSION },
    root,
    clients,
    findings,
    warnings,
    summary: summarise(clients, {
      filesScanned: total,
      filesParsed: parsed + onDemandParsed,
      skipped: { buildOutput: tree.skipped.buildOutput, generated: tree.skipped.generated + generated },
      durationMs: Math.round(performance.now() - started),
    }),
  };
}

/**
 * With LEAKHOUND_TIMINGS set, each phase's end (milliseconds since the scan started) goes to
 * stderr: how to see where a slow scan spends its time without a profiler.
 */
function phaseTimer(started: number): (phase: string) => void {
  if (!process.env.LEAKHOUND_TIMINGS) return () => {};
  return (phase) => process.stderr.write(`leakhound: ${phase} at ${Math.round(performance.now() - started)} ms\n`);
}

/**
 * Names other files may use to reach a client constructor: exported subclasses and renamed
 * re-exports (`Db`, `DatabaseClient`). A default export can be imported under any name, so for
 * those the words are what an import specifier of the file must contain: its base name (or
 * folder name for an index file).
 */
function learnedWords(facts: Iterable<FileFacts>, binder: Binder, resolver: ModuleResolver): string[] {
  const out = new Set<string>();
  for (const fileFacts of facts) {
    if (fileFacts.generatedBy || resolver.isGeneratedClientPath(fileFacts.file)) continue;
    for (const [name, ref] of fileFacts.exports) {
      if (ref.t === 'module' && ref.path.length === 1 && ref.path[0] === '*') continue;
      if (!resolvesToBuilder(binder, ref, fileFacts.file)) continue;
      if (name === 'default') for (const word of specifierWords(fileFacts.file)) out.add(word);
      else out.add(name);
    }
    if (fileFacts.wholeExport && resolvesToBuilder(binder, fileFacts.wholeExport, fileFacts.file)) {
      for (const word of specifierWords(fileFacts.file)) out.add(word);
    }
  }
  return [...out];
}

function createPoolContext(root: string, tree: DiscoveredTree, settings: ScanSettings): PoolContext {
  const schemaFiles = tree.prismaGenerators.map((generator) => generator.schemaFile);
  const env = readEnvFiles(root, envDirectories([...tree.packageJsonFiles, ...schemaFiles]));
  const datasource = tree.prismaDatasources[0] ?? null;
  return { env: (name) => env.get(name) ?? null, cpus: settings.cpus, prismaDatasource: datasource };
}

function queueSite(file: string, construction: ConstructionFact, match: BindingMatch, inTest: boolean): QueueSite {
  const [first] = construction.args;
  return {
    library: match.library,
    exportName: match.exportName,
    file,
    line: construction.line,
    column: construction.column,
    queueName: typeof first === 'string' ? first : null,
    args: construction.args,
    assignedTo: construction.assignedTo,
    context: construction.context,
    inTest,
    end: construction.end,
    optionsRange: construction.optionsRange,
  };
}

function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function resolvesToBuilder(binder: Binder, ref: SymRef, file: string): boolean {
  return binder.resolveConstructor(ref, file, 'new') !== null || binder.resolveConstructor(ref, file, 'call') !== null;
}

function isDatabaseLibrary(id: string): id is Library {
  return LIBRARIES.some((library) => library.id === id);
}

function specifierWords(file: string): string[] {
  const name = basename(file).replace(/\.[^.]+$/, '');
  return name === 'index' ? [basename(dirname(file))] : [name];
}

function dedupeWarnings(warnings: ScanWarning[]): ScanWarning[] {
  const seen = new Set<string>();
  return warnings
    .filter((warning) => {
      const key = `${warning.kind}\0${warning.file}\0${warning.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
}

function summarise(
  clients: ClientSite[],
  counts: Pick<Report['summary'], 'filesScanned' | 'filesParsed' | 'skipped' | 'durationMs'>,
): Report['summary'] {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const byLibrary: Partial<Record<Library, number>> = {};
  for (const site of clients) {
    byCategory[site.category]++;
    byLibrary[site.library] = (byLibrary[site.library] ?? 0) + 1;
  }
  return {
    filesScanned: counts.filesScanned,
    filesParsed: counts.filesParsed,
    sites: clients.length,
    siteFiles: new Set(clients.map((site) => site.file)).size,
    perCall: clients.filter((site) => site.scope === 'function' && !site.inTest).length,
    inTests: clients.filter((site) => site.inTest).length,
    singletons: clients.filter((site) => site.singleton !== null).length,
    byCategory,
    byLibrary,
    skipped: counts.skipped,
    durationMs: counts.durationMs,
  };
}
