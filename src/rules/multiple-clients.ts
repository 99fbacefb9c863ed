/**
 * multiple-clients: more than one client of a library alive at once in one service. Each one
 * opens its own pool (and in Prisma ≤ 6 loads its own query engine); they compete for the
 * database's connections and nothing is gained.
 */
import { at, clientNoun, construction, listPlaces, liveClients, packageDirs, packageOf } from './support.js';
import type { FindingDraft, Rule } from './types.js';
import type { ClientSite } from '../types.js';

export const multipleClients: Rule = {
  meta: {
    id: 'multiple-clients',
    defaultSeverity: 'error',
    summary: 'More than one client of the same library alive at once in one service',
    description:
      'Every client opens its own connection pool (Prisma ≤ 6 also loads its own query engine). Several module-level clients in one service multiply the connections it holds and the memory it needs, and gain nothing: one shared client serves every module.',
    fixable: false,
  },
  check({ clients, project }) {
    const findings: FindingDraft[] = [];
    const dirs = packageDirs(project.manifests.map((manifest) => manifest.file));
    // One process per package: a monorepo's api and worker each have their own client.
    const groups = new Map<string, ClientSite[]>();
    for (const site of liveClients(clients)) {
      const key = `${site.library}\0${packageOf(site.file, dirs)}`;
      groups.set(key, [...(groups.get(key) ?? []), site]);
    }
    for (const sites of groups.values()) {
      if (sites.length < 2) continue;
      const keeper = sites.find((site) => site.singleton === 'globalThis') ?? sites.find((site) => site.singleton !== null) ?? sites[0]!;
      const connections = sites.reduce((sum, site) => sum + site.pool.connections, 0);
      for (const site of sites) {
        if (site === keeper) continue;
        const others = sites.filter((other) => other !== site);
        findings.push({
          file: site.file,
          line: site.line,
          column: site.column,
          key: `${site.library}:${site.assignedTo ?? site.context.name ?? construction(site)}`,
          message:
            `${construction(site)} is one of ${sites.length} ${clientNoun(site.library, sites.length)} alive at once ` +
            `(also ${listPlaces(others)}); together they may hold ${connections} connections. ` +
            `Share one client: import it from ${at(keeper)}.`,
          related: others.map((other) => ({ file: other.file, line: other.line, column: other.column, message: `another ${clientNoun(other.library)}` })),
          data: { clients: sites.length, connections, library: site.library },
        });
      }
    }
    return findings;
  },
};
