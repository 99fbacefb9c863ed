/**
 * Inline suppressions: a comment `leakhound-ignore-next-line <rule-id>[, <rule-id>…] -- reason`
 * (as `//`, `/* … *\/` or JSX `{/* … *\/}`) drops the findings of those rules on the next line
 * that holds code; without rule ids it drops every rule's. Several such comments stacked above
 * one line all apply to it.
 *
 * Comments are found with a line scanner that knows strings and template literals, not with the
 * parser: only files that have findings are read, and a `/*` inside a string must not hide the
 * lines after it.
 */
import { RULE_IDS } from '../config/settings.js';
import { didYouMean } from '../config/suggest.js';
import type { Finding, ScanWarning } from '../types.js';

const DIRECTIVE = 'leakhound-ignore-next-line';

export interface SuppressionResult {
  kept: Finding[];
  suppressed: Finding[];
  /** Unknown rule ids and suppressions without a reason (kind `config`). */
  warnings: ScanWarning[];
}

/**
 * Splits findings into those an inline comment suppresses and the rest. `textOf` reads a file
 * (relative path as in the findings); it is called once per file that has findings, and a file
 * it cannot read (null) keeps its findings.
 */
export function applySuppressions(findings: readonly Finding[], textOf: (file: string) => string | null): SuppressionResult {
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  const warnings: ScanWarning[] = [];
  const byFile = new Map<string, Map<number, Directive[]>>();
  for (const finding of findings) {
    let targets = byFile.get(finding.file);
    if (!targets) {
      const text = textOf(finding.file);
      const directives = text === null ? [] : findDirectives(text);
      targets = new Map();
      for (const directive of directives) {
        warnings.push(...directiveWarnings(directive, finding.file));
        if (directive.target === null) continue;
        const list = targets.get(directive.target) ?? [];
        list.push(directive);
        targets.set(directive.target, list);
      }
      byFile.set(finding.file, targets);
    }
    const applies = (targets.get(finding.line) ?? []).some((directive) => directive.ruleIds.length === 0 || directive.ruleIds.includes(finding.ruleId));
    (applies ? suppressed : kept).push(finding);
  }
  return { kept, suppressed, warnings };
}

export interface Directive {
  /** 1-based line and column of the comment. */
  line: number;
  column: number;
  /** Empty: every rule. */
  ruleIds: string[];
  reason: string | null;
  /** The 1-based line it applies to: the next line holding code; null at the end of the file. */
  target: number | null;
}

function directiveWarnings(directive: Directive, file: string): ScanWarning[] {
  const at = { kind: 'config' as const, file, line: directive.line, column: directive.column };
  const out: ScanWarning[] = [];
  for (const id of directive.ruleIds) {
    if (!(RULE_IDS as readonly string[]).includes(id)) {
      out.push({ ...at, message: `${DIRECTIVE}: "${id}" is not a rule${didYouMean(id, RULE_IDS)}` });
    }
  }
  if (directive.reason === null) {
    out.push({ ...at, message: `${DIRECTIVE} without a reason: add "-- <why this is fine>" so the next reader knows` });
  }
  return out;
}

/** Every suppression comment in `text`, with the line each applies to. */
export function findDirectives(text: string): Directive[] {
  const scanner = new CommentScanner();
  const directives: Directive[] = [];
  let pending: Directive[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const { comments, hasCode } = scanner.scanLine(line, index + 1);
    // Code on the line that closes a comment is not "the next line" of that comment.
    if (hasCode) {
      for (const directive of pending) directive.target = index + 1;
      pending = [];
    }
    for (const comment of comments) {
      const directive = parseDirective(comment.text, comment.line, comment.column);
      if (!directive) continue;
      directives.push(directive);
      pending.push(directive);
    }
  });
  return directives;
}

function parseDirective(comment: string, line: number, column: number): Directive | null {
  // JSDoc-style stars and spaces may come before the directive; only its own line counts.
  const body = comment.replace(/^[\s*]*/, '').split('\n')[0]!;
  if (!body.startsWith(DIRECTIVE)) return null;
  const rest = body.slice(DIRECTIVE.length);
  if (rest !== '' && !/^\s/.test(rest)) return null; // `leakhound-ignore-next-linefoo`
  const separator = rest.search(/(?:^|\s)--/);
  const idsText = separator === -1 ? rest : rest.slice(0, separator);
  const reason = separator === -1 ? '' : rest.slice(separator).replace(/^\s*--/, '').trim();
  return {
    line,
    column,
    ruleIds: idsText.split(/[\s,]+/).filter((id) => id !== ''),
    reason: reason === '' ? null : reason,
    target: null,
  };
}

interface ScannedComment {
  text: string;
  line: number;
  column: number;
}

/**
 * Splits lines into code and comments, carrying block comments and template literals across
 * lines. Good enough for locating comments: regular expression literals containing quotes or
 * `//` can confuse it, which at worst makes a suppression miss.
 */
class CommentScanner {
  private inBlockComment = false;
  private inTemplate = false;
  /** Where the open block comment started, and its text so far. */
  private block = { line: 0, column: 0, text: '' };

  scanLine(line: string, lineNumber: number): { comments: ScannedComment[]; hasCode: boolean } {
    const comments: ScannedComment[] = [];
    let code = '';
    let i = 0;
    while (i < line.length) {
      if (this.inBlockComment) {
        const end = line.indexOf('*/', i);
        if (end === -1) {
          this.block.text += line.slice(i);
          break;
        }
        this.block.text += line.slice(i, end);
        comments.push({ ...this.block });
        this.inBlockComment = false;
        i = end + 2;
        continue;
      }
      if (this.inTemplate) {
        const end = findClosing(line, i, '`');
        code += 'x';
        if (end === -1) break;
        this.inTemplate = false;
        i = end + 1;
        continue;
      }
      const char = line[i]!;
      if (char === '/' && line[i + 1] === '/') {
        comments.push({ text: line.slice(i + 2), line: lineNumber, column: i + 1 });
        break;
      }
      if (char === '/' && line[i + 1] === '*') {
        this.inBlockComment = true;
        this.block = { line: lineNumber, column: i + 1, text: '' };
        i += 2;
        continue;
      }
      if (char === '"' || char === "'") {
        const end = findClosing(line, i + 1, char);
        code += 'x';
        i = end === -1 ? line.length : end + 1;
        continue;
      }
      if (char === '`') {
        this.inTemplate = true;
        i++;
        continue;
      }
      code += char;
      i++;
    }
    // A block comment left open at the end of the line: its text continues on the next one.
    if (this.inBlockComment) this.block.text += '\n';
    // `{/* … */}` in JSX: the braces are only there to hold the comment.
    const hasCode = code.replace(/\{\s*\}/g, '').trim() !== '';
    return { comments, hasCode };
  }
}

/** Index of the unescaped `quote` at or after `from`, or -1. */
function findClosing(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === quote) return i;
  }
  return -1;
}
