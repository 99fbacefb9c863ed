/**
 * queue-retention: Bull and BullMQ keep every completed and failed job in Redis — data,
 * return value, stack traces — unless `removeOnComplete` / `removeOnFail` bound them.
 */
import { optionAt } from '../libraries/option-values.js';
import type { FindingDraft, Rule } from './types.js';
import type { OptionValue, TextEdit } from '../types.js';
import type { QueueSite } from './project-facts.js';

/** Keeps enough history to debug with: the last 1,000 completed and 5,000 failed jobs. */
const DEFAULT_BOUNDS = 'removeOnComplete: 1000, removeOnFail: 5000';

export const queueRetention: Rule = {
  meta: {
    id: 'queue-retention',
    defaultSeverity: 'warning',
    summary: 'Bull/BullMQ queues that keep every finished job',
    description:
      "By default Bull and BullMQ keep every completed and failed job in Redis, with its data and result. A busy queue accumulates millions of jobs: Redis memory grows without bound and the queue's own bookkeeping slows down. Set removeOnComplete and removeOnFail (a count or an age) in the queue's defaultJobOptions.",
    fixable: true,
  },
  check({ project }) {
    const findings: FindingDraft[] = [];
    const boundedByWorker = new Set(
      project.queues
        .filter((site) => site.exportName === 'Worker' && hasBounds(site.args, ['removeOnComplete', 'removeOnFail']))
        .flatMap((site) => (site.queueName ? [site.queueName] : [])),
    );
    const addCalls = [...project.observations.values()].flatMap((observations) => observations.calls.filter((call) => call.name === 'add' || call.name === 'addBulk'));
    for (const site of project.queues) {
      if (site.exportName !== 'Queue' || site.inTest) continue;
      const options = site.args.find((arg) => optionAt(arg, 'defaultJobOptions') !== undefined);
      const defaults = optionAt(options, 'defaultJobOptions');
      const missing = ['removeOnComplete', 'removeOnFail'].filter((key) => !isBound(optionAt(defaults, key)));
      if (missing.length === 0) continue;
      if (hidesOptions(site, defaults)) continue;
      if (site.queueName && boundedByWorker.has(site.queueName)) continue;
      const adds = site.assignedTo ? addCalls.filter((call) => call.receiver === site.assignedTo) : [];
      if (adds.length > 0 && adds.every((call) => call.args.some((arg) => missing.every((key) => isBound(optionAt(arg, key)))))) continue;
      findings.push({
        file: site.file,
        line: site.line,
        column: site.column,
        key: site.queueName ?? site.assignedTo ?? `${site.line}`,
        message: `Queue ${site.queueName ? `'${site.queueName}' ` : ''}keeps every ${missing.length === 2 ? 'completed and failed' : missing[0] === 'removeOnComplete' ? 'completed' : 'failed'} job in Redis (no ${missing.join(' / ')} in defaultJobOptions): Redis memory grows with every job. Bound it, e.g. { ${DEFAULT_BOUNDS} }.`,
        fix: defaults === undefined ? addDefaultJobOptions(site, project.textOf(site.file)) : undefined,
        data: { missing: missing.join(',') },
      });
    }
    return findings;
  },
};

function isBound(value: OptionValue | undefined): boolean {
  return value !== undefined && value !== false;
}

/**
 * Options the code does not state here (an imported object, a spread) may well hold the bounds:
 * no finding on a guess. BullMQ's second argument is always the options; Bull's may be a Redis URL.
 */
function hidesOptions(site: QueueSite, defaults: OptionValue | undefined): boolean {
  const opaque = (value: OptionValue | undefined): boolean =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && ('$expr' in value || '...' in value);
  if (defaults !== undefined) return opaque(defaults);
  const options =
    site.library === 'bullmq'
      ? site.args[1]
      : (site.args.find((arg, index) => index > 0 && typeof arg === 'object' && arg !== null && !Array.isArray(arg) && !('$expr' in arg)) ?? site.args[2]);
  return opaque(options);
}

function hasBounds(args: readonly OptionValue[], keys: string[]): boolean {
  return args.some((arg) => keys.every((key) => isBound(optionAt(arg, key))));
}

/** Adds `defaultJobOptions` to the queue's options object, or an options argument when there is none. */
function addDefaultJobOptions(site: QueueSite, text: string | null): TextEdit[] | undefined {
  const property = `defaultJobOptions: { ${DEFAULT_BOUNDS} }`;
  if (site.optionsRange) {
    const empty = site.optionsRange.keys.length === 0;
    return [{ start: site.optionsRange.start + 1, end: site.optionsRange.start + 1, text: empty ? ` ${property} ` : ` ${property},` }];
  }
  // new Queue('mail') → new Queue('mail', { defaultJobOptions: … }); only for BullMQ's (name, opts) signature.
  if (site.library !== 'bullmq' || site.args.length !== 1) return undefined;
  // A trailing comma after the name (`new Queue(\n  'mail',\n)`) already separates the arguments.
  const trailingComma = text !== null && text.slice(0, site.end - 1).trimEnd().endsWith(',');
  return [{ start: site.end - 1, end: site.end - 1, text: trailingComma ? ` { ${property} }` : `, { ${property} }` }];
}
