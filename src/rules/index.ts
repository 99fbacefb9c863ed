/**
 * The rules and the one function that runs them: severities from the settings, `off` rules
 * skipped, fingerprints that survive edits which move lines.
 */
import { createHash } from 'node:crypto';
import { connectionBudget } from './connection-budget.js';
import { heapSnapshot } from './heap-snapshot.js';
import { multipleClients } from './multiple-clients.js';
import { perCallClient } from './per-call-client.js';
import { poolConfig } from './pool-config.js';
import { queryLogging } from './query-logging.js';
import { queueRetention } from './queue-retention.js';
import { shutdown } from './shutdown.js';
import { transactionTimeout } from './transaction-timeout.js';
import { unboundedCollection } from './unbounded-collection.js';
import type { Rule, RuleContext, RuleMeta } from './types.js';
import type { Finding } from '../types.js';

export type { Rule, RuleContext, RuleMeta, FindingDraft } from './types.js';

/** In the order reports list them when they cost the same. */
export const RULES: readonly Rule[] = [
  perCallClient,
  multipleClients,
  connectionBudget,
  poolConfig,
  unboundedCollection,
  transactionTimeout,
  shutdown,
  queueRetention,
  heapSnapshot,
  queryLogging,
];

export const RULE_METAS: readonly RuleMeta[] = RULES.map((rule) => rule.meta);

/** Runs every rule that is not `off` and returns its findings, sorted by file and line. */
export function runRules(context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const level = context.settings.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (level === 'off') continue;
    const occurrences = new Map<string, number>();
    for (const draft of rule.check(context)) {
      const identity = `${rule.meta.id}\0${draft.file}\0${draft.key}`;
      const occurrence = occurrences.get(identity) ?? 0;
      occurrences.set(identity, occurrence + 1);
      // A rule may grade a finding away from its default (a per-call client never disconnected
      // is an error, a budget only close to the limit a warning); a level the user configured wins.
      const configured = context.settings.rules[rule.meta.id];
      const severity = draft.severity && configured === undefined ? draft.severity : level;
      const finding: Finding = {
        ruleId: rule.meta.id,
        severity,
        file: draft.file,
        line: draft.line,
        column: draft.column,
        message: draft.message,
        fingerprint: createHash('sha256').update(`${identity}\0${occurrence}`).digest('hex').slice(0, 20),
      };
      if (draft.related && draft.related.length > 0) finding.related = draft.related;
      if (draft.data) finding.data = draft.data;
      if (draft.fix) finding.fix = draft.fix;
      findings.push(finding);
    }
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
}
