/**
 * The database server's side of a `leakhound cost` measurement, over one connection of
 * leakhound's own: the server's version and connection limit, the backends a probe process
 * opened (found by the probe's application_name in pg_stat_activity) and, when the server runs
 * on this machine, what each backend holds in memory.
 *
 * Backend memory is read from `/proc/<pid>/smaps_rollup`: private pages (Private_Clean +
 * Private_Dirty) are what one more connection adds; PSS adds the backend's share of what it
 * shares with the others. Not RSS, which counts the shared buffers and the postmaster's pages
 * again in every backend. A pid from pg_stat_activity is only trusted after checking that the
 * process with that pid here is the backend of our own connection: a server in a container
 * or a VM reports pids of another process namespace.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { redactCredentials } from '../core/redact.js';

export interface ServerSide {
  /** The connection string, credentials redacted. */
  url: string;
  version: string;
  maxConnections: number | null;
  /** Connections that can still be opened by a non-superuser right now. */
  availableConnections: number | null;
  /** Whether backend memory is readable here; if not, why. */
  memory: { measured: true; reason: null } | { measured: false; reason: string };
  /** The backends of the connections opened with this application_name, and their memory when readable. */
  readBackends(applicationName: string): Promise<BackendsReading>;
  close(): Promise<void>;
}

export interface BackendsReading {
  connections: number;
  serverPrivate: number | null;
  serverPss: number | null;
}

export const SERVER_MEMORY_METHOD = 'private memory (Private_Clean + Private_Dirty) and PSS of each backend, from /proc/<pid>/smaps_rollup';

/** The database is not reachable; the message names it with its credentials redacted. */
export class DatabaseUnreachable extends Error {}

interface BackendMemory {
  rss: number;
  pss: number;
  private: number;
}

/** Connects to the server at `url` and works out whether its backends' memory can be read. */
export async function openServerSide(url: string, options: { embedded: boolean }): Promise<ServerSide> {
  const shown = redactCredentials(url);
  const client = new pg.Client({ connectionString: url, application_name: 'leakhound-cost', connectionTimeoutMillis: 10_000 });
  // The server going away mid-run must not crash leakhound: the next query fails instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new DatabaseUnreachable(`cannot connect to ${shown}: ${redactCredentials(describe(error))}`);
  }
  try {
    const settings = await client.query<{ version: string; max: string; reserved: string; used: number; pid: number; port: number | null }>(
      `SELECT current_setting('server_version') AS version, current_setting('max_connections') AS max,
              current_setting('superuser_reserved_connections') AS reserved, pg_backend_pid() AS pid, inet_client_port() AS port,
              (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS used`,
    );
    const row = settings.rows[0]!;
    const maxConnections = Number(row.max);
    const localPort = (client as unknown as { connection?: { stream?: { localPort?: number } } }).connection?.stream?.localPort ?? null;
    const memory = backendMemoryAvailability(url, options.embedded, row.pid, row.port, localPort);
    return {
      url: shown,
      version: row.version,
      maxConnections: Number.isFinite(maxConnections) ? maxConnections : null,
      availableConnections: Number.isFinite(maxConnections) ? maxConnections - Number(row.reserved || 0) - row.used : null,
      memory,
      async readBackends(applicationName) {
        const result = await client.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND backend_type = 'client backend'",
          [applicationName],
        );
        const pids = result.rows.map((backend) => backend.pid);
        if (!memory.measured) return { connections: pids.length, serverPrivate: null, serverPss: null };
        let serverPrivate = 0;
        let serverPss = 0;
        for (const pid of pids) {
          // A backend that ended between the query and the read simply does not count.
          const reading = readBackendMemory(pid);
          if (!reading) continue;
          serverPrivate += reading.private;
          serverPss += reading.pss;
        }
        return { connections: pids.length, serverPrivate, serverPss };
      },
      async close() {
        await client.end().catch(() => undefined);
      },
    };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Whether the backend of our own connection (`pid`, seen by the server as coming from
 * `clientPort`) can be read from this machine's /proc; if not, a reason a user understands.
 */
function backendMemoryAvailability(url: string, embedded: boolean, pid: number, clientPort: number | null, localPort: number | null): ServerSide['memory'] {
  if (process.platform !== 'linux') return { measured: false, reason: `not Linux (${process.platform}): backend memory is read from /proc/<pid>/smaps_rollup` };
  const host = serverHost(url);
  if (!embedded && !isLoopback(host)) return { measured: false, reason: `remote server (${host}): its processes are not on this machine` };
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { measured: false, reason: `the server's processes are not visible here (no process ${pid}): it runs in a container or a VM` };
    if (code === 'EACCES' || code === 'EPERM') {
      return { measured: false, reason: `permission denied reading /proc/${pid}/smaps_rollup: the server runs as another user (run leakhound as that user or as root)` };
    }
    return { measured: false, reason: `cannot read /proc/${pid}/smaps_rollup: ${describe(error)}` };
  }
  if (!parseSmapsRollup(text)) return { measured: false, reason: `/proc/${pid}/smaps_rollup has no Pss/Private lines (Linux 4.14 or later is needed)` };
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+/g, ' ').trim();
  } catch {
    // Checked below: an unreadable command line does not prove it is our backend.
  }
  // A proxy in between (docker-proxy, a port forward) shows the server another client port.
  const proxied = clientPort !== null && localPort !== null && clientPort !== localPort;
  // A backend's title is `postgres: user db 127.0.0.1(54321) idle`: the port in it is ours.
  const titlePort = /\((\d+)\)/.exec(commandLine)?.[1];
  const ours = commandLine.includes('postgres') && (titlePort === undefined || localPort === null || Number(titlePort) === localPort);
  if (proxied || !ours) return { measured: false, reason: `process ${pid} here is not the server's backend for our connection: the server runs in a container or a VM` };
  return { measured: true, reason: null };
}

function readBackendMemory(pid: number): BackendMemory | null {
  try {
    return parseSmapsRollup(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  } catch {
    return null;
  }
}

/** Rss, Pss and Private_Clean + Private_Dirty from smaps_rollup, in bytes; null when missing. */
export function parseSmapsRollup(text: string): BackendMemory | null {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : null;
  };
  const rss = field('Rss');
  const pss = field('Pss');
  const clean = field('Private_Clean');
  const dirty = field('Private_Dirty');
  if (rss === null || pss === null || clean === null || dirty === null) return null;
  return { rss, pss, private: clean + dirty };
}

/** The host pg connects to: `?host=` wins over the URL's host (a socket folder starts with /). */
function serverHost(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname);
  } catch {
    return '';
  }
}

function isLoopback(host: string): boolean {
  return host === '' || host === 'localhost' || host.startsWith('/') || /^127\./.test(host) || host === '::1' || host === '[::1]';
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return `${(error as NodeJS.ErrnoException).code && !error.message.includes((error as NodeJS.ErrnoException).code!) ? `${(error as NodeJS.ErrnoException).code}: ` : ''}${error.message}`;
  return String(error);
}
