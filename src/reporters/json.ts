import type { Report } from '../types.js';

/** The versioned report contract, as-is (see docs/report-format.md). */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
