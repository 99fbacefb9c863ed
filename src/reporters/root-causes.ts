/**
 * The root causes a report leads with, ranked by what they cost, the way the field reports
 * rank them — but every figure is counted from the findings and sites, or is a documented
 * default named as such.
 */
import { plural } from './describe.js';
import type { Finding, Report, Severity } from '../types.js';

export interface RootCause {
  ruleId: string;
  severity: Severity;
  /** "7 clients built on every request, job or call". */
  title: string;
  /** The figures behind it: "connections unbounded", "up to 95 of max_connections 100". */
  figures: string;
  /** Up to three places, `file:line:column`. */
  places: string[];
  more: number;
  /** What to do next. */
  next: string;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** How much a cause costs, relative to the others: unbounded connections first, then the rest. */
const COST_ORDER = [
  'per-call-client',
  'connection-budget',
  'multiple-clients',
  'unbounded-collection',
  'heap-snapshot',
  'pool-config',
  'transaction-timeout',
  'shutdown',
  'queue-retention',
  'query-logging',
];

export function rootCauses(report: Report): RootCause[] {
  const byRule = new Map<string, Finding[]>();
  for (const finding of report.findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  const causes: RootCause[] = [];
  for (const [ruleId, findings] of byRule) {
    const severity = findings.reduce<Severity>((worst, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst] ? f.severity : worst), 'info');
    const places = findings.slice(0, 3).map((f) => `${f.file}:${f.line}:${f.column}`);
    causes.push({ ruleId, severity, ...describe(ruleId, findings), places, more: findings.length - places.length });
  }
  return causes.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || rank(a.ruleId) - rank(b.ruleId),
  );
}

function rank(ruleId: string): number {
  const index = COST_ORDER.indexOf(ruleId);
  return index === -1 ? COST_ORDER.length : index;
}

function sum(findings: Finding[], key: string): number {
  return findings.reduce((total, f) => total + (typeof f.data?.[key] === 'number' ? (f.data[key] as number) : 0), 0);
}

function describe(ruleId: string, findings: Finding[]): Pick<RootCause, 'title' | 'figures' | 'next'> {
  const n = findings.length;
  const docs = `docs/rules/${ruleId}.md`;
  switch (ruleId) {
    case 'per-call-client': {
      const never = findings.filter((f) => f.data?.disconnected === 'never').length;
      return {
        title: `${plural(n, 'client')} built on every request, job, tick or call`,
        figures: `connections unbounded under load; ${never} of ${n} never disconnected`,
        next: `build each once at module level and share it (${docs})`,
      };
    }
    case 'multiple-clients': {
      const clients = new Set(findings.map((f) => `${f.data?.library}:${f.data?.clients}`));
      const total = [...clients].reduce((acc, key) => acc + Number(key.split(':')[1]), 0);
      const connections = Math.max(...findings.map((f) => (typeof f.data?.connections === 'number' ? f.data.connections : 0)));
      return {
        title: `${plural(total, 'client')} alive at once where one would do`,
        figures: `up to ${connections} connections held by ${total} pools`,
        next: `keep one shared client and import it everywhere (${docs})`,
      };
    }
    case 'connection-budget': {
      const parts = findings.map((f) =>
        f.data?.potential === null
          ? `${f.data?.database}: unbounded (per-call clients) with max_connections ${f.data?.maxConnections}`
          : `${f.data?.database}: ${f.data?.potential} potential of max_connections ${f.data?.maxConnections}`,
      );
      return { title: 'connection budget exceeded', figures: parts.join('; '), next: `size pools to max_connections ÷ replicas (${docs})` };
    }
    case 'unbounded-collection':
      return {
        title: `${plural(n, 'collection')} that only ever grow${n === 1 ? 's' : ''}`,
        figures: `${sum(findings, 'growthSites')} places add to them, none remove`,
        next: `bound them (ring buffer, LRU with a maximum) or keep counts (${docs})`,
      };
    case 'heap-snapshot': {
      const bytes = sum(findings, 'bytes');
      return {
        title: `${plural(n, 'heap-snapshot problem')}`,
        figures: bytes > 0 ? `${(bytes / 1024 / 1024).toFixed(0)} MB of snapshot files in the tree` : 'snapshots written automatically',
        next: `take snapshots on demand only (${docs})`,
      };
    }
    case 'pool-config':
      return { title: `${plural(n, 'pool setting')} to change`, figures: 'no acquire timeout, oversized pools or long idle timeouts', next: `set timeouts and sizes explicitly (${docs})` };
    case 'transaction-timeout':
      return { title: `${plural(n, 'long transaction timeout')}`, figures: 'each transaction holds a pooled connection until it ends', next: `keep transactions short (${docs})` };
    case 'shutdown': {
      const inHandlers = findings.filter((f) => f.data?.context !== undefined).length;
      const missing = findings.find((f) => typeof f.data?.liveClients === 'number');
      const titles = [
        ...(missing ? ['no graceful shutdown'] : []),
        ...(inHandlers > 0 ? [`${plural(inHandlers, 'disconnect')} of the shared client inside handlers`] : []),
      ];
      const figures = [
        ...(missing ? [`${plural(missing.data!.liveClients as number, 'live client')} not disconnected on SIGTERM`] : []),
        ...(inHandlers > 0 ? ['every request or job that disconnects makes the next one reconnect'] : []),
      ];
      return { title: titles.join(', and '), figures: figures.join('; '), next: `disconnect once, in one SIGTERM/SIGINT handler (${docs})` };
    }
    case 'queue-retention':
      return { title: `${plural(n, 'queue')} keeping every finished job`, figures: 'Redis memory grows with every job', next: `set removeOnComplete / removeOnFail (${docs})` };
    case 'query-logging':
      return { title: `${plural(n, 'place')} logging every query in production`, figures: 'one log record or event per statement', next: `log queries only in development (${docs})` };
    default:
      return { title: `${plural(n, 'finding')}`, figures: '', next: docs };
  }
}
