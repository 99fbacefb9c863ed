/**
 * A baseline is the list of findings a team has accepted for now (the legacy they will fix
 * later), committed next to the code: with it, CI fails only on new findings. Findings are
 * matched by rule and fingerprint, which the rules engine keeps stable when lines move, and
 * counted: a problem present once in the baseline and twice in the scan has one new occurrence.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod/mini';
import { parseJsonText } from '../config/json-text.js';
import { UsageError } from '../errors.js';
import type { Finding } from '../types.js';

// zod/mini carries no English messages: each schema says what it expects.
const text = () => z.string({ error: 'expected a string' });

const entrySchema = z.object(
  { ruleId: text(), file: text(), fingerprint: text(), message: text() },
  { error: 'expected an object { ruleId, file, fingerprint, message }' },
);

const baselineSchema = z.object(
  {
    schemaVersion: z.literal(1, { error: 'expected 1 (this leakhound reads baselines of schema version 1)' }),
    tool: z.literal('leakhound', { error: 'expected "leakhound"' }),
    findings: z.array(entrySchema, { error: 'expected an array' }),
  },
  { error: 'expected an object' },
);

/** The baseline file: `{ schemaVersion: 1, tool: "leakhound", findings: [...] }`. */
export type Baseline = z.infer<typeof baselineSchema>;
export type BaselineEntry = z.infer<typeof entrySchema>;

/** The file name `--write-baseline` uses in the scanned directory when no path is given. */
export const DEFAULT_BASELINE_FILE = 'leakhound-baseline.json';

/**
 * Writes the findings as a baseline: sorted and one key per line so that its diff in a pull
 * request shows exactly which findings were accepted or fixed. Atomic (temp file + rename), so
 * an interrupted run never leaves half a baseline behind.
 */
export function writeBaseline(path: string, findings: readonly Finding[]): Baseline {
  const baseline: Baseline = {
    schemaVersion: 1,
    tool: 'leakhound',
    findings: findings
      .map(({ ruleId, file, fingerprint, message }) => ({ ruleId, file, fingerprint, message }))
      .sort(compareEntries),
  };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, `${JSON.stringify(baseline, null, 2)}\n`);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return baseline;
}

/** Reads and checks a baseline; a missing, broken or foreign file is a UsageError. */
export function readBaseline(path: string): Baseline {
  if (!existsSync(path)) {
    throw new UsageError(`baseline not found: ${path}`, 'create it with `leakhound scan --write-baseline` (add --baseline FILE to choose where)');
  }
  const hint = 'regenerate it with `leakhound scan --write-baseline`';
  const data = parseJsonText(readFileSync(path, 'utf8'), path, hint);
  const result = baselineSchema.safeParse(data);
  if (!result.success) {
    const looksLikeOurs = typeof data === 'object' && data !== null && (data as { tool?: unknown }).tool === 'leakhound';
    if (!looksLikeOurs) throw new UsageError(`${path} is not a leakhound baseline (no "tool": "leakhound")`, hint);
    const issue = result.error.issues[0]!;
    throw new UsageError(`${path}: not a valid baseline: ${issue.path.join('.') || 'the document'}: ${issue.message}`, hint);
  }
  return result.data;
}

export interface BaselineSplit {
  /** Findings the baseline does not account for: these count. */
  fresh: Finding[];
  /** Findings the baseline already lists. */
  known: Finding[];
}

export function splitByBaseline(findings: readonly Finding[], baseline: Baseline): BaselineSplit {
  const remaining = new Map<string, number>();
  for (const entry of baseline.findings) {
    const key = matchKey(entry);
    remaining.set(key, (remaining.get(key) ?? 0) + 1);
  }
  const fresh: Finding[] = [];
  const known: Finding[] = [];
  for (const finding of findings) {
    const key = matchKey(finding);
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      remaining.set(key, left - 1);
      known.push(finding);
    } else {
      fresh.push(finding);
    }
  }
  return { fresh, known };
}

// The file is left out on purpose: the fingerprint decides whether a moved or renamed file's
// finding is the same problem, and the message may change wording between versions.
function matchKey(finding: { ruleId: string; fingerprint: string }): string {
  return `${finding.ruleId}\0${finding.fingerprint}`;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint) || compare(a.message, b.message);
}

/** Code-unit order, not locale order: the file must come out the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
