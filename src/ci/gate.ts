/** The CI gate: whether the findings of a scan fail the build. */
import type { Finding, Severity } from '../types.js';

/** The lowest severity that fails the build, or `never`. */
export const FAIL_ON_LEVELS = ['error', 'warning', 'never'] as const;

export type FailOn = (typeof FAIL_ON_LEVELS)[number];

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * The exit code for these findings: 1 when any finding is at or above `failOn`, else 0.
 * Pass only the findings that count (after inline suppressions and the baseline).
 */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const threshold = RANK[failOn];
  return findings.some((finding) => RANK[finding.severity] >= threshold) ? 1 : 0;
}
