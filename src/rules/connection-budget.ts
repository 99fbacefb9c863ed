/**
 * connection-budget: the connections a service may open — the sum of its live clients' pool
 * sizes, times the replicas that run it — against the database's `max_connections`. Per-call
 * clients make the sum unbounded.
 */
import { DATABASE_NAMES, clientNoun, construction, isServiceCode, liveClients } from './support.js';
import type { FindingDraft, Rule } from './types.js';
import type { ClientSite } from '../types.js';

/** Databases counted against `--max-connections` (Redis and MongoDB have their own, far larger limits). */
const BUDGETED = new Set(['postgresql', 'mysql', 'sqlserver', 'unknown']);
const WARN_AT = 0.8;

export const connectionBudget: Rule = {
  meta: {
    id: 'connection-budget',
    defaultSeverity: 'error',
    summary: "Potential connections (pools × replicas) over the database's max_connections",
    description:
      "Every live client may open its whole pool; every replica of the service does the same. When the sum passes the database's max_connections, new connections are refused ('too many clients already') and requests fail or queue in memory. Clients built per call make the sum unbounded.",
    fixable: false,
  },
  check({ clients, settings }) {
    const findings: FindingDraft[] = [];
    const byDatabase = new Map<string, { live: ClientSite[]; perCall: ClientSite[] }>();
    for (const site of clients) {
      if (!isServiceCode(site) || !BUDGETED.has(site.pool.database) || site.pool.connections === 0) continue;
      const entry = byDatabase.get(site.pool.database) ?? { live: [], perCall: [] };
      if (site.scope === 'module') entry.live.push(site);
      else entry.perCall.push(site);
      byDatabase.set(site.pool.database, entry);
    }
    for (const [database, { live, perCall }] of byDatabase) {
      const name = database === 'unknown' ? 'Database' : (DATABASE_NAMES[database] ?? database);
      const perReplica = live.reduce((sum, site) => sum + site.pool.connections, 0);
      const potential = perReplica * settings.replicas;
      const anchor = [...live].sort((a, b) => b.pool.connections - a.pool.connections)[0] ?? perCall[0]!;
      const related = [...live, ...perCall].map((site) => ({
        file: site.file,
        line: site.line,
        column: site.column,
        message: `${construction(site)}: ${site.scope === 'module' ? `${site.pool.connections} connections (${site.pool.basis})` : `${site.pool.connections} more on every call`}`,
      }));
      const replicas = settings.replicas === 1 ? '' : ` × ${settings.replicas} replicas`;
      // Only per-call clients (no live one): `live[0]` is undefined, and the sum is not shown.
      const sameLibrary = live.length > 0 && live.every((site) => site.library === live[0]!.library);
      const sum = `${live.length} live ${sameLibrary ? clientNoun(live[0]!.library, live.length) : live.length === 1 ? 'client' : 'clients'}`;
      const data = { database, perReplica, replicas: settings.replicas, potential, maxConnections: settings.maxConnections, perCallSites: perCall.length };
      if (perCall.length > 0) {
        findings.push({
          file: anchor.file,
          line: anchor.line,
          column: anchor.column,
          key: `${database}:unbounded`,
          message:
            `${name} connections are unbounded: ${perCall.length} ${perCall.length === 1 ? 'site builds' : 'sites build'} a new client on every call ` +
            `(up to ${Math.max(...perCall.map((site) => site.pool.connections))} connections each), on top of ${perReplica} from live clients${replicas}; ` +
            `max_connections is ${settings.maxConnections}.`,
          related,
          data: { ...data, potential: null },
        });
        continue;
      }
      if (potential < settings.maxConnections * WARN_AT) continue;
      const over = potential > settings.maxConnections;
      findings.push({
        file: anchor.file,
        line: anchor.line,
        column: anchor.column,
        key: `${database}:budget`,
        severity: over ? undefined : 'warning',
        message:
          `${name} connections: ${sum} may open ${perReplica}${replicas ? `${replicas} = ${potential}` : ''}, ` +
          `${over ? 'over' : 'close to'} max_connections ${settings.maxConnections}` +
          `${over ? '; new connections will be refused' : ''}. Share one client and size its pool to max_connections ÷ replicas.`,
        related,
        data,
      });
    }
    return findings;
  },
};
