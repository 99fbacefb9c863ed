/**
 * After the scan, before the report is printed: drop the findings inline comments suppress,
 * set aside those the baseline already lists, and decide the exit code from what is left.
 */
import { applySuppressions } from '../core/suppressions.js';
import type { Finding, Report } from '../types.js';
import { splitByBaseline, type Baseline } from './baseline.js';
import { exitCodeFor, type FailOn } from './gate.js';

export interface SettleOptions {
  /** Reads a file of the report (path relative to report.root); null when it cannot. */
  textOf: (file: string) => string | null;
  /** null: every unsuppressed finding counts. */
  baseline: Baseline | null;
  failOn: FailOn;
}

export interface SettledReport {
  /** The report to print: only the findings that count, plus warnings about suppression comments. */
  report: Report;
  /** Every finding not suppressed inline, baselined or not: what `--write-baseline` records. */
  unsuppressed: Finding[];
  suppressed: Finding[];
  /** Findings the baseline accounts for. */
  known: Finding[];
  exitCode: 0 | 1;
}

export function settleFindings(report: Report, options: SettleOptions): SettledReport {
  const { kept, suppressed, warnings } = applySuppressions(report.findings, options.textOf);
  const { fresh, known } = options.baseline ? splitByBaseline(kept, options.baseline) : { fresh: kept, known: [] };
  return {
    report: { ...report, findings: fresh, warnings: [...report.warnings, ...warnings] },
    unsuppressed: kept,
    suppressed,
    known,
    exitCode: exitCodeFor(fresh, options.failOn),
  };
}
