/**
 * pool-config: a single pool larger than the database allows across replicas, a pool that
 * waits forever for a free connection, and idle connections kept open far longer than needed.
 */
import { construction, isServiceCode, seconds } from './support.js';
import type { FindingDraft, Rule } from './types.js';

export const poolConfig: Rule = {
  meta: {
    id: 'pool-config',
    defaultSeverity: 'warning',
    summary: 'Pool larger than the budget allows, no acquire timeout, or long idle timeouts',
    description:
      'A pool that waits forever for a free connection turns a slow database into requests piling up in memory until the process is killed; a pool sized beyond max_connections ÷ replicas gets refused connections under load; idle timeouts far above the default keep connections the service no longer uses.',
    fixable: false,
  },
  check({ clients, project, settings }) {
    const findings: FindingDraft[] = [];
    const idleLimit = settings.ruleOptions['pool-config'].idleTimeoutMs;
    const share = Math.floor(settings.maxConnections / settings.replicas);
    for (const site of clients) {
      if (!isServiceCode(site)) continue;
      const pool = project.poolOf(site);
      const base = { file: site.file, line: site.line, column: site.column };
      if (pool.stated && pool.connections > share && ['postgresql', 'mysql', 'sqlserver', 'unknown'].includes(pool.database)) {
        findings.push({
          ...base,
          key: `size:${site.assignedTo ?? construction(site)}`,
          message: `${construction(site)} asks for ${pool.connections} connections (${pool.basis}), more than max_connections ${settings.maxConnections} ÷ ${settings.replicas} ${settings.replicas === 1 ? 'replica' : 'replicas'} = ${share}.`,
          data: { connections: pool.connections, share },
        });
      }
      if (pool.acquireTimeoutMs === null && pool.connections > 1) {
        findings.push({
          ...base,
          key: `acquire:${site.assignedTo ?? construction(site)}`,
          message: `${construction(site)} waits forever for a free connection (${site.library === 'prisma' && !site.options?.adapter ? 'pool_timeout=0' : 'no connectionTimeoutMillis'}): when the pool is exhausted, requests queue in memory instead of failing fast. Set a timeout of a few seconds.`,
          data: { acquireTimeoutMs: null },
        });
      }
      if (pool.idleTimeoutMs !== undefined && pool.idleTimeoutMs > idleLimit) {
        findings.push({
          ...base,
          key: `idle:${site.assignedTo ?? construction(site)}`,
          message: `${construction(site)} keeps idle connections open for ${seconds(pool.idleTimeoutMs)} (over ${seconds(idleLimit)}): connections the service no longer needs count against max_connections.`,
          data: { idleTimeoutMs: pool.idleTimeoutMs, limit: idleLimit },
        });
      }
    }
    return findings;
  },
};
