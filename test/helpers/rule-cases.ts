/**
 * Inline rule tests: each case is a tiny project (file name → source) scanned through the
 * public entry point; `valid` cases must produce no finding of the rule, `invalid` cases
 * exactly the findings listed (by file, line and a message pattern).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scan } from '../../src/index.js';
import { DEFAULT_SETTINGS, type RuleId, type ScanSettings } from '../../src/config/settings.js';
import type { Finding, Severity } from '../../src/types.js';

export interface RuleCase {
  name: string;
  /** Relative path → file content. A `package.json` is added when none is given. */
  files: Record<string, string>;
  settings?: Partial<ScanSettings>;
}

export interface ExpectedFinding {
  file: string;
  line: number;
  message?: RegExp;
  severity?: Severity;
}

export interface InvalidCase extends RuleCase {
  findings: ExpectedFinding[];
}

export async function findingsOf(ruleId: RuleId, testCase: RuleCase): Promise<Finding[]> {
  const dir = mkdtempSync(join(tmpdir(), `leakhound-rule-${ruleId}-`));
  try {
    const files = { 'package.json': '{ "name": "case", "type": "module" }', ...testCase.files };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const settings: ScanSettings = { ...DEFAULT_SETTINGS, ...testCase.settings };
    const report = await scan({ root: dir, useGit: false, settings });
    return report.findings.filter((finding) => finding.ruleId === ruleId);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ruleCases(ruleId: RuleId, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  for (const testCase of cases.valid) {
    test(`${ruleId} valid: ${testCase.name}`, async () => {
      const findings = await findingsOf(ruleId, testCase);
      assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.message}`), []);
    });
  }
  for (const testCase of cases.invalid) {
    test(`${ruleId} invalid: ${testCase.name}`, async () => {
      const findings = await findingsOf(ruleId, testCase);
      const actual = findings.map((f) => `${f.file}:${f.line}`).sort();
      const expected = testCase.findings.map((f) => `${f.file}:${f.line}`).sort();
      assert.deepEqual(actual, expected, findings.map((f) => `${f.file}:${f.line} ${f.message}`).join('\n'));
      for (const want of testCase.findings) {
        const got = findings.find((f) => f.file === want.file && f.line === want.line)!;
        if (want.message) assert.match(got.message, want.message);
        if (want.severity) assert.equal(got.severity, want.severity, got.message);
      }
    });
  }
}

/** Source written indented in a test: drops the first newline and the common indentation. */
export function code(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ''), '').replace(/^\n/, '');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines[lines.length - 1] = '';
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

/** A PostgreSQL schema whose URL comes from DATABASE_URL (Prisma ≤ 6 reads connection_limit there). */
export const POSTGRES_SCHEMA = code`
  datasource db {
    provider = "postgresql"
    url      = env("DATABASE_URL")
  }

  generator client {
    provider = "prisma-client-js"
  }
`;
