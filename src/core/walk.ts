/**
 * Listing a directory tree without git: what `git ls-files --cached --others --exclude-standard`
 * would give for a tree that is not a repository, plus the symlinked directories git would not
 * follow. `.gitignore` files apply at every level; `node_modules` and `.git` are never entered.
 *
 * Directories reached through real paths are walked concurrently (a real directory has one
 * path, so the order cannot change the result); symlinked directories are followed afterwards,
 * one by one in sorted order, so that which path "wins" for a directory reachable twice is
 * always the same: the real one first, then the first link in sort order.
 */
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ScanWarning } from '../types.js';

/** Never entered: dependencies are not the user's code, `.git` is git's own storage. */
const NEVER_ENTERED = new Set(['node_modules', '.git']);

export interface WalkResult {
  /** Relative posix paths of every file not excluded by a `.gitignore`, sorted. */
  files: string[];
  /**
   * What `.gitignore` files excluded, without looking inside: files as they are, directories with
   * a trailing `/`. Callers that must look at ignored places (heap snapshots) start from here.
   */
  ignored: string[];
  warnings: ScanWarning[];
}

/** One `.gitignore` file: its rules and the directory (relative to the walk root) they apply to. */
interface IgnoreLevel {
  base: string;
  matcher: Ignore;
}

interface PendingLink {
  absPath: string;
  relPath: string;
  /** Real path of the directory holding the link: a target at or above it is a loop. */
  containerReal: string;
  levels: readonly IgnoreLevel[];
}

interface WalkState {
  files: string[];
  ignored: string[];
  warnings: ScanWarning[];
  visitedRealDirs: Set<string>;
  pendingLinks: PendingLink[];
}

/**
 * Git matches ignore patterns case-insensitively where the file system is (macOS and Windows set
 * `core.ignorecase` on `git init`); elsewhere `Dist/` and `dist/` are different directories.
 */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/** A gitignore-syntax matcher with git's case sensitivity for this platform. */
export function createIgnoreMatcher(patterns: string | readonly string[] = []): Ignore {
  return ignore({ ignorecase: IGNORE_CASE }).add(patterns);
}

/** Walks `root`, which must be an absolute real path (see `realpath`). */
export async function walk(root: string): Promise<WalkResult> {
  const state: WalkState = {
    files: [],
    ignored: [],
    warnings: [],
    visitedRealDirs: new Set(),
    pendingLinks: [],
  };
  await walkDirectory(state, root, '', root, []);
  for (let batch = takePendingLinks(state); batch.length > 0; batch = takePendingLinks(state)) {
    for (const link of batch) await followDirectoryLink(state, link);
  }
  state.files.sort();
  state.ignored.sort();
  return { files: state.files, ignored: state.ignored, warnings: state.warnings };
}

/** Links found so far, in sort order; links found while following them come in the next batch. */
function takePendingLinks(state: WalkState): PendingLink[] {
  const batch = state.pendingLinks.sort((a, b) => compareStrings(a.relPath, b.relPath));
  state.pendingLinks = [];
  return batch;
}

async function walkDirectory(
  state: WalkState,
  absDir: string,
  relDir: string,
  realDir: string,
  parentLevels: readonly IgnoreLevel[],
): Promise<void> {
  state.visitedRealDirs.add(realDir);
  const entries = await readDirectory(state, absDir, relDir);
  if (!entries) return;
  const levels = await addGitignoreLevel(state, entries, absDir, relDir, parentLevels);
  const pending: Promise<void>[] = [];
  for (const entry of entries) {
    if (NEVER_ENTERED.has(entry.name)) continue;
    const relPath = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    if (entry.isFile()) {
      if (isIgnored(levels, relPath, false)) state.ignored.push(relPath);
      else state.files.push(relPath);
    } else if (entry.isDirectory()) {
      const subReal = childPath(realDir, entry.name);
      if (isIgnored(levels, relPath, true)) state.ignored.push(`${relPath}/`);
      else if (!state.visitedRealDirs.has(subReal)) {
        pending.push(walkDirectory(state, childPath(absDir, entry.name), relPath, subReal, levels));
      }
    } else if (entry.isSymbolicLink()) {
      const link = { absPath: childPath(absDir, entry.name), relPath, containerReal: realDir, levels };
      pending.push(handleSymlink(state, link));
    }
    // Sockets, FIFOs and devices hold no source code.
  }
  await Promise.all(pending);
}

async function readDirectory(state: WalkState, absDir: string, relDir: string): Promise<Dirent[] | null> {
  try {
    return await readdir(absDir, { withFileTypes: true });
  } catch (error) {
    // A directory deleted while we walk is not the user's problem; anything else is reported.
    if (errorCode(error) !== 'ENOENT') {
      state.warnings.push({
        kind: 'read',
        file: relDir === '' ? '.' : relDir,
        message: `could not read directory: ${errorMessage(error)}`,
      });
    }
    return null;
  }
}

async function addGitignoreLevel(
  state: WalkState,
  entries: Dirent[],
  absDir: string,
  relDir: string,
  levels: readonly IgnoreLevel[],
): Promise<readonly IgnoreLevel[]> {
  if (!entries.some((entry) => entry.name === '.gitignore' && !entry.isDirectory())) return levels;
  const relFile = relDir === '' ? '.gitignore' : `${relDir}/.gitignore`;
  try {
    const text = await readFile(join(absDir, '.gitignore'), 'utf8');
    return [...levels, { base: relDir, matcher: createIgnoreMatcher(text) }];
  } catch (error) {
    state.warnings.push({ kind: 'read', file: relFile, message: `could not read .gitignore: ${errorMessage(error)}` });
    return levels;
  }
}

/**
 * Git's precedence: a pattern in a deeper `.gitignore` overrides the shallower ones, and within a
 * file the last matching line wins (which `Ignore.test` reports). So the deepest level with any
 * opinion on the path decides. A file under an excluded directory cannot be re-included: the
 * walk never enters excluded directories, which gives that rule for free.
 */
function isIgnored(levels: readonly IgnoreLevel[], relPath: string, isDirectory: boolean): boolean {
  for (let index = levels.length - 1; index >= 0; index--) {
    const level = levels[index]!;
    const local = level.base === '' ? relPath : relPath.slice(level.base.length + 1);
    // A trailing slash is how `ignore` learns that `build/` (directory-only) may apply.
    const verdict = level.matcher.test(isDirectory ? `${local}/` : local);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/** One `stat` per symlink (never per file) tells a file from a directory from a dangling link. */
async function handleSymlink(state: WalkState, link: PendingLink): Promise<void> {
  let target;
  try {
    target = await stat(link.absPath);
  } catch (error) {
    state.warnings.push({ kind: 'symlink', file: link.relPath, message: await describeBrokenLink(link.absPath, error) });
    return;
  }
  if (target.isDirectory()) {
    if (isIgnored(link.levels, link.relPath, true)) state.ignored.push(`${link.relPath}/`);
    else state.pendingLinks.push(link);
  } else if (target.isFile()) {
    if (isIgnored(link.levels, link.relPath, false)) state.ignored.push(link.relPath);
    else state.files.push(link.relPath);
  }
}

async function describeBrokenLink(absPath: string, error: unknown): Promise<string> {
  const code = errorCode(error);
  const target = await readlink(absPath).catch(() => '?');
  if (code === 'ELOOP') return `symlink loop: ${target} resolves back to itself; skipped`;
  if (code === 'ENOENT') return `dangling symlink: ${target} does not exist; skipped`;
  return `could not follow symlink to ${target}: ${errorMessage(error)}`;
}

async function followDirectoryLink(state: WalkState, link: PendingLink): Promise<void> {
  let targetReal: string;
  try {
    targetReal = await realpath(link.absPath);
  } catch (error) {
    // The target vanished between the stat and now.
    state.warnings.push({ kind: 'symlink', file: link.relPath, message: await describeBrokenLink(link.absPath, error) });
    return;
  }
  if (isSameOrAncestor(targetReal, link.containerReal)) {
    // The target as written (`..`), not its real path: reports should not depend on the machine.
    const target = await readlink(link.absPath).catch(() => '?');
    state.warnings.push({
      kind: 'symlink',
      file: link.relPath,
      message: `symlink loop: ${target} leads back to a directory that contains the link; not followed`,
    });
    return;
  }
  // Already listed under its real path or an earlier link: listing it twice would report every
  // client in it twice.
  if (state.visitedRealDirs.has(targetReal)) return;
  await walkDirectory(state, link.absPath, link.relPath, targetReal, link.levels);
}

/** `path.join` without its normalising pass, which showed in profiles of large trees. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

function isSameOrAncestor(candidate: string, path: string): boolean {
  return path === candidate || path.startsWith(candidate.endsWith(sep) ? candidate : candidate + sep);
}

/**
 * Files whose name ends with `suffix` under `relDir` (relative to `root`), at most `maxDepth`
 * directories deep, skipping `node_modules` and `.git` and not following symlinks. For looking
 * inside places the main walk leaves out (ignored directories, a schema folder git ignores);
 * unreadable directories are skipped silently, because these places are searched on a hunch.
 */
export async function findFilesBySuffix(
  root: string,
  relDir: string,
  suffix: string,
  maxDepth = Number.POSITIVE_INFINITY,
): Promise<string[]> {
  const found: string[] = [];
  const visit = async (rel: string, depth: number): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
    const subdirectories: Promise<void>[] = [];
    for (const entry of entries) {
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!NEVER_ENTERED.has(entry.name) && depth < maxDepth) subdirectories.push(visit(relPath, depth + 1));
      } else if (entry.isFile() && entry.name.endsWith(suffix)) {
        found.push(relPath);
      }
    }
    await Promise.all(subdirectories);
  };
  await visit(relDir, 0);
  return found.sort();
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
