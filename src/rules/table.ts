/**
 * The README's rule table, rendered from the rules' own meta: `scripts/rules-table.js` writes it
 * between two marker comments, and test/rules/docs.test.ts fails when the README differs.
 */
import type { RuleMeta } from './types.js';

export const RULES_TABLE_START = '<!-- rules-table:start -->';
export const RULES_TABLE_END = '<!-- rules-table:end -->';

/** A Markdown table: rule id (linking to its page), default severity, fixable, summary. */
export function renderRulesTable(metas: readonly RuleMeta[]): string {
  const rows = metas.map(
    (meta) => `| [\`${meta.id}\`](docs/rules/${meta.id}.md) | ${meta.defaultSeverity} | ${meta.fixable ? 'yes' : 'no'} | ${tableCell(meta.summary)} |`,
  );
  return ['| rule | default severity | fixable | what it finds |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/**
 * `readme` with the text between the markers replaced by the rendered table. Throws when the
 * markers are missing, repeated or out of order: the generator must never guess where to write.
 */
export function replaceRulesTable(readme: string, metas: readonly RuleMeta[]): string {
  const start = readme.indexOf(RULES_TABLE_START);
  const end = readme.indexOf(RULES_TABLE_END);
  if (start === -1 || end === -1) {
    throw new Error(`README.md needs both ${RULES_TABLE_START} and ${RULES_TABLE_END} around the rule table`);
  }
  if (readme.indexOf(RULES_TABLE_START, start + 1) !== -1 || readme.indexOf(RULES_TABLE_END, end + 1) !== -1) {
    throw new Error('README.md has the rule table markers more than once');
  }
  if (end < start) throw new Error(`README.md has ${RULES_TABLE_END} before ${RULES_TABLE_START}`);
  const newline = readme.includes('\r\n') ? '\r\n' : '\n';
  const table = renderRulesTable(metas).split('\n').join(newline);
  return `${readme.slice(0, start + RULES_TABLE_START.length)}${newline}${table}${newline}${readme.slice(end)}`;
}

/** A pipe would end the cell and a line break the row. */
function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\r?\n\s*/g, ' ');
}
