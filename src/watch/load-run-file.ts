/** Reading a run file the user named: every way it can fail is a usage error with a hint. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { parseRunFile, RunFileError, type RunFile } from './run-file.js';

const MAKE_ONE = 'run files are written by `leakhound watch --out <file> -- <command>`';

/** Reads and checks the run file at `path`; `shownName` is how messages name it. */
export function loadRunFile(path: string, shownName: string): RunFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory, not a run file' : `cannot be read (${(error as Error).message})`;
    throw new UsageError(`${shownName} ${problem}`, MAKE_ONE);
  }
  try {
    return parseRunFile(text, shownName);
  } catch (error) {
    if (error instanceof RunFileError) throw new UsageError(error.message, MAKE_ONE);
    throw error;
  }
}
