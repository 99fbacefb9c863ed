/**
 * JSON files users write by hand (config, baseline): a syntax error becomes a UsageError that
 * names the file, line and column. V8's own messages give a position only for some errors and
 * never a line, so the position is found by a small JSON scanner of our own.
 */
import { UsageError } from '../errors.js';

/** Parses `text`; a syntax error throws a UsageError `name:line:column: invalid JSON: …`. */
export function parseJsonText(text: string, name: string, hint?: string): unknown {
  // Editors on Windows like to add a byte order mark; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const found = findJsonSyntaxError(body);
    if (!found) throw new UsageError(`${name}: invalid JSON: ${(error as Error).message}`, hint);
    const { line, column } = lineAndColumn(body, found.offset);
    throw new UsageError(`${name}:${line}:${column}: invalid JSON: ${found.message}`, hint);
  }
}

interface JsonSyntaxError {
  offset: number;
  message: string;
}

/** The first syntax error in `text` with its offset, or null when the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let at = 0;
  const fail = (message: string, offset = at): never => {
    throw { offset, message } satisfies JsonSyntaxError;
  };
  const describe = (offset: number) => {
    if (offset >= text.length) return 'unexpected end of file';
    if (text.startsWith('//', offset) || text.startsWith('/*', offset)) return 'comments are not allowed in JSON';
    return `unexpected ${JSON.stringify(text[offset])}`;
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) fail(`${describe(at)}, expected "${char}"`);
    at++;
  };
  const string = () => {
    at++; // the opening quote
    while (at < text.length) {
      const char = text[at]!;
      if (char === '"') {
        at++;
        return;
      }
      if (char === '\n') fail('unterminated string');
      if (char === '\\') {
        const escape = text[at + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) fail('invalid \\u escape');
          at += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) fail('invalid escape in string');
        at += 2;
        continue;
      }
      if (char < ' ') fail('control character in string');
      at++;
    }
    fail('unterminated string');
  };
  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === '{') return members('}', () => {
      skipSpace();
      if (text[at] !== '"') fail(`${describe(at)}, expected a property name in double quotes`);
      string();
      expect(':');
      value();
    });
    if (char === '[') return members(']', value);
    if (char === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 400));
    if (literal) {
      at += literal[0].length;
      return;
    }
    fail(`${describe(at)}, expected a value`);
  };
  const members = (close: string, member: () => void) => {
    at++; // the opening bracket
    skipSpace();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      member();
      skipSpace();
      if (text[at] === close) {
        at++;
        return;
      }
      if (text[at] !== ',') fail(`${describe(at)}, expected "," or "${close}"`);
      const comma = at++;
      skipSpace();
      if (text[at] === close) fail(`trailing comma before "${close}"`, comma);
    }
  };
  try {
    value();
    skipSpace();
    if (at < text.length) fail(`${describe(at)} after the end of the document`);
    return null;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'offset' in error) return error as JsonSyntaxError;
    throw error;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
