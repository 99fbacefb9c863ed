/**
 * `leakhound watch`: runs the user's command with the watch preload in NODE_OPTIONS, samples
 * the database server's connections on the same clock, optionally drives traffic with a load
 * command, and assembles everything into a run file.
 *
 * The run ends when the program exits on its own, when `durationMs` has passed, when the load
 * command has finished (and no duration was given), or when the user interrupts it; in every
 * case the run file is still written, with what was measured up to then.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { redactCredentials } from '../core/redact.js';
import { openConnectionSampler, type ConnectionSampler } from '../db/connection-sampler.js';
import { startEmbeddedPostgres, type PostgresServer } from '../db/embedded-postgres.js';
import { detectMemoryLimit } from '../runtime/memory-limit.js';
import { RunAssembler } from './assemble-run.js';
import { startLoad, waitUntilReady, type LoadRun } from './load-command.js';
import { ProbeFileReader } from './probe-files.js';
import { WATCH_ENV } from './probe-records.js';
import { RUN_FILE_KIND, RUN_FILE_SCHEMA_VERSION, type ConnectionSample, type ConnectionTimeline, type RunFile } from './run-file.js';
import { spawnProgram, type ProgramExit } from './spawn-program.js';
import { summarizeRun } from './summarize.js';

export interface WatchOptions {
  /** The command and its arguments (one string with spaces runs through the shell). */
  command: string[];
  cwd: string;
  /** The environment the command gets (plus the preload's variables). */
  env: NodeJS.ProcessEnv;
  /** Memory and connection sampling interval. Default 500 ms. */
  intervalMs?: number;
  /** Stop the program after this long. Default: run until it exits (or the load ends). */
  durationMs?: number;
  /** Shell command that drives traffic, started when the program is ready. */
  load?: string;
  /** What "ready" means for the load: a URL that answers or a `host:port` / port that accepts. */
  waitFor?: string;
  /** Without `waitFor`, start the load this long after the program. Default 1000 ms. */
  loadDelayMs?: number;
  /** How long `waitFor` may take. Default 30 s. */
  readyTimeoutMs?: number;
  /**
   * The database whose connections are sampled: a connection string, `embedded` (start an
   * embedded PostgreSQL and give the program its DATABASE_URL) or `none`.
   */
  database: { url: string } | 'embedded' | 'none';
  /** Memory limit to draw and to measure time-to-limit against; default: detected (cgroup, Heroku). */
  limitBytes?: number;
  label?: string;
  /** After SIGTERM, how long the program may take to exit before SIGKILL. Default 10 s. */
  graceMs?: number;
  /** Where the load command's output goes. */
  loadLogFile?: string;
  toolVersion: string;
  /** Called once the program runs, with what is being measured (for a start line). */
  onStart?: (info: { databaseUrl: string | null; embedded: boolean; pid: number | undefined }) => void;
}

export interface WatchResult {
  run: RunFile;
  exit: ProgramExit;
  /** Why the run ended. */
  reason: RunFile['exit']['reason'];
}

/** Runs and measures the command; resolves once it has exited and everything is collected. */
export async function watchProgram(options: WatchOptions): Promise<WatchResult> {
  const intervalMs = options.intervalMs ?? 500;
  const graceMs = options.graceMs ?? 10_000;
  const warnings: string[] = [];
  const reportDir = mkdtempSync(join(tmpdir(), 'leakhound-watch-'));
  let embedded: PostgresServer | undefined;
  let sampler: ConnectionSampler | undefined;
  try {
    const env: NodeJS.ProcessEnv = { ...options.env };
    let databaseUrl: string | null = null;
    if (options.database === 'embedded') {
      embedded = await startEmbeddedPostgres();
      databaseUrl = embedded.url;
      env.DATABASE_URL = embedded.url;
    } else if (options.database !== 'none') {
      databaseUrl = options.database.url;
    }
    if (databaseUrl !== null) sampler = await openConnectionSampler(databaseUrl, { projectDir: options.cwd });
    if (sampler && !sampler.supported && sampler.note) warnings.push(sampler.note);

    const connectionSamples: ConnectionSample[] = [];
    const baseline = sampler?.supported ? (await sampler.sample()).total : null;

    const origin = Date.now();
    env[WATCH_ENV.dir] = reportDir;
    env[WATCH_ENV.interval] = String(intervalMs);
    env[WATCH_ENV.origin] = String(origin);
    env.NODE_OPTIONS = [options.env.NODE_OPTIONS, `--import=${pathToFileURL(preloadPath()).href}`].filter(Boolean).join(' ');
    const program = await spawnProgram(options.command, env, options.cwd);
    options.onStart?.({ databaseUrl: databaseUrl === null ? null : redactCredentials(databaseUrl), embedded: embedded !== undefined, pid: program.pid });

    const reader = new ProbeFileReader(reportDir);
    const assembler = new RunAssembler();
    const collect = () => {
      for (const { file, records } of reader.readNew()) assembler.add(file, records);
    };
    let connectionError: string | undefined;
    const sampleConnections = async () => {
      if (!sampler?.supported) return;
      const t = Date.now() - origin;
      try {
        const count = await sampler.sample();
        connectionSamples.push({ t, total: count.total, groups: count.groups });
      } catch (error) {
        // Reported once: the database may restart or drop us mid-run; later samples may work.
        connectionError ??= `connection sampling failed at ${(t / 1000).toFixed(1)} s: ${redactCredentials((error as Error).message)}`;
      }
    };

    let running = true;
    const ticker = (async () => {
      while (running) {
        collect();
        await sampleConnections();
        await sleep(intervalMs);
      }
    })();

    let reason: RunFile['exit']['reason'] = 'exited';
    let stopRequested = false;
    const stopProgram = (why: RunFile['exit']['reason']) => {
      if (stopRequested) return;
      stopRequested = true;
      reason = why;
      void program.stop(graceMs, () => {
        collect();
        return assembler.runningPids();
      });
    };

    let durationTimer: NodeJS.Timeout | undefined;
    if (options.durationMs !== undefined) durationTimer = setTimeout(() => stopProgram('duration'), options.durationMs);

    let load: LoadRun | undefined;
    let loadInfo: RunFile['load'] = null;
    const loadStarted = options.load === undefined ? undefined : (async () => {
      try {
        if (options.waitFor) await waitUntilReady(options.waitFor, options.readyTimeoutMs ?? 30_000, program.exited);
        else await Promise.race([sleep(options.loadDelayMs ?? 1000), program.exited]);
      } catch (error) {
        warnings.push(`the load did not start: ${(error as Error).message}`);
        return;
      }
      if (stopRequested || (await isSettled(program.exited))) return;
      loadInfo = { command: redactCredentials(options.load!), startedAt: Date.now() - origin, endedAt: null, exitCode: null };
      load = startLoad(options.load!, withoutPreload(options.env), options.cwd, options.loadLogFile ?? join(reportDir, 'load.log'));
      const code = await load.finished;
      loadInfo.endedAt = Date.now() - origin;
      loadInfo.exitCode = code;
      if (code !== 0 && !stopRequested) warnings.push(`the load command exited with ${code ?? 'a signal'}${options.loadLogFile ? ` (its output: ${options.loadLogFile})` : ''}`);
      // The load was the experiment: once it is over, a last few samples and the run ends.
      if (options.durationMs === undefined) setTimeout(() => stopProgram('load-finished'), Math.max(2 * intervalMs, 1000)).unref();
    })();

    const exit = await program.exited;
    if (program.interrupted && !stopRequested) reason = 'interrupted';
    if (durationTimer) clearTimeout(durationTimer);
    load?.stop();
    await loadStarted;
    // Processes the program started may outlive it (a server under `sh -c`); give them the
    // grace period to report their exit, then make sure nothing is left behind.
    if (stopRequested || reason === 'interrupted') await waitForExits(assembler, collect, graceMs);
    else {
      collect();
      const orphans = assembler.runningPids().filter(isAlive);
      if (orphans.length > 0) warnings.push(`the command exited but left ${orphans.length} Node.js process(es) running (pid ${orphans.join(', ')}); they were not measured further and were left alone`);
    }
    running = false;
    await ticker;
    collect();
    await sampleConnections();
    if (connectionError) warnings.push(connectionError);
    if (reader.skippedLines > 0) warnings.push(`${reader.skippedLines} unreadable line(s) in the preload's reports were skipped (a process killed while writing?)`);

    const parts = assembler.finish();
    if (parts.processes.length === 0) {
      warnings.push('no Node.js process reported: is the command a Node.js program, and does it keep NODE_OPTIONS? (memory and clients are measured inside Node processes only)');
    }
    const limit = memoryLimit(options.limitBytes);
    const connections: ConnectionTimeline | null = sampler
      ? {
          database: { kind: sampler.kind, url: sampler.url, embedded: embedded !== undefined },
          supported: sampler.supported,
          note: sampler.note,
          baseline,
          samples: connectionSamples,
        }
      : null;
    const body = { processes: parts.processes, samples: parts.samples, clients: parts.clients, connections, intervalMs, limit, load: loadInfo };
    const run: RunFile = {
      schemaVersion: RUN_FILE_SCHEMA_VERSION,
      kind: RUN_FILE_KIND,
      tool: { name: 'leakhound', version: options.toolVersion },
      label: options.label ?? redactCredentials(options.command.join(' ')),
      command: options.command.map(redactCredentials),
      cwd: options.cwd,
      startedAt: new Date(origin).toISOString(),
      durationMs: Date.now() - origin,
      intervalMs,
      exit: { code: exit.code, signal: exit.signal, reason },
      machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: availableParallelism(), totalMemory: totalmem() },
      limit,
      processes: parts.processes,
      samples: parts.samples,
      clients: parts.clients,
      connections,
      load: loadInfo,
      summary: summarizeRun(body),
      warnings,
    };
    return { run, exit, reason };
  } finally {
    await sampler?.close();
    await embedded?.stop().catch(() => undefined);
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The preload next to this module (dist/src/watch/ or, in the CLI bundle, dist/bundle/). */
function preloadPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'watch-preload.js');
}

function memoryLimit(limitBytes: number | undefined): RunFile['limit'] {
  const limit = detectMemoryLimit(limitBytes === undefined ? {} : { limitBytes });
  // The machine's own memory is not a limit worth drawing (and would flatten the chart).
  return limit.source === 'system' ? null : { bytes: limit.bytes, source: limit.source };
}

function withoutPreload(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of Object.values(WATCH_ENV)) delete copy[name];
  return copy;
}

async function waitForExits(assembler: RunAssembler, collect: () => void, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    collect();
    const alive = assembler.runningPids().filter(isAlive);
    if (alive.length === 0) return;
    if (Date.now() >= deadline) {
      for (const pid of alive) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }
      return;
    }
    await sleep(50);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol();
  return (await Promise.race([promise, Promise.resolve(marker)])) !== marker;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
