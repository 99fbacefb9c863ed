/** A Markdown report for pull requests, issues and wikis. */
import { CATEGORY_TITLES, constructorLabel, groupByCategory, plural, scannedLine, siteLocation, summaryLines, whenItRuns } from './describe.js';
import type { Report } from '../types.js';

export function formatMarkdown(report: Report): string {
  const out: string[] = ['# leakhound scan', ''];
  const [first, ...rest] = summaryLines(report);
  out.push(`**${first}**`, '');
  for (const line of rest) out.push(`- ${line}`);
  out.push('', `_${scannedLine(report)}_`);

  for (const [category, sites] of groupByCategory(report.clients)) {
    out.push('', `## ${CATEGORY_TITLES[category]} (${sites.length})`, '', '| Site | Runs | Constructor |', '| --- | --- | --- |');
    for (const site of sites) {
      out.push(`| \`${siteLocation(site)}\` | ${escapeCell(whenItRuns(site))} | \`${escapeCell(constructorLabel(site))}\` |`);
    }
  }

  if (report.warnings.length > 0) {
    out.push('', `## ${plural(report.warnings.length, 'warning')}`, '');
    for (const warning of report.warnings) {
      const where = warning.file ? `\`${warning.file}${warning.line ? `:${warning.line}` : ''}\`: ` : '';
      out.push(`- ${where}${escapeCell(warning.message)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
