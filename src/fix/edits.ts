/**
 * Text edits, applied from the end of a file backwards so that earlier offsets stay valid.
 * Two edits that overlap mean the plan is wrong about the file: applying either would be a
 * guess, so it is an error and the file is left alone.
 */
import type { TextEdit } from '../types.js';

export class OverlappingEditsError extends Error {}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // Stable order: by start, then insertions (empty ranges) before replacements at the same
  // offset, then the order they were made in.
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || (a.edit.end - a.edit.start) - (b.edit.end - b.edit.start) || a.index - b.index)
    .map(({ edit }) => edit);
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]!;
    const current = ordered[i]!;
    if (current.start < previous.end) {
      throw new OverlappingEditsError(`edits overlap at offsets ${previous.start}-${previous.end} and ${current.start}-${current.end}`);
    }
  }
  let out = text;
  for (let i = ordered.length - 1; i >= 0; i--) {
    const { start, end, text: replacement } = ordered[i]!;
    if (start < 0 || end > text.length || start > end) throw new OverlappingEditsError(`edit out of range: ${start}-${end}`);
    out = out.slice(0, start) + replacement + out.slice(end);
  }
  return out;
}

/** The line ending a file uses, so that inserted lines match it. */
export function lineEndingOf(text: string): '\r\n' | '\n' {
  const crlf = text.indexOf('\r\n');
  return crlf !== -1 && crlf <= text.indexOf('\n') ? '\r\n' : '\n';
}

/** Converts the `\n` line breaks of generated text to the file's own. */
export function withLineEnding(text: string, ending: '\r\n' | '\n'): string {
  return ending === '\n' ? text : text.replace(/\r?\n/g, '\r\n');
}
