/**
 * Which files are worth parsing. Runs on whichever thread holds a file's bytes: the reader hands
 * batches of freshly read files to the parser threads, and each keeps the files it passed over
 * for later rounds, so that the byte checks (the costliest part of a scan after parsing) run on
 * every core instead of on the reading thread alone.
 */
import { classifyBytes, decodeUtf8 } from './source-text.js';
import { mentionsAsValue } from './value-mentions.js';
import { containsAnyWord, importsAnyModule } from './source-reader.js';
import { buildsQueue, mayHoldRuleFinding } from './rule-triggers.js';
import type { ScanWarning } from '../types.js';

/** A file as read: its path relative to the root, and its bytes. */
export interface SourceEntry {
  file: string;
  bytes: Buffer;
}

/** A file worth parsing, decoded. */
export interface Candidate {
  file: string;
  text: string;
  /**
   * Let through for the rules alone: it names no client constructor, learned name or client
   * library, so none of its `new X()` can build a client and the binder need not follow them.
   */
  forRulesOnly?: boolean;
}

/** What a round found. */
export interface Judgement {
  candidates: Candidate[];
  /** Files parsed earlier for the rules alone that a word of this round names after all. */
  namedLater: string[];
}

export interface JudgeSettings {
  /** Larger files are not analysed (a warning says so). */
  maxFileBytes: number;
  /**
   * Module names (`pg`, `knex`) that make a file a candidate in the first round, when they
   * begin a module specifier (see `importsAnyModule`). Files that build a Bull or BullMQ queue
   * count as importing a library too, when the rules' trigger is on.
   */
  specifiers: readonly string[];
  /** Also let through files the rules may find something in (see `mayHoldRuleFinding`). */
  ruleTrigger: boolean;
}

/**
 * Judges files in rounds. The first round looks at freshly read files with the libraries' own
 * words (`PrismaClient`), their module names and the rules' trigger; later rounds look only for
 * words the binder has learned (a subclass, a renamed re-export) in the files passed over so far.
 */
export class FileJudge {
  private pending: SourceEntry[] = [];
  /** Parsed for the rules alone: a later word may still name them (see `Candidate.forRulesOnly`). */
  private forRulesOnly: SourceEntry[] = [];
  private warnings: ScanWarning[] = [];

  constructor(private readonly settings: JudgeSettings) {}

  /** The first look at files just read; returns those to parse and keeps the rest. */
  judgeNew(entries: readonly SourceEntry[], words: readonly string[]): Candidate[] {
    const candidates: Candidate[] = [];
    for (const entry of entries) {
      const verdict = classifyBytes(entry.bytes);
      if (verdict === 'binary') {
        this.warnings.push({ kind: 'binary', file: entry.file, message: 'binary content (NUL bytes) in a source file; skipped' });
        continue;
      }
      if (verdict === 'encoding') {
        this.warnings.push({ kind: 'encoding', file: entry.file, message: 'not valid UTF-8; skipped (re-save it as UTF-8 to have it scanned)' });
        continue;
      }
      const importsLibrary =
        (this.settings.specifiers.length > 0 && importsAnyModule(entry.bytes, this.settings.specifiers)) || (this.settings.ruleTrigger && buildsQueue(entry.bytes));
      this.judge(entry, words, importsLibrary, this.settings.ruleTrigger && !importsLibrary && mayHoldRuleFinding(entry.bytes, false), candidates);
    }
    return candidates;
  }

  /** A later round: the files passed over so far that mention one of `words` as a value. */
  judgePending(words: readonly string[]): Judgement {
    const candidates: Candidate[] = [];
    const entries = this.pending;
    this.pending = [];
    for (const entry of entries) this.judge(entry, words, false, false, candidates);
    const namedLater: string[] = [];
    this.forRulesOnly = this.forRulesOnly.filter((entry) => {
      if (!this.names(entry, words)) return true;
      namedLater.push(entry.file);
      return false;
    });
    return { candidates, namedLater };
  }

  /** Warnings since the last call. */
  takeWarnings(): ScanWarning[] {
    const warnings = this.warnings;
    this.warnings = [];
    return warnings;
  }

  /** Frees the bytes kept for later rounds. */
  finish(): void {
    this.pending = [];
    this.forRulesOnly = [];
  }

  /** Whether the file mentions one of `words` where a value could stand. */
  private names(entry: SourceEntry, words: readonly string[]): boolean {
    if (!containsAnyWord(entry.bytes, words)) return false;
    const text = decodeUtf8(entry.bytes);
    return words.some((word) => mentionsAsValue(text, word));
  }

  /**
   * @param importsLibrary the file imports a client library: a candidate whatever its words.
   * @param forRules the rules' trigger let it through: a candidate, for the rules alone unless a word names it.
   */
  private judge(entry: SourceEntry, words: readonly string[], importsLibrary: boolean, forRules: boolean, candidates: Candidate[]): void {
    const triggered = importsLibrary || forRules;
    if (!triggered && !containsAnyWord(entry.bytes, words)) {
      this.pending.push(entry);
      return;
    }
    if (entry.bytes.length > this.settings.maxFileBytes) {
      this.warnings.push({
        kind: 'size',
        file: entry.file,
        message: `not analysed: ${formatMegabytes(entry.bytes.length)} is over the ${formatMegabytes(this.settings.maxFileBytes)} limit (raise it with --max-file-size)`,
      });
      return;
    }
    const text = decodeUtf8(entry.bytes);
    const named = importsLibrary || words.some((word) => mentionsAsValue(text, word));
    if (!named && !forRules) {
      // Only ever a type here (`import type { PrismaClient }`): it cannot construct one with
      // these words, but a word learned later may still make it a candidate.
      this.pending.push(entry);
      return;
    }
    if (named) {
      candidates.push({ file: entry.file, text });
    } else {
      candidates.push({ file: entry.file, text, forRulesOnly: true });
      this.forRulesOnly.push(entry);
    }
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
