/**
 * The terminal report: the summary first, then the sites grouped by category with
 * `file:line:column` (terminals and editors turn it into a link), then warnings.
 */
import { createColors } from 'picocolors';
import { CATEGORY_TITLES, constructorLabel, groupByCategory, plural, scannedLine, siteLocation, summaryLines, whenItRuns } from './describe.js';
import { rootCauses } from './root-causes.js';
import { nativeHeadline } from './native-report.js';
import { formatBytes } from '../rules/support.js';
import type { Report } from '../types.js';
import { NOTHING_TO_PRICE } from '../cost/scan-cost.js';

export interface PrettyOptions {
  color: boolean;
}

export function formatPretty(report: Report, options: PrettyOptions): string {
  const c = createColors(options.color);
  const out: string[] = [];
  const [first, ...rest] = summaryLines(report);
  out.push(c.bold(first!));
  for (const line of rest) out.push(`  ${line}`);
  out.push(c.dim(`  ${scannedLine(report)}`));

  const causes = rootCauses(report);
  if (causes.length > 0) {
    out.push('', c.bold('Root causes, most costly first'));
    causes.forEach((cause, index) => {
      const tone = cause.severity === 'error' ? c.red : cause.severity === 'warning' ? c.yellow : c.dim;
      out.push(`  ${index + 1}. ${tone(cause.title)}${cause.figures ? ` — ${cause.figures}` : ''}`);
      out.push(`     ${c.cyan(cause.places.join(', '))}${cause.more > 0 ? c.dim(` and ${cause.more} more`) : ''}`);
      out.push(`     ${c.dim('next:')} ${cause.next}`);
    });
  }

  if (report.cost) {
    out.push('', c.bold('Measured cost'));
    for (const estimate of report.cost.estimates) out.push(`  ${estimate.summary}`);
    if (report.cost.estimates.length === 0) out.push(`  ${NOTHING_TO_PRICE}`);
    if (report.cost.serverNote) out.push(`  ${c.yellow(`server memory not measured: ${report.cost.serverNote}`)}`);
    out.push(c.dim(`  ${report.cost.source} (${report.cost.file})`));
  }

  if (report.findings.length > 0) {
    const errors = report.findings.filter((f) => f.severity === 'error').length;
    const warnings = report.findings.filter((f) => f.severity === 'warning').length;
    out.push('', c.bold(`Findings (${plural(errors, 'error')}, ${plural(warnings, 'warning')}${report.findings.length - errors - warnings > 0 ? `, ${report.findings.length - errors - warnings} info` : ''})`));
    for (const finding of report.findings) {
      const tone = finding.severity === 'error' ? c.red : finding.severity === 'warning' ? c.yellow : c.dim;
      out.push(`  ${c.cyan(`${finding.file}:${finding.line}:${finding.column}`)}  ${tone(finding.severity)}  ${c.dim(finding.ruleId)}`);
      out.push(`    ${finding.message}`);
    }
  }

  for (const [category, sites] of groupByCategory(report.clients)) {
    out.push('', c.bold(`${CATEGORY_TITLES[category]} (${sites.length})`));
    const width = Math.max(...sites.map((site) => siteLocation(site).length));
    for (const site of sites) {
      const runs = whenItRuns(site);
      const tone = site.singleton ? c.green : site.scope === 'function' && !site.inTest ? c.red : c.yellow;
      const callee = site.callee === 'PrismaClient' ? '' : c.dim(`  ${constructorLabel(site)}`);
      out.push(`  ${c.cyan(siteLocation(site).padEnd(width))}  ${tone(runs)}${callee}`);
    }
  }

  if (report.native) {
    out.push('', c.bold('Native addons'), `  ${nativeHeadline(report.native)}`);
    for (const addon of report.native.addons.filter((item) => item.production)) {
      out.push(`  ${c.cyan(addon.name)}  ${addon.category}  ${addon.binaries.length === 0 ? c.yellow('no binary') : formatBytes(addon.loadableBytes || addon.binaryBytes)}`);
    }
    out.push(c.dim('  details: leakhound native (and --measure for measured costs)'));
  }

  if (report.warnings.length > 0) {
    out.push('', c.bold(c.yellow(`${plural(report.warnings.length, 'warning')}`)));
    for (const warning of report.warnings) {
      const where = warning.file ? `${warning.file}${warning.line ? `:${warning.line}:${warning.column ?? 1}` : ''}  ` : '';
      out.push(`  ${c.yellow(where)}${warning.message}`);
    }
  }
  return `${out.join('\n')}\n`;
}
