/**
 * per-call-client: a client constructed on every call of a handler, job, timer, constructor or
 * helper. Each call opens a new pool; unless it is disconnected in a `finally`, the pool stays
 * open until garbage collection finds it, if ever.
 */
import { DISPOSAL_METHODS } from '../core/observations.js';
import { clientNoun, construction, perCallClients } from './support.js';
import type { FindingDraft, Rule } from './types.js';
import type { ClientSite } from '../types.js';
import type { ProjectFacts } from './project-facts.js';

type Disposal = 'finally' | 'not-in-finally' | 'never';

export const perCallClient: Rule = {
  meta: {
    id: 'per-call-client',
    defaultSeverity: 'warning',
    summary: 'A client constructed on every request, job, timer tick or function call',
    description:
      'A client built inside a handler opens a new connection pool on every call. Under load that is hundreds of pools, each with its own connections, and — when it is never disconnected in a `finally` — they stay open until the process runs out of connections or memory. Build the client once at module level and share it.',
    fixable: false,
  },
  check({ clients, project }) {
    const findings: FindingDraft[] = [];
    for (const site of perCallClients(clients)) {
      const disposal = disposalOf(site, project);
      const when = describeWhen(site);
      const consequence =
        disposal === 'never'
          ? 'and it is never disconnected, so every call leaves its connections open'
          : disposal === 'not-in-finally'
            ? 'and it is disconnected outside a `finally`, so every call that throws leaves its connections open'
            : 'even though it is disconnected in a `finally`, every call pays for a new pool';
      findings.push({
        file: site.file,
        line: site.line,
        column: site.column,
        key: `${site.library}:${site.context.name ?? site.assignedTo ?? construction(site)}`,
        severity: disposal === 'finally' ? undefined : 'error',
        message: `${construction(site)} builds a new ${clientNoun(site.library)} ${when} (up to ${site.pool.connections} ${site.pool.connections === 1 ? 'connection' : 'connections'} each), ${consequence}. Build it once at module level and share it.`,
        data: { connectionsPerCall: site.pool.connections, disconnected: disposal, context: site.context.kind },
      });
    }
    return findings;
  },
};

function describeWhen(site: ClientSite): string {
  const name = site.context.name ? ` ${site.context.name}` : '';
  switch (site.context.kind) {
    case 'route-handler':
      return `on every request of${name}`;
    case 'queue-processor':
      return `for every job of${name}`;
    case 'timer':
      return `on every tick of${name}`;
    case 'event-listener':
      return `on every event of${name}`;
    case 'constructor':
    case 'instance-field':
      return `for every instance (${site.context.name ?? 'constructor'})`;
    default:
      return `on every call of${name || ' its function'}`;
  }
}

/** Is the client closed in the function that built it, and in a `finally`? */
function disposalOf(site: ClientSite, project: ProjectFacts): Disposal {
  const { enclosingFunction } = project.detailsOf(site);
  const calls = project.observations.get(site.file)?.calls ?? [];
  const target = site.assignedTo;
  if (!target || !enclosingFunction) return 'never';
  const closing = calls.filter(
    (call) =>
      DISPOSAL_METHODS.has(call.name) &&
      call.receiver === target &&
      call.offset >= enclosingFunction.start &&
      call.offset < enclosingFunction.end,
  );
  if (closing.some((call) => call.inFinally)) return 'finally';
  return closing.length > 0 ? 'not-in-finally' : 'never';
}
