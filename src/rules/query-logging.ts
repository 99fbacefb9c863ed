/**
 * query-logging: query-level logging switched on in production code without a condition —
 * Prisma's `log: ['query']` and `$on('query')`, knex `debug: true`, TypeORM `logging: true`,
 * mongoose `set('debug', true)`, and Sequelize, which logs every statement unless told not to.
 */
import { envVariableOf, optionAt } from '../libraries/option-values.js';
import { construction, isServiceCode } from './support.js';
import type { FindingDraft, Rule } from './types.js';
import type { ClientSite, OptionValue } from '../types.js';

export const queryLogging: Rule = {
  meta: {
    id: 'query-logging',
    defaultSeverity: 'warning',
    summary: 'Query-level logging enabled unconditionally in production code',
    description:
      'Logging every query formats and writes (or emits as an event) one record per statement: CPU and log volume that grow with traffic, and memory when a listener keeps the events. Enable it only in development, behind an environment check.',
    fixable: false,
  },
  check({ clients, project }) {
    const findings: FindingDraft[] = [];
    for (const site of clients) {
      if (!isServiceCode(site)) continue;
      const problem = loggingProblem(site);
      if (!problem) continue;
      findings.push({ file: site.file, line: site.line, column: site.column, key: `${site.library}:${site.assignedTo ?? site.line}`, message: `${construction(site)} ${problem} in production. Enable it only when NODE_ENV is development.` });
    }
    for (const [file, observations] of project.observations) {
      if (project.isTest(file) || /(^|\/)(scripts?|bin)\//.test(file)) continue;
      for (const call of observations.calls) {
        const queryEvent = call.name === '$on' && call.args[0] === 'query';
        const mongooseDebug = call.name === 'set' && call.args[0] === 'debug' && call.args[1] === true && call.receiverRoot === 'import' && /mongoose/i.test(call.receiver ?? '');
        if ((!queryEvent && !mongooseDebug) || call.conditional) continue;
        findings.push({
          file,
          line: call.line,
          column: call.column,
          key: `${call.name}:${call.receiver}`,
          message: queryEvent
            ? `${call.receiver}.$on('query') handles every query, in every environment: put it behind a development check.`
            : `mongoose.set('debug', true) logs every operation, in every environment: put it behind a development check.`,
        });
      }
    }
    return findings;
  },
};

function loggingProblem(site: ClientSite): string | null {
  switch (site.library) {
    case 'prisma': {
      const log = optionAt(site.options, 'log');
      return Array.isArray(log) && log.some(isQueryLevel) ? "logs every query (log: ['query'])" : null;
    }
    case 'knex':
      return optionAt(site.options, 'debug') === true ? 'logs every query (debug: true)' : null;
    case 'typeorm': {
      const logging = optionAt(site.options, 'logging');
      return logging === true || logging === 'all' || (Array.isArray(logging) && logging.includes('query')) ? `logs every query (logging: ${JSON.stringify(logging)})` : null;
    }
    case 'sequelize': {
      const defaultLogging = "logs every statement to console.log (Sequelize's default when `logging` is not set)";
      if (site.options === null) return defaultLogging;
      if ('$arg' in site.options) {
        // new Sequelize(url) has no options at all; new Sequelize(config) may set logging elsewhere.
        const arg = site.options.$arg;
        return typeof arg === 'string' || envVariableOf(arg) !== null ? defaultLogging : null;
      }
      const logging = optionAt(site.options, 'logging');
      if (logging === undefined) return defaultLogging;
      return logging === true || (typeof logging === 'object' && logging !== null && '$expr' in logging && /^console\.(log|info|debug)$/.test(String(logging.$expr)))
        ? 'logs every statement (logging: console.log)'
        : null;
    }
    default:
      return null;
  }
}

function isQueryLevel(entry: OptionValue): boolean {
  return entry === 'query' || (typeof entry === 'object' && entry !== null && !Array.isArray(entry) && entry.level === 'query');
}
