/**
 * transaction-timeout: interactive transactions that may wait or run for a long time. Each
 * one holds a connection of the pool for its whole duration.
 */
import { categorize } from '../core/classify.js';
import { optionAt } from '../libraries/option-values.js';
import { isServiceCode, seconds } from './support.js';
import type { FindingDraft, Rule } from './types.js';
import type { OptionValue } from '../types.js';

export const transactionTimeout: Rule = {
  meta: {
    id: 'transaction-timeout',
    defaultSeverity: 'warning',
    summary: 'Interactive transactions allowed to wait or run for too long',
    description:
      "An interactive transaction holds one of the pool's connections from its start to its end. With a timeout of a minute, a handful of slow transactions take the whole pool and every other query waits (Prisma's defaults are maxWait 2 s and timeout 5 s).",
    fixable: false,
  },
  check({ clients, project, settings }) {
    const limits = settings.ruleOptions['transaction-timeout'];
    const findings: FindingDraft[] = [];
    const judge = (where: { file: string; line: number; column: number }, options: OptionValue | undefined, what: string, key: string) => {
      const maxWait = optionAt(options, 'maxWait');
      const timeout = optionAt(options, 'timeout');
      const problems: string[] = [];
      if (typeof maxWait === 'number' && maxWait > limits.maxWaitMs) problems.push(`wait ${seconds(maxWait)} for a connection (maxWait over ${seconds(limits.maxWaitMs)})`);
      if (typeof timeout === 'number' && timeout > limits.timeoutMs) problems.push(`run for ${seconds(timeout)} (timeout over ${seconds(limits.timeoutMs)})`);
      if (problems.length === 0) return;
      findings.push({
        ...where,
        key,
        message: `${what} may ${problems.join(' and ')}, holding a pooled connection all along. Keep transactions short; move slow work out of them.`,
        data: { maxWaitMs: typeof maxWait === 'number' ? maxWait : null, timeoutMs: typeof timeout === 'number' ? timeout : null },
      });
    };
    for (const site of clients) {
      // Tests and one-off scripts (seeds, backfills) hold no pool that serves requests.
      if (!isServiceCode(site) || site.library !== 'prisma') continue;
      judge(site, optionAt(site.options, 'transactionOptions'), `Every interactive transaction of this client (transactionOptions)`, `client:${site.assignedTo ?? site.line}`);
    }
    for (const [file, observations] of project.observations) {
      if (project.isTest(file)) continue;
      for (const call of observations.calls) {
        if (call.name !== '$transaction' || call.args.length < 2) continue;
        if (categorize(file, false, call.context.kind) === 'script') continue;
        judge({ file, line: call.line, column: call.column }, call.args[1], `This interactive $transaction`, `call:${call.context.name ?? call.receiver}`);
      }
    }
    return findings;
  },
};
