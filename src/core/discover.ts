/**
 * Which files of a repository the scan looks at. Git knows best what belongs to a project
 * (every `.gitignore`, `.git/info/exclude`, the user's global excludes), so inside a work tree
 * the listing comes from `git ls-files`; elsewhere, or when git fails, from our own walker.
 * Both listings then go through the same filters: dependencies, build output, generated Prisma
 * clients and the user's own ignore patterns.
 */
import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../errors.js';
import type { ScanWarning } from '../types.js';
import { discoverPrismaGenerators, isInsideDir, isPrismaConfigFile, type PrismaDatasource, type PrismaGenerator } from './prisma-schema.js';
import { createIgnoreMatcher, findFilesBySuffix, walk } from './walk.js';

export type { PrismaGenerator } from './prisma-schema.js';

export interface DiscoverOptions {
  /** Absolute path of the directory to scan. */
  root: string;
  /** Extra ignore patterns, gitignore syntax, relative to `root`. */
  ignore?: string[];
  /** Default true: list files with git when `root` is inside a git work tree. */
  useGit?: boolean;
  /**
   * Also look for `*.heapsnapshot` files, including git-ignored ones. Off by default: in a git
   * work tree it costs a second listing of the ignored files.
   */
  heapSnapshots?: boolean;
  /**
   * In a git work tree, return as soon as the tracked files are listed (a few milliseconds)
   * and deliver untracked files later through `DiscoveredTree.untracked`: listing them walks
   * the whole tree (≈ 100 ms on 20,000 files), which the caller can overlap with reading.
   */
  deferUntracked?: boolean;
}

/** Untracked files, delivered after the tracked ones (see `deferUntracked`). */
export interface UntrackedFiles {
  /** Untracked source files that pass the same filters as `sourceFiles`. */
  sourceFiles: string[];
  /**
   * An untracked schema, Prisma config, package.json or tsconfig: the tree's generator
   * outputs, workspace packages or aliases may differ from what the tracked files said, and
   * the caller should discover again without deferring.
   */
  changesConfiguration: boolean;
}

export interface DiscoveredTree {
  /** Absolute, real path. */
  root: string;
  /** Relative posix paths, sorted, of the JavaScript/TypeScript files to scan (no `.d.ts`, no `*.min.js`). */
  sourceFiles: string[];
  prismaGenerators: PrismaGenerator[];
  /** `datasource` blocks of the schemas (provider and URL, credentials redacted). */
  prismaDatasources: PrismaDatasource[];
  /** Relative posix directories generators write to, deduped and sorted, whether or not they exist. */
  generatedClientDirs: string[];
  /** Relative posix paths of `package.json` files outside dependencies and build output. */
  packageJsonFiles: string[];
  /** `tsconfig*.json` and `jsconfig.json` files outside dependencies and build output. */
  tsconfigFiles: string[];
  /** Files that say how the service is started: Procfile, Dockerfiles, compose and platform files. */
  deployFiles: string[];
  /**
   * `*.heapsnapshot` files outside `node_modules`, found even where git ignores them. A promise:
   * listing what git ignores walks the whole tree (≈ 110 ms on 20,000 files), which the caller
   * overlaps with reading the sources.
   */
  heapSnapshots: Promise<{ file: string; bytes: number }[]>;
  warnings: ScanWarning[];
  /** Source files left out as build output / because they lie inside a generated client directory. */
  skipped: { buildOutput: number; generated: number };
  usedGit: boolean;
  /** Only with `deferUntracked` in a git work tree; otherwise untracked files are already in. */
  untracked?: Promise<UntrackedFiles>;
}

/** Directories that hold what a build, a bundler, a test runner or a deploy tool wrote. */
const BUILD_OUTPUT_DIRS = [
  'dist', 'build', 'out', '.next', '.nuxt', '.output', '.svelte-kit', '.turbo', '.vercel', '.netlify',
  '.serverless', '.webpack', 'coverage', '.nyc_output', 'storybook-static', '.cache', '.parcel-cache',
  '.expo', '.docusaurus',
];

const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
/** Declarations hold no code that runs; minified bundles are build output whatever their folder. */
const NOT_SOURCE = /\.d\.[cm]?ts$|\.min\.[cm]?js$/;
const TSCONFIG_FILE = /^(?:tsconfig[^/]*\.json|jsconfig\.json)$/;
const HEAP_SNAPSHOT_SUFFIX = '.heapsnapshot';
const DEPLOY_FILE = /^(?:Procfile|Dockerfile(?:\..+)?|.+\.dockerfile|docker-compose[^/]*\.ya?ml|compose\.ya?ml|app\.json|fly\.toml|render\.yaml|\.npmrc)$/;

/**
 * How deep to look inside a directory git ignores for heap snapshots. They land in the working
 * directory of the process that wrote them (or its `--diagnostic-dir`), so a shallow look finds
 * them without crawling a whole ignored `target/` or `.venv/`.
 */
const HEAP_SNAPSHOT_SEARCH_DEPTH = 3;

/** Everything in the tree before any filter: what git or the walker listed. */
interface Listing {
  files: string[];
  /** Deferred untracked files (git only, on request). */
  untracked?: Promise<string[]>;
  /** Entries excluded by ignore files, directories with a trailing `/` (not looked into). */
  ignored: Promise<string[]>;
  warnings: ScanWarning[];
  usedGit: boolean;
}

/** Lists the files of a repository and sorts them into what the scan needs. */
export async function discover(options: DiscoverOptions): Promise<DiscoveredTree> {
  const root = await resolveRoot(options.root);
  const gitListing = options.useGit === false ? null : await listWithGit(root, options.heapSnapshots === true, options.deferUntracked === true);
  const listing: Listing = gitListing ?? (await walkListing(root));
  const isUserIgnored = userIgnoreMatcher(options.ignore ?? []);

  // One pass, one verdict per directory: a 20,000-file listing has only a few thousand folders.
  const directoryVerdicts = new Map<string, DirectoryVerdict>();
  const verdictOf = (file: string): DirectoryVerdict => {
    const slash = file.lastIndexOf('/');
    const dir = slash === -1 ? '' : file.slice(0, slash);
    let verdict = directoryVerdicts.get(dir);
    if (verdict === undefined) {
      const withSlash = `${dir}/`;
      verdict = isInNodeModules(withSlash) ? 'dependency' : BUILD_OUTPUT_SEGMENT.test(withSlash) ? 'build' : 'source';
      directoryVerdicts.set(dir, verdict);
    }
    return verdict;
  };
  const inScope: string[] = [];
  const outsideBuildOutput: string[] = [];
  for (const file of listing.files) {
    const verdict = verdictOf(file);
    if (verdict === 'dependency' || isUserIgnored(file)) continue;
    inScope.push(file);
    if (verdict === 'source') outsideBuildOutput.push(file);
  }
  const prisma = await discoverPrismaGenerators(root, outsideBuildOutput);
  const generatedClientDirs = [...new Set(prisma.generators.flatMap((g) => (g.output === null ? [] : [g.output])))].sort();

  const sourceFiles: string[] = [];
  const skipped = { buildOutput: 0, generated: 0 };
  const sortSource = (file: string): void => {
    if (!isSourceFile(file)) return;
    // A client generated into `dist/` counts as generated: that is the more telling reason.
    if (generatedClientDirs.length > 0 && generatedClientDirs.some((dir) => isInsideDir(file, dir))) skipped.generated++;
    else if (verdictOf(file) === 'build') skipped.buildOutput++;
    else sourceFiles.push(file);
  };
  for (const file of inScope) sortSource(file);
  const untracked = gitListing?.untracked?.then((files): UntrackedFiles => {
    const before = sourceFiles.length;
    let changesConfiguration = false;
    for (const file of files) {
      if (verdictOf(file) === 'dependency' || isUserIgnored(file)) continue;
      const name = posix.basename(file);
      if (file.endsWith('.prisma') || isPrismaConfigFile(file) || name === 'package.json' || TSCONFIG_FILE.test(name)) changesConfiguration = true;
      sortSource(file);
    }
    return { sourceFiles: sourceFiles.splice(before).sort(), changesConfiguration };
  });

  return {
    root,
    sourceFiles,
    prismaGenerators: prisma.generators,
    prismaDatasources: prisma.datasources,
    generatedClientDirs,
    packageJsonFiles: outsideBuildOutput.filter((file) => posix.basename(file) === 'package.json'),
    tsconfigFiles: outsideBuildOutput.filter((file) => TSCONFIG_FILE.test(posix.basename(file))),
    deployFiles: outsideBuildOutput.filter((file) => DEPLOY_FILE.test(posix.basename(file))),
    heapSnapshots: options.heapSnapshots ? findHeapSnapshots(root, listing, isUserIgnored) : Promise.resolve([]),
    warnings: [...listing.warnings, ...prisma.warnings],
    skipped,
    usedGit: listing.usedGit,
    ...(untracked ? { untracked } : {}),
  };
}

async function walkListing(root: string): Promise<Listing> {
  const walked = await walk(root);
  return { files: walked.files, ignored: Promise.resolve(walked.ignored), warnings: walked.warnings, usedGit: false };
}

async function resolveRoot(root: string): Promise<string> {
  const real = await realpath(root).catch(() => null);
  if (real === null) {
    throw new UsageError(`directory not found: ${root}`, 'pass the path of a repository or project folder, e.g. `leakhound scan .`');
  }
  if (!(await stat(real)).isDirectory()) {
    throw new UsageError(`not a directory: ${root}`, 'leakhound scans whole folders; pass the folder that holds this file');
  }
  return real;
}

function isSourceFile(file: string): boolean {
  return SOURCE_FILE.test(file) && !NOT_SOURCE.test(file);
}

/** Dependencies are never the user's code, even when someone committed them. */
function isInNodeModules(file: string): boolean {
  return file.startsWith('node_modules/') || file.includes('/node_modules/');
}

/** One regular expression rather than splitting every folder path into segments. */
const BUILD_OUTPUT_SEGMENT = new RegExp(
  `(?:^|/)(?:${BUILD_OUTPUT_DIRS.map((name) => name.replace(/\./g, '\\.')).join('|')})/`,
);

/** `dependency`: under node_modules; `build`: under a build output folder; `source`: the rest. */
type DirectoryVerdict = 'dependency' | 'build' | 'source';

/** With no patterns there is nothing to match: `ignore` costs microseconds per path even then. */
function userIgnoreMatcher(patterns: readonly string[]): (file: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matcher = createIgnoreMatcher(patterns);
  return (file) => matcher.ignores(file);
}

const execFileAsync = promisify(execFile);

/**
 * Runs git in `cwd`. Hooks export GIT_DIR and GIT_INDEX_FILE (a pre-commit hook is a natural
 * place to run a scan); dropping them makes git find the repository from `cwd` as it would in a
 * shell, instead of reading another repository's index relative to a stale directory.
 */
async function git(cwd: string, args: string[]): Promise<string> {
  const env = { ...process.env };
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  delete env.GIT_INDEX_FILE;
  const { stdout } = await execFileAsync('git', ['-C', cwd, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  return stdout;
}

/**
 * The listing git would give, or null when git is missing, `root` is not in a work tree, or
 * anything fails: the walker then takes over and the scan goes on.
 */
async function listWithGit(root: string, withIgnored: boolean, deferUntracked: boolean): Promise<Listing | null> {
  // Started together: waiting for rev-parse before listing would add a process start-up to
  // every scan. The listing is thrown away when root turns out not to be in a work tree.
  // No `ls-files --deleted`: it lstat()s every tracked file (60 ms on 20,000 files). A file
  // deleted from the work tree but still in the index is skipped quietly when it is read.
  const revParse = git(root, ['rev-parse', '--is-inside-work-tree', '--show-prefix']);
  const listed = git(root, ['ls-files', '-z', '--cached', ...(deferUntracked ? [] : ['--others', '--exclude-standard'])]);
  const others = deferUntracked ? git(root, ['ls-files', '-z', '--others', '--exclude-standard']) : null;
  const ignored = withIgnored ? git(root, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']) : Promise.resolve('');
  // Rejections are handled below; without this a failing listing would go unobserved.
  for (const pending of [listed, ignored, others]) pending?.catch(() => {});
  try {
    const [insideWorkTree, prefix = ''] = (await revParse).split('\n');
    if (insideWorkTree !== 'true') return null;
    // Git lists nothing in a directory its repository ignores (an example app under an
    // ignored folder); the walker, reading only the root's own .gitignore files, does.
    if (prefix !== '' && (await isIgnoredByGit(root))) return null;
    // Unmerged files appear once per stage; nested repositories and submodules as directories.
    const files = [...new Set(splitNul(await listed))].filter((file) => !file.endsWith('/'));
    // A failure here only loses the ignored places heap snapshots are looked for in.
    const listing: Listing = { files: files.sort(), ignored: ignored.then(splitNul, () => []), warnings: [], usedGit: true };
    if (others) {
      const tracked = new Set(files);
      // A failure here only loses the untracked files, which a scan without deferral would list.
      listing.untracked = others.then(
        (output) => splitNul(output).filter((file) => !file.endsWith('/') && !tracked.has(file)),
        () => [],
      );
    }
    return listing;
  } catch {
    return null;
  }
}

async function isIgnoredByGit(root: string): Promise<boolean> {
  try {
    await git(root, ['check-ignore', '-q', '.']);
    return true;
  } catch (error) {
    // Exit status 1 means "not ignored"; anything else is a failure the caller handles.
    if ((error as { code?: unknown }).code === 1) return false;
    throw error;
  }
}

function splitNul(output: string): string[] {
  return output.split('\0').filter((entry) => entry !== '');
}

/**
 * Heap snapshots are usually git-ignored — and still worth reporting: each is hundreds of
 * megabytes, and a service that writes them on a timer is one of the causes of running out of
 * memory and disk. So ignored files and (shallowly) ignored directories are searched too.
 */
async function findHeapSnapshots(
  root: string,
  listing: Listing,
  isUserIgnored: (file: string) => boolean,
): Promise<{ file: string; bytes: number }[]> {
  const candidates = new Set(listing.files.filter((file) => file.endsWith(HEAP_SNAPSHOT_SUFFIX)));
  const ignoredDirectories: string[] = [];
  for (const entry of await listing.ignored) {
    if (isInNodeModules(entry)) continue;
    if (entry.endsWith('/')) ignoredDirectories.push(entry.slice(0, -1));
    else if (entry.endsWith(HEAP_SNAPSHOT_SUFFIX)) candidates.add(entry);
  }
  const foundInIgnored = await Promise.all(
    ignoredDirectories.map((dir) => findFilesBySuffix(root, dir, HEAP_SNAPSHOT_SUFFIX, HEAP_SNAPSHOT_SEARCH_DEPTH)),
  );
  for (const file of foundInIgnored.flat()) candidates.add(file);

  const snapshots: { file: string; bytes: number }[] = [];
  for (const file of [...candidates].sort()) {
    if (isInNodeModules(file) || isUserIgnored(file)) continue;
    const info = await stat(join(root, file)).catch(() => null);
    if (info?.isFile()) snapshots.push({ file, bytes: info.size });
  }
  return snapshots;
}
