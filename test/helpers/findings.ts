/** Findings and reports built by hand, for the parts that run after the rules engine. */
import type { Finding, Report } from '../../src/types.js';

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'per-call-client',
    severity: 'error',
    file: 'src/routes/users.ts',
    line: 5,
    column: 18,
    message: 'A PrismaClient is constructed on every request: GET /users',
    fingerprint: 'per-call-client:src/routes/users.ts:GET /users:0',
    ...overrides,
  };
}

export function report(findings: Finding[], overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'leakhound', version: '1.2.3' },
    root: '/work/app',
    clients: [],
    findings,
    warnings: [],
    summary: {
      filesScanned: 3,
      filesParsed: 2,
      sites: 0,
      siteFiles: 0,
      perCall: 0,
      inTests: 0,
      singletons: 0,
      byCategory: { route: 0, service: 0, job: 0, script: 0, test: 0, other: 0 },
      byLibrary: {},
      skipped: { buildOutput: 0, generated: 0 },
      durationMs: 12,
    },
    ...overrides,
  };
}
