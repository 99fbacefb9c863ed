/**
 * A throwaway PostgreSQL server for tests: `startEmbeddedPostgres` (src/db/embedded-postgres.ts)
 * with the fixed password `leakhound`, so that tests can build their own connection strings.
 *
 * ```ts
 * const pg = await startPostgres();
 * try {
 *   // pg.url is `postgresql://postgres:leakhound@127.0.0.1:<port>/postgres`
 * } finally {
 *   await pg.stop();
 * }
 * ```
 */
import { startEmbeddedPostgres, type PostgresServer, type StartPostgresOptions } from '../../src/db/embedded-postgres.js';

export type { PostgresServer, StartPostgresOptions };

/** Starts a fresh PostgreSQL cluster on a free loopback port (password `leakhound`). */
export function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  return startEmbeddedPostgres({ password: 'leakhound', ...options });
}
