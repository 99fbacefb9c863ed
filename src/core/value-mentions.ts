/**
 * The second, finer pre-filter: does a file mention a word where it could be a value?
 * TypeScript code names `PrismaClient` far more often as a type (`import type { PrismaClient }`,
 * `prisma: PrismaClient`, `Pick<PrismaClient, 'user'>`) than it constructs one; in a typical
 * monorepo most files that contain the word only use it as a type, and parsing them would be
 * most of a scan's time.
 *
 * Only files that import the word as a type (`import type { PrismaClient }`, or an inline
 * `import { type PrismaClient }`) can be dropped: there, using that binding as a value does
 * not compile, so a value can only come from another binding of the same name or a member of
 * something else. Each occurrence is judged by what stands around it:
 *  - inside `import type { … }` / `export type { … }`, or an inline `type` specifier → a type;
 *  - right after `:`, `<`, `|`, `&`, `typeof`, `keyof`, `as`, `satisfies`, `implements`, `is`
 *    → a type annotation (in such a file, `{ k: PrismaClient }` or `a ? b : PrismaClient`
 *    would be a compile error);
 *  - inside a value `import { … }` list without a rename → only a binding;
 *  - anything else (after `new`, `extends`, `=`, `.`, in destructuring or parameters, which
 *    declare a new binding of the name, in an export list, a rename) → a possible value.
 * Every other file that contains the word is parsed, unless it names the word only in whole-line
 * comments. Unclear cases count as values: this filter may keep a file it could drop, never
 * the reverse.
 */

const TYPE_LIST = /\b(?:import|export)\s+type\s*\{[^}]*\}/g;
const IMPORT_LIST = /\bimport\s*\{[^}]*\}/g;
const TYPE_CONTEXT_BEFORE = /(?:[:<|&]|\b(?:typeof|keyof|as|satisfies|implements|is|type))\s*$/;

export function mentionsAsValue(text: string, word: string): boolean {
  const occurrences = wordOccurrences(text, word).filter((at) => !onCommentLine(text, at));
  if (occurrences.length === 0) return false;
  const typeLists = spans(text, TYPE_LIST);
  const importLists = spans(text, IMPORT_LIST);
  const inlineType = new RegExp(`\\btype\\s+${escapeRegExp(word)}(?![\\w$])`);
  const importedAsType =
    occurrences.some((at) => inside(typeLists, at)) ||
    importLists.some(([start, end]) => inlineType.test(text.slice(start, end)));
  if (!importedAsType) return true;
  for (const at of occurrences) {
    if (inside(typeLists, at)) continue;
    const before = text.slice(Math.max(0, at - 24), at);
    if (inside(importLists, at)) {
      // `import { PrismaClient as Db }`: the client goes on under another name.
      if (/^\s+as\s/.test(text.slice(at + word.length, at + word.length + 8))) return true;
      continue;
    }
    if (TYPE_CONTEXT_BEFORE.test(before)) continue;
    return true;
  }
  return false;
}

/**
 * Is the occurrence on a line that is a comment from its start (`// new PrismaClient()`,
 * ` * @example new PrismaClient()` in JSDoc, a `/* … *\/` line)? Only whole-line comments:
 * a `//` after code on the same line could sit inside a string (`'http://…'`), so there the
 * word still counts. A line starting like a comment inside a template literal is not code
 * either, so nothing is lost.
 */
function onCommentLine(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^\s*(?:\/\/|\/\*|\*)/.test(text.slice(lineStart, at));
}

function wordOccurrences(text: string, word: string): number[] {
  const out: number[] = [];
  for (const match of text.matchAll(new RegExp(`(?<![\\w$])${escapeRegExp(word)}(?![\\w$])`, 'g'))) out.push(match.index);
  return out;
}

function spans(text: string, pattern: RegExp): [number, number][] {
  return [...text.matchAll(pattern)].map((match) => [match.index, match.index + match[0].length]);
}

function inside(ranges: [number, number][], offset: number): boolean {
  return ranges.some(([start, end]) => offset >= start && offset < end);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
