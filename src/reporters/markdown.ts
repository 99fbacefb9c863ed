/** A Markdown report for pull requests, issues and wikis. */
import { CATEGORY_TITLES, constructorLabel, groupByCategory, plural, scannedLine, siteLocation, summaryLines, whenItRuns } from './describe.js';
import { rootCauses } from './root-causes.js';
import { nativeHeadline } from './native-report.js';
import { formatBytes } from '../rules/support.js';
import type { Report } from '../types.js';
import { NOTHING_TO_PRICE } from '../cost/scan-cost.js';

export function formatMarkdown(report: Report): string {
  const out: string[] = ['# leakhound scan', ''];
  const [first, ...rest] = summaryLines(report);
  out.push(`**${first}**`, '');
  for (const line of rest) out.push(`- ${line}`);
  out.push('', `_${scannedLine(report)}_`);

  const causes = rootCauses(report);
  if (causes.length > 0) {
    out.push('', '## Root causes, most costly first', '');
    causes.forEach((cause, index) => {
      const places = cause.places.map((place) => `\`${place}\``).join(', ') + (cause.more > 0 ? ` and ${cause.more} more` : '');
      out.push(`${index + 1}. **${escapeCell(cause.title)}** (${cause.severity})${cause.figures ? ` — ${escapeCell(cause.figures)}` : ''}  `);
      out.push(`   ${places}  `, `   Next: ${escapeCell(cause.next)}`);
    });
  }

  if (report.cost) {
    out.push('', '## Measured cost', '');
    for (const estimate of report.cost.estimates) out.push(`- ${escapeCell(estimate.summary)}`);
    if (report.cost.estimates.length === 0) out.push(`- ${NOTHING_TO_PRICE}`);
    if (report.cost.serverNote) out.push(`- Server memory not measured: ${escapeCell(report.cost.serverNote)}`);
    out.push('', `_${escapeCell(report.cost.source)} (\`${report.cost.file}\`)_`);
  }

  if (report.findings.length > 0) {
    out.push('', `## Findings (${report.findings.length})`, '', '| Location | Severity | Rule | Message |', '| --- | --- | --- | --- |');
    for (const finding of report.findings) {
      out.push(`| \`${finding.file}:${finding.line}:${finding.column}\` | ${finding.severity} | [${finding.ruleId}](docs/rules/${finding.ruleId}.md) | ${escapeCell(finding.message)} |`);
    }
  }

  for (const [category, sites] of groupByCategory(report.clients)) {
    out.push('', `## ${CATEGORY_TITLES[category]} (${sites.length})`, '', '| Site | Runs | Constructor |', '| --- | --- | --- |');
    for (const site of sites) {
      out.push(`| \`${siteLocation(site)}\` | ${escapeCell(whenItRuns(site))} | \`${escapeCell(constructorLabel(site))}\` |`);
    }
  }

  if (report.native) {
    out.push('', '## Native addons', '', `**${nativeHeadline(report.native)}**`, '');
    for (const addon of report.native.addons.filter((item) => item.production)) {
      out.push(`- \`${addon.name}@${addon.version ?? '?'}\` — ${addon.category}, ${addon.binaries.length === 0 ? 'no binary' : formatBytes(addon.loadableBytes || addon.binaryBytes)}`);
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

export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
