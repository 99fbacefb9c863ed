/**
 * Reading, pre-filtering and analysing a share of the repository's files. The same class runs
 * inside each worker thread and, for small trees, on the main thread.
 *
 * Rounds: the first round reads every file and analyses those that contain a pre-filter word
 * (`PrismaClient`); later rounds only look for new words the binder has learned (the name of a
 * class that extends the client, a renamed re-export), in the files not analysed yet, whose
 * bytes are kept between rounds so nothing is read twice.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { classifyBytes, decodeUtf8, declaresItselfGenerated, LineIndex } from './source-text.js';
import { parseSource } from './parse.js';
import { extractFacts, type FileFacts } from './facts.js';
import type { ScanWarning } from '../types.js';

export interface RoundResult {
  facts: FileFacts[];
  warnings: ScanWarning[];
  /** Files analysed (parsed) in this round. */
  parsed: number;
  /** Files skipped because they declare themselves generated. */
  generated: number;
}

export interface ScannerOptions {
  root: string;
  files: string[];
  maxFileBytes: number;
}

export type ProgressCallback = (filesRead: number) => void;

export class FileScanner {
  private pending: { file: string; bytes: Buffer }[] | null = null;

  constructor(private readonly options: ScannerOptions) {}

  round(words: readonly string[], onProgress?: ProgressCallback): RoundResult {
    const result: RoundResult = { facts: [], warnings: [], parsed: 0, generated: 0 };
    if (this.pending === null) this.pending = this.readAll(result.warnings, onProgress);
    const stillPending: { file: string; bytes: Buffer }[] = [];
    for (const entry of this.pending) {
      if (!containsAnyWord(entry.bytes, words)) {
        stillPending.push(entry);
        continue;
      }
      if (entry.bytes.length > this.options.maxFileBytes) {
        result.warnings.push({
          kind: 'size',
          file: entry.file,
          message: `not analysed: ${formatMegabytes(entry.bytes.length)} is over the ${formatMegabytes(this.options.maxFileBytes)} limit (raise it with --max-file-size)`,
        });
        continue;
      }
      const analysed = analyseText(entry.file, decodeUtf8(entry.bytes));
      if (analysed.warning) result.warnings.push(analysed.warning);
      if (analysed.facts.generatedBy) result.generated++;
      else result.parsed++;
      result.facts.push(analysed.facts);
    }
    this.pending = stillPending;
    return result;
  }

  /** Frees the bytes kept for later rounds. */
  finish(): void {
    this.pending = [];
  }

  private readAll(warnings: ScanWarning[], onProgress?: ProgressCallback): { file: string; bytes: Buffer }[] {
    const out: { file: string; bytes: Buffer }[] = [];
    let count = 0;
    for (const file of this.options.files) {
      const read = readFileBytes(join(this.options.root, file));
      if (++count % 1000 === 0) onProgress?.(count);
      if ('error' in read) {
        warnings.push({ kind: 'read', file, message: `could not read: ${read.error}` });
        continue;
      }
      const verdict = classifyBytes(read.bytes);
      if (verdict === 'binary') {
        warnings.push({ kind: 'binary', file, message: 'binary content (NUL bytes) in a source file; skipped' });
        continue;
      }
      if (verdict === 'encoding') {
        warnings.push({ kind: 'encoding', file, message: 'not valid UTF-8; skipped (re-save it as UTF-8 to have it scanned)' });
        continue;
      }
      out.push({ file, bytes: read.bytes });
    }
    onProgress?.(count);
    return out;
  }
}

/** Reads and analyses one file on demand (a barrel the binder needs that no word matched). */
export function analyseFile(root: string, file: string, maxFileBytes: number): { facts: FileFacts | null; warning?: ScanWarning } {
  const read = readFileBytes(join(root, file));
  if ('error' in read) return { facts: null, warning: { kind: 'read', file, message: `could not read: ${read.error}` } };
  if (read.bytes.length > maxFileBytes || classifyBytes(read.bytes) !== 'ok') return { facts: null };
  return analyseText(file, decodeUtf8(read.bytes));
}

export function analyseText(file: string, text: string): { facts: FileFacts; warning?: ScanWarning } {
  if (declaresItselfGenerated(text)) {
    return { facts: emptyFacts(file, /prisma/i.test(text.slice(0, 600)) ? 'prisma' : 'other') };
  }
  try {
    const { program, errors } = parseSource(file, text);
    const facts = extractFacts(file, text, program as never);
    const first = errors[0];
    if (!first) return { facts };
    const { line, column } = new LineIndex(text).position(first.offset);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return {
      facts,
      warning: { kind: 'parse', file, line, column, message: `could not parse: ${first.message}${more}; sites after this point may be missed` },
    };
  } catch (error) {
    // A stack overflow on pathological nesting, or a parser crash: lose this file, not the scan.
    return { facts: emptyFacts(file, null), warning: { kind: 'parse', file, message: `could not analyse: ${(error as Error).message}` } };
  }
}

function emptyFacts(file: string, generatedBy: FileFacts['generatedBy']): FileFacts {
  return { file, exports: new Map(), starExports: [], wholeExport: null, constructions: [], generatedBy };
}

/** open + fstat + read + close: fewer system calls than readFileSync's growing reads. */
function readFileBytes(path: string): { bytes: Buffer } | { error: string } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { error: describeFsError(error) };
  }
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const n = readSync(fd, bytes, offset, size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return { bytes: offset === size ? bytes : bytes.subarray(0, offset) };
  } catch (error) {
    return { error: describeFsError(error) };
  } finally {
    closeSync(fd);
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'symlink loop';
  return (error as Error).message;
}

const IDENTIFIER_BYTE = new Uint8Array(256);
for (const range of ['az', 'AZ', '09', '__', '$$']) {
  for (let c = range.charCodeAt(0); c <= range.charCodeAt(1); c++) IDENTIFIER_BYTE[c] = 1;
}

/**
 * Whole-word search on raw bytes. Bytes above 0x7f count as non-identifier so that a word next
 * to a non-ASCII character still matches: over-matching costs a parse, under-matching a site.
 */
export function containsAnyWord(bytes: Buffer, words: readonly string[]): boolean {
  for (const word of words) {
    let at = bytes.indexOf(word);
    while (at !== -1) {
      const before = at === 0 ? 0 : IDENTIFIER_BYTE[bytes[at - 1]!];
      const after = at + word.length >= bytes.length ? 0 : IDENTIFIER_BYTE[bytes[at + word.length]!];
      if (!before && !after) return true;
      at = bytes.indexOf(word, at + 1);
    }
  }
  return false;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
