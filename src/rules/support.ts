/** Wording and selections the rules share. */
import { posix } from 'node:path';
import type { ClientSite } from '../types.js';

const CLIENT_NOUNS: Record<string, [string, string]> = {
  prisma: ['Prisma client', 'Prisma clients'],
  pg: ['pg pool or client', 'pg pools and clients'],
  postgres: ['postgres.js client', 'postgres.js clients'],
  knex: ['knex instance', 'knex instances'],
  mysql2: ['mysql2 pool or connection', 'mysql2 pools and connections'],
  sequelize: ['Sequelize instance', 'Sequelize instances'],
  typeorm: ['TypeORM DataSource', 'TypeORM DataSources'],
  drizzle: ['drizzle instance', 'drizzle instances'],
  mongoose: ['mongoose connection', 'mongoose connections'],
  ioredis: ['ioredis client', 'ioredis clients'],
  redis: ['node-redis client', 'node-redis clients'],
};

export function clientNoun(library: string, count = 1): string {
  const [one, many] = CLIENT_NOUNS[library] ?? [`${library} client`, `${library} clients`];
  return count === 1 ? one : many;
}

export function at(site: { file: string; line: number }): string {
  return `${site.file}:${site.line}`;
}

/** "a.ts:3, b.ts:5 and 4 more". */
export function listPlaces(sites: readonly { file: string; line: number }[], max = 3): string {
  const shown = sites.slice(0, max).map(at);
  const more = sites.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown.join('');
}

/** Application code: not tests, not one-off scripts (a seed script's client is not the service's). */
export function isServiceCode(site: ClientSite): boolean {
  return !site.inTest && site.category !== 'script';
}

/** Clients that exist for the life of the process once their module is loaded. */
export function liveClients(clients: readonly ClientSite[]): ClientSite[] {
  return clients.filter((site) => isServiceCode(site) && site.scope === 'module');
}

/** Clients built again on every call of what encloses them. */
export function perCallClients(clients: readonly ClientSite[]): ClientSite[] {
  return clients.filter((site) => !site.inTest && site.scope === 'function');
}

/** `new PrismaClient()` or `mysql.createPool()`. */
export function construction(site: ClientSite): string {
  return site.construction === 'call' ? `${site.callee}()` : `new ${site.callee}()`;
}

/** The package a file belongs to (nearest folder with a package.json), '' for the root. */
export function packageOf(file: string, packageDirs: readonly string[]): string {
  let best = '';
  for (const dir of packageDirs) {
    if ((dir === '' || file.startsWith(`${dir}/`)) && dir.length >= best.length) best = dir;
  }
  return best;
}

export function packageDirs(manifestFiles: readonly string[]): string[] {
  return manifestFiles.map((file) => {
    const dir = posix.dirname(file);
    return dir === '.' ? '' : dir;
  });
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export const DATABASE_NAMES: Record<string, string> = {
  postgresql: 'PostgreSQL',
  mysql: 'MySQL',
  sqlserver: 'SQL Server',
  sqlite: 'SQLite',
  mongodb: 'MongoDB',
  redis: 'Redis',
  unknown: 'the database',
};
