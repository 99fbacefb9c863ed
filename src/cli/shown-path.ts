import { isAbsolute, relative } from 'node:path';

/** Relative to the working directory when below it, as users would type it. */
export function shownPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
}
