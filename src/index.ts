/**
 * leakhound's library API. The CLI is a thin layer over these functions; nothing here reads
 * process.argv or writes to stdout.
 */
export { scan, type ScanOptions, type ScanProgress } from './core/scan.js';
export { UsageError } from './errors.js';
export { formatJson } from './reporters/json.js';
export { formatPretty, type PrettyOptions } from './reporters/pretty.js';
export { formatMarkdown } from './reporters/markdown.js';
export { DEFAULT_TEST_PATTERNS } from './core/classify.js';
export { VERSION } from './version.js';
export type * from './types.js';
export { measureCost, type CostOptions, type CostProgress } from './cost/measure-cost.js';
export { parseCostFile, CostFileError, type CostFile } from './cost/cost-file.js';
export { applyMeasuredCost, type MeasuredCost, type CostEstimate } from './cost/scan-cost.js';
