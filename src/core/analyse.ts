/**
 * Analysing one file's text: parse it, extract its facts, and turn what went wrong into a
 * warning with a position. Runs on the main thread or inside a worker of the pool.
 */
import { join } from 'node:path';
import { parseLeniently } from './parse.js';
import { extractFacts, type FileFacts } from './facts.js';
import { classifyBytes, declaresItselfGenerated, decodeUtf8, LineIndex } from './source-text.js';
import { readFileBytes } from './source-reader.js';
import type { Candidate } from './file-judge.js';
import type { ScanWarning } from '../types.js';

export interface AnalysisResult {
  facts: FileFacts[];
  warnings: ScanWarning[];
  /** Files analysed (parsed). */
  parsed: number;
  /** Files skipped because they declare themselves generated. */
  generated: number;
  /** Files parsed for the rules alone (see `Candidate.forRulesOnly`). */
  forRulesOnly: string[];
  /** Files parsed earlier for the rules alone that a later round's words name after all. */
  namedLater: string[];
}

/** Parses and analyses candidates (on the main thread or inside a worker). */
export function analyseCandidates(candidates: readonly Candidate[]): AnalysisResult {
  const result: AnalysisResult = { facts: [], warnings: [], parsed: 0, generated: 0, forRulesOnly: [], namedLater: [] };
  for (const { file, text, forRulesOnly } of candidates) {
    if (forRulesOnly) result.forRulesOnly.push(file);
    const analysed = analyseText(file, text);
    if (analysed.warning) result.warnings.push(analysed.warning);
    if (analysed.facts.generatedBy) result.generated++;
    else result.parsed++;
    result.facts.push(analysed.facts);
  }
  return result;
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
    const { program, errors } = parseLeniently(file, text);
    const facts = extractFacts(file, text, program as never);
    const first = errors[0];
    if (!first) return { facts };
    const { line, column } = new LineIndex(text).position(first.offset);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return {
      facts,
      warning: { kind: 'parse', file, line, column, message: `could not parse: ${first.message}${more}; ${(program.body as unknown[]).length === 0 ? 'the file was not analysed' : 'sites in it may be missed'}` },
    };
  } catch (error) {
    // A stack overflow on pathological nesting, or a parser crash: lose this file, not the scan.
    return { facts: emptyFacts(file, null), warning: { kind: 'parse', file, message: `could not analyse: ${(error as Error).message}` } };
  }
}

function emptyFacts(file: string, generatedBy: FileFacts['generatedBy']): FileFacts {
  return { file, exports: new Map(), starExports: [], wholeExport: null, constructions: [], generatedBy, observations: { collections: [], calls: [], shutdownHooks: [] } };
}

