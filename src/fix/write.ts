/**
 * Writing the fixer's result: refuse to overwrite uncommitted work, then write each file
 * atomically (a temporary file in the same folder, renamed over the original) with the
 * original's mode, so that an interrupted run leaves every file either old or new.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Files among `files` (relative to root) with uncommitted changes; empty outside git. */
export function uncommittedFiles(root: string, files: readonly string[]): string[] {
  if (files.length === 0) return [];
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, encoding: 'utf8' });
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') return [];
  const status = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...files], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (status.status !== 0) return [];
  const prefix = spawnSync('git', ['rev-parse', '--show-prefix'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  return status.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3))
    .map((path) => (prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path));
}

export function writeAtomically(path: string, text: string, createOnly = false): void {
  let mode: number | undefined;
  try {
    mode = statSync(path).mode & 0o7777;
    if (createOnly) throw new Error(`${path} already exists`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${process.pid}.${Date.now()}.leakhound.tmp`);
  try {
    writeFileSync(temporary, text, mode === undefined ? undefined : { mode });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
