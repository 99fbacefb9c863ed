/**
 * Counts a database server's client connections, from the server's side: the only place that
 * sees every connection whoever opened it (each Prisma client's pool, a stray `pg.Client`,
 * another process). PostgreSQL answers from `pg_stat_activity`, grouped by
 * `application_name` and state; MySQL from `SHOW PROCESSLIST`, through the `mysql2` package
 * of the project being watched when it has one. Other databases get a sampler that says what
 * is not supported instead of guessing.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { redactCredentials } from '../core/redact.js';

export interface ConnectionGroup {
  applicationName: string;
  state: string;
  count: number;
}

export interface ConnectionCount {
  total: number;
  groups: ConnectionGroup[];
}

export interface ConnectionSampler {
  kind: 'postgres' | 'mysql' | 'other';
  /** The connection string, credentials redacted. */
  url: string;
  /** False when this database cannot be sampled; `note` says why. */
  supported: boolean;
  note: string | null;
  /** The server's connections now, the sampler's own left out. */
  sample(): Promise<ConnectionCount>;
  close(): Promise<void>;
}

/** What kind of database a connection string points at, from its scheme. */
export function databaseKind(url: string): 'postgres' | 'mysql' | 'other' {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? '';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  return 'other';
}

/**
 * A sampler for the database at `url`. Connects once (a failure rejects with the redacted
 * address) and keeps that one connection for every sample. `projectDir` is where `mysql2` is
 * looked for.
 */
export async function openConnectionSampler(url: string, options: { projectDir?: string; applicationName?: string } = {}): Promise<ConnectionSampler> {
  const kind = databaseKind(url);
  const shown = redactCredentials(url);
  if (kind === 'postgres') return openPostgresSampler(url, shown, options.applicationName ?? 'leakhound-watch');
  if (kind === 'mysql') return openMysqlSampler(url, shown, options.projectDir ?? process.cwd());
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? 'this';
  return unsupported(kind, shown, `connection counts for ${scheme} databases are not supported yet (PostgreSQL and MySQL are)`);
}

// Client connections only (no autovacuum or WAL processes), the sampler's own left out.
const POSTGRES_QUERY = `
SELECT coalesce(application_name, '') AS application_name, coalesce(state, 'unknown') AS state, count(*)::int AS count
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
GROUP BY 1, 2
ORDER BY 3 DESC, 1, 2`;

async function openPostgresSampler(url: string, shown: string, applicationName: string): Promise<ConnectionSampler> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName, connectionTimeoutMillis: 10_000 });
  // An 'error' event (the server went away mid-run) must not crash leakhound; the next sample fails instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(`cannot connect to ${shown}: ${redactCredentials((error as Error).message)}`);
  }
  return {
    kind: 'postgres',
    url: shown,
    supported: true,
    note: null,
    async sample() {
      const result = await client.query<{ application_name: string; state: string; count: number }>(POSTGRES_QUERY);
      const groups = result.rows.map((row) => ({ applicationName: row.application_name, state: row.state, count: row.count }));
      return { total: groups.reduce((sum, group) => sum + group.count, 0), groups };
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

interface MysqlConnection {
  query(sql: string): Promise<[Array<Record<string, unknown>>, unknown]>;
  end(): Promise<void>;
}

async function openMysqlSampler(url: string, shown: string, projectDir: string): Promise<ConnectionSampler> {
  let mysql: { createConnection(url: string): Promise<MysqlConnection> };
  try {
    const require = createRequire(join(projectDir, 'package.json'));
    mysql = require('mysql2/promise') as typeof mysql;
  } catch {
    return unsupported('mysql', shown, 'MySQL connection counts need the mysql2 package in the watched project (`npm install mysql2`); memory and clients are still measured');
  }
  let connection: MysqlConnection;
  try {
    connection = await mysql.createConnection(url);
  } catch (error) {
    throw new Error(`cannot connect to ${shown}: ${redactCredentials((error as Error).message)}`);
  }
  const [[own]] = (await connection.query('SELECT CONNECTION_ID() AS id')) as [[{ id: number }], unknown];
  return {
    kind: 'mysql',
    url: shown,
    supported: true,
    note: 'MySQL has no application name per connection: grouped by user and command',
    async sample() {
      const [rows] = await connection.query('SHOW PROCESSLIST');
      const groups = new Map<string, ConnectionGroup>();
      for (const row of rows) {
        if (Number(row.Id) === own.id || row.Command === 'Daemon') continue;
        const applicationName = String(row.User ?? '');
        const state = String(row.Command ?? 'unknown');
        const key = `${applicationName}\0${state}`;
        const group = groups.get(key) ?? { applicationName, state, count: 0 };
        group.count++;
        groups.set(key, group);
      }
      const list = [...groups.values()].sort((a, b) => b.count - a.count);
      return { total: list.reduce((sum, group) => sum + group.count, 0), groups: list };
    },
    async close() {
      await connection.end().catch(() => undefined);
    },
  };
}

function unsupported(kind: ConnectionSampler['kind'], url: string, note: string): ConnectionSampler {
  return {
    kind,
    url,
    supported: false,
    note,
    sample: async () => ({ total: 0, groups: [] }),
    close: async () => undefined,
  };
}
