/**
 * unbounded-collection: a long-lived array, Map, Set or object that grows in an event listener,
 * timer, request handler or job, while nothing in its file ever removes from it. This is the
 * `$on('query', e => queryHistory.push(e))` of the field reports, and the Map used as a cache
 * keyed by request data.
 */
import type { FindingDraft, Rule } from './types.js';
import type { CollectionFact } from '../core/observations.js';

const RECURRING = new Set(['event-listener', 'timer', 'route-handler', 'queue-processor']);

const KIND_NAMES: Record<CollectionFact['kind'], string> = { array: 'array', map: 'Map', set: 'Set', object: 'object' };
const OWNER_NAMES: Record<CollectionFact['owner'], string> = { module: 'module-level', static: 'static', instance: 'instance field' };

export const unboundedCollection: Rule = {
  meta: {
    id: 'unbounded-collection',
    defaultSeverity: 'warning',
    summary: 'A long-lived collection that grows on every event, tick, request or job and never shrinks',
    description:
      'A module-level, static or instance collection that a listener, timer or handler keeps adding to, with no removal anywhere, grows for as long as the process lives: its heap use climbs until the process hits its memory limit. Bound it (a ring buffer, an LRU with a maximum size, a counter instead of a history).',
    fixable: false,
  },
  check({ project }) {
    const findings: FindingDraft[] = [];
    for (const [file, observations] of project.observations) {
      if (project.isTest(file)) continue;
      for (const collection of observations.collections) {
        if (collection.boundedBy !== null) continue;
        const recurring = collection.growth.filter((growth) => RECURRING.has(growth.context.kind));
        if (recurring.length === 0) continue;
        const first = recurring[0]!;
        const where = first.context.name ? `${describeKind(first.context.kind)} ${first.context.name}` : describeKind(first.context.kind).replace(/ (?:of|to)$/, '');
        findings.push({
          file,
          line: collection.line,
          column: collection.column,
          key: collection.name,
          message:
            `${collection.name} (${OWNER_NAMES[collection.owner]} ${KIND_NAMES[collection.kind]}) grows with ${first.op === 'index' ? 'an indexed assignment' : `${first.op}()`} on every ${where} ` +
            `(line ${first.line}) and nothing in this file ever removes from it: it grows for as long as the process lives. Bound it or keep a count instead.`,
          related: recurring.map((growth) => ({ file, line: growth.line, column: growth.column, message: `grows here (${growth.op})` })),
          data: { collection: collection.name, kind: collection.kind, growthSites: recurring.length },
        });
      }
    }
    return findings;
  },
};

function describeKind(kind: string): string {
  switch (kind) {
    case 'event-listener':
      return 'event of';
    case 'timer':
      return 'tick of';
    case 'route-handler':
      return 'request to';
    case 'queue-processor':
      return 'job of';
    default:
      return 'call of';
  }
}
