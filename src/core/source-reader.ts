/**
 * Reading source files: bytes into large shared chunks, binary / non-UTF-8 files turned into
 * warnings, and the whole-word pre-filter that decides which files are worth parsing.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { classifyBytes, decodeUtf8 } from './source-text.js';
import { mentionsAsValue } from './value-mentions.js';
import type { ScanWarning } from '../types.js';

export interface Candidate {
  file: string;
  text: string;
}

export type ProgressCallback = (filesRead: number) => void;

/**
 * Reads every file once, keeps the bytes, and hands out those that contain a pre-filter word.
 *
 * Rounds: the first round looks for the libraries' own words (`PrismaClient`); later rounds
 * only for new words the binder has learned (the name of a class that extends the client, a
 * renamed re-export), in the files not handed out yet, so that nothing is read twice.
 *
 * Reading stays on one thread on purpose: on the machines this was measured on, opening and
 * reading files does not get faster with more threads (the system calls serialise), while
 * parsing does; the pool parallelises parsing.
 */
export class SourceReader {
  private pending: PendingFile[] | null = null;
  readonly warnings: ScanWarning[] = [];

  /**
   * @param trigger a second way into parsing, tried in the first round only: files the words
   *   miss but that may hold something else worth analysing (what the rules look for).
   */
  constructor(
    private readonly root: string,
    private readonly files: readonly string[],
    private readonly maxFileBytes: number,
    private readonly trigger: ((bytes: Buffer) => boolean) | null = null,
  ) {}

  /**
   * Module names (`pg`, `knex`) that make a file a candidate, first round only, when they
   * begin a module specifier (see `importsAnyModule`); set before the first `take`.
   */
  specifiers: readonly string[] = [];

  /**
   * Hands every not-yet-taken file that mentions one of `words` as a possible value to
   * `onCandidate`. The first call reads the files, yielding to the event loop now and then so
   * that parser threads can be fed while reading goes on.
   */
  async take(words: readonly string[], onCandidate: (candidate: Candidate) => void, onProgress?: ProgressCallback): Promise<void> {
    const stillPending: PendingFile[] = [];
    if (this.pending === null) {
      const arena = new ByteArena();
      let count = 0;
      for (const file of this.files) {
        const entry = this.read(arena, file);
        if (entry) this.judge(entry, words, onCandidate, stillPending, true);
        if (++count % 500 === 0) {
          onProgress?.(count);
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      onProgress?.(count);
    } else {
      for (const entry of this.pending) this.judge(entry, words, onCandidate, stillPending);
    }
    this.pending = stillPending;
  }

  /**
   * Reads files that were listed late (untracked files, see discover's `deferUntracked`) and
   * judges them with `words`: call it after the first `take` with that round's words.
   */
  extend(files: readonly string[], words: readonly string[], onCandidate: (candidate: Candidate) => void): void {
    const arena = new ByteArena();
    for (const file of files) {
      const entry = this.read(arena, file);
      if (entry) this.judge(entry, words, onCandidate, (this.pending ??= []), true);
    }
  }

  /** Frees the bytes kept for later rounds. */
  finish(): void {
    this.pending = [];
  }

  private judge(entry: PendingFile, words: readonly string[], onCandidate: (candidate: Candidate) => void, stillPending: PendingFile[], firstRound = false): void {
    const triggered =
      firstRound && ((this.specifiers.length > 0 && importsAnyModule(entry.bytes, this.specifiers)) || (this.trigger !== null && this.trigger(entry.bytes)));
    if (!triggered && !containsAnyWord(entry.bytes, words)) {
      stillPending.push(entry);
      return;
    }
    if (entry.bytes.length > this.maxFileBytes) {
      this.warnings.push({
        kind: 'size',
        file: entry.file,
        message: `not analysed: ${formatMegabytes(entry.bytes.length)} is over the ${formatMegabytes(this.maxFileBytes)} limit (raise it with --max-file-size)`,
      });
      return;
    }
    const text = decodeUtf8(entry.bytes);
    if (!triggered && !words.some((word) => mentionsAsValue(text, word))) {
      // Only ever a type here (`import type { PrismaClient }`): it cannot construct one with
      // these words, but a word learned later may still make it a candidate.
      stillPending.push(entry);
      return;
    }
    onCandidate({ file: entry.file, text });
  }

  private read(arena: ByteArena, file: string): PendingFile | null {
    const read = arena.readFile(`${this.root}/${file}`);
    if ('error' in read) {
      // Listed but gone: deleted from the work tree while still in git's index, or removed
      // while the scan ran. Nothing there to lose.
      if (read.error !== 'no such file') this.warnings.push({ kind: 'read', file, message: `could not read: ${read.error}` });
      return null;
    }
    const verdict = classifyBytes(read.bytes);
    if (verdict === 'binary') {
      this.warnings.push({ kind: 'binary', file, message: 'binary content (NUL bytes) in a source file; skipped' });
      return null;
    }
    if (verdict === 'encoding') {
      this.warnings.push({ kind: 'encoding', file, message: 'not valid UTF-8; skipped (re-save it as UTF-8 to have it scanned)' });
      return null;
    }
    return { file, bytes: read.bytes };
  }
}

interface PendingFile {
  file: string;
  bytes: Buffer;
}

/**
 * Reads many small files into large shared chunks instead of one Buffer each: per-file buffers
 * cost more in allocation and garbage collection than the reading itself on a 20,000-file tree.
 */
export class ByteArena {
  private chunk: Buffer = Buffer.alloc(0);
  private used = 0;

  constructor(private readonly chunkBytes = 8 * 1024 * 1024) {}

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
    this.chunk = Buffer.allocUnsafeSlow(Math.max(this.chunkBytes, atLeast));
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

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
