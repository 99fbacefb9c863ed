/**
 * Reading source files: bytes into large chunks, handed on in batches to be judged (see
 * file-judge.ts) on whichever thread is free, plus the byte-level searches the judging uses.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { SourceEntry } from './file-judge.js';
import type { ScanWarning } from '../types.js';

export type ProgressCallback = (filesRead: number) => void;

/** Files per batch handed on: a few milliseconds of judging, enough to amortise a message. */
const BATCH_FILES = 64;

/**
 * Reads every file once, on this thread. Reading stays on one thread on purpose: on the
 * machines this was measured on, opening and reading files does not get faster with more
 * threads (the system calls serialise), while judging and parsing do.
 */
export class SourceReader {
  readonly warnings: ScanWarning[] = [];

  /**
   * @param shared read into SharedArrayBuffer chunks, so that batches reach worker threads
   *   without a copy.
   */
  constructor(
    private readonly root: string,
    private readonly shared: boolean,
  ) {}

  /**
   * Reads `files` and hands them on in batches, yielding to the event loop between batches so
   * that worker threads can be fed and report while reading goes on.
   */
  async read(files: readonly string[], onBatch: (entries: SourceEntry[]) => void, onProgress?: ProgressCallback): Promise<void> {
    const arena = new ByteArena(undefined, this.shared);
    let batch: SourceEntry[] = [];
    let count = 0;
    for (const file of files) {
      const entry = this.readOne(arena, file);
      if (entry) batch.push(entry);
      if (batch.length === BATCH_FILES) {
        onBatch(batch);
        batch = [];
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (++count % 500 === 0) onProgress?.(count);
    }
    if (batch.length > 0) onBatch(batch);
    onProgress?.(count);
  }

  private readOne(arena: ByteArena, file: string): SourceEntry | null {
    const read = arena.readFile(`${this.root}/${file}`);
    if ('error' in read) {
      // Listed but gone: deleted from the work tree while still in git's index, or removed
      // while the scan ran. Nothing there to lose.
      if (read.error !== 'no such file') this.warnings.push({ kind: 'read', file, message: `could not read: ${read.error}` });
      return null;
    }
    return { file, bytes: read.bytes };
  }
}

/**
 * Reads many small files into large shared chunks instead of one Buffer each: per-file buffers
 * cost more in allocation and garbage collection than the reading itself on a 20,000-file tree.
 */
export class ByteArena {
  private chunk: Buffer = Buffer.alloc(0);
  private used = 0;

  /** @param shared allocate SharedArrayBuffer chunks (see `SourceReader`). */
  constructor(
    private readonly chunkBytes = 8 * 1024 * 1024,
    private readonly shared = false,
  ) {}

  /** Reads a whole file: one read() when it fits the current chunk, no fstat() needed. */
  readFile(path: string): { bytes: Buffer } | { error: string } {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      return { error: describeFsError(error) };
    }
    try {
      if (this.chunk.length - this.used < 64 * 1024) this.newChunk(0);
      const room = this.chunk.length - this.used;
      const n = readSync(fd, this.chunk, this.used, room, 0);
      if (n < room) return { bytes: this.take(n) };
      // Filled the chunk: the file may be larger. Read it whole into a chunk of its own size.
      const size = fstatSync(fd).size;
      this.newChunk(size);
      let offset = 0;
      while (offset < size) {
        const read = readSync(fd, this.chunk, this.used + offset, size - offset, offset);
        if (read === 0) break;
        offset += read;
      }
      return { bytes: this.take(offset) };
    } catch (error) {
      return { error: describeFsError(error) };
    } finally {
      closeSync(fd);
    }
  }

  private take(length: number): Buffer {
    const bytes = this.chunk.subarray(this.used, this.used + length);
    this.used += length;
    return bytes;
  }

  private newChunk(atLeast: number): void {
    const size = Math.max(this.chunkBytes, atLeast);
    this.chunk = this.shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafeSlow(size);
    this.used = 0;
  }
}

/** One file on its own: a zero-size arena always takes the exact-size (fstat) path. */
export function readFileBytes(path: string): { bytes: Buffer } | { error: string } {
  return new ByteArena(0).readFile(path);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'ENOENT') return 'no such file';
  return (error as Error).message;
}

export const IDENTIFIER_BYTE = new Uint8Array(256);
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

const IMPORT_KEYWORDS = ['from', 'require', 'import'].map((keyword) => Buffer.from(keyword));
const QUOTES = new Set([0x22, 0x27, 0x60]);
/** Longer than any module specifier worth matching; a quote further away is not the closing one. */
const MAX_SPECIFIER_BYTES = 256;

/**
 * Does the file import one of these modules (or a subpath, or a scoped or dashed relative:
 * `pg`, `drizzle-orm/node-postgres`, `@redis/client`, `@sequelize/core`)? A file builds a
 * library's client only by importing it; re-exports through project files are learned by the
 * binder and searched for as words in later rounds.
 *
 * Only the places a specifier can stand are read — after `from`, `require(`, `import(` and a
 * bare `import` — so the cost is three byte searches whatever the number of names, and a
 * module name in a comment, a variable called `redis` or `lib/redis.js` does not count.
 */
export function importsAnyModule(bytes: Buffer, names: readonly string[]): boolean {
  for (const keyword of IMPORT_KEYWORDS) {
    for (let at = bytes.indexOf(keyword); at !== -1; at = bytes.indexOf(keyword, at + keyword.length)) {
      let start = skipSpaces(bytes, at + keyword.length);
      if (bytes[start] === 0x28 /* ( */) start = skipSpaces(bytes, start + 1);
      const quote = bytes[start]!;
      if (!QUOTES.has(quote)) continue;
      const end = bytes.indexOf(quote, start + 1);
      if (end === -1 || end - start > MAX_SPECIFIER_BYTES) continue;
      const specifier = bytes.toString('latin1', start + (bytes[start + 1] === 0x40 /* @ */ ? 2 : 1), end);
      if (names.some((name) => specifier.startsWith(name) && !IDENTIFIER_BYTE[specifier.charCodeAt(name.length)]!)) return true;
    }
  }
  return false;
}

/** The first offset at or after `at` that is not a space, tab or line break. */
export function skipSpaces(bytes: Buffer, at: number): number {
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d)) at++;
  return at;
}
