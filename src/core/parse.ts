/**
 * The one wrapper around the parser. Everything else sees an ESTree `Program` and a list of
 * syntax errors; which transport oxc uses to hand the AST over is decided here only.
 *
 * oxc-parser is pinned to an exact version: the raw-transfer path is experimental and its
 * behaviour may change between releases. Both paths produce the same ESTree shape; a test on
 * Node 22 checks that they give the same facts for every fixture.
 */
import { parseSync, rawTransferSupported, type Program } from 'oxc-parser';

export type ParserTransport = 'raw' | 'json';

export interface ParseOutcome {
  program: Program;
  /** Syntax errors with their UTF-16 offset; empty when the file parsed cleanly. */
  errors: { message: string; offset: number }[];
}

let chosenTransport: ParserTransport | null = null;

/**
 * JSON transfer by default. Raw transfer (Node >= 22, 64-bit) hands the AST over through shared
 * memory and deserialises faster once warm, but a scan is one cold run: its large deserialiser
 * is compiled afresh in every thread, and on the 20,000-file bench whole scans took 1.9 s with
 * it against 1.7 s with JSON on Node 22. `LEAKHOUND_PARSER=raw` opts in (the tests check that
 * both give the same facts).
 */
export function parserTransport(): ParserTransport {
  if (chosenTransport === null) {
    chosenTransport = process.env.LEAKHOUND_PARSER === 'raw' && rawTransferSupported() ? 'raw' : 'json';
  }
  return chosenTransport;
}

export function parseSource(fileName: string, text: string, lang?: 'tsx', transport: ParserTransport = parserTransport()): ParseOutcome {
  const result = parseSync(fileName, text, {
    // Parentheses carry no meaning for us and would only add a node kind to unwrap.
    preserveParens: false,
    // A JavaScript-shaped AST leaves out type annotations, which are a large share of a
    // TypeScript AST and construct nothing: deserialising half as many nodes halves the
    // parse time. TS expressions (`x as T`, `x!`) and statements stay; `importKind` goes
    // (facts.ts reads it from the source text instead).
    astType: 'js',
    ...(lang ? { lang } : {}),
    ...(transport === 'raw' ? { experimentalRawTransfer: true } : {}),
  } as Parameters<typeof parseSync>[2]);
  const errors = result.errors
    .filter((error) => error.severity === 'Error')
    .map((error) => ({ message: error.message, offset: error.labels[0]?.start ?? 0 }));
  return { program: result.program, errors };
}

/**
 * Parses by the file's extension, then, if that fails, as TSX: JSX in `.js` files (React
 * projects), type annotations in `.js` (Flow) and JSX in `.ts` are common, and oxc returns no
 * AST at all for a file with a syntax error. The first attempt's errors are the ones reported.
 */
export function parseLeniently(fileName: string, text: string): ParseOutcome {
  const first = parseSource(fileName, text);
  if (first.errors.length === 0) return first;
  const retry = parseSource(fileName, text, 'tsx');
  return retry.errors.length === 0 ? retry : first;
}
