/**
 * Turns the preload's records into the run file's processes, samples and clients: one entry
 * per process, stacks made absolute (the tracker writes them relative to the process's own
 * working directory, which `npm start` may have changed), launchers told apart from the
 * program, and every command line redacted.
 */
import { basename, isAbsolute, resolve } from 'node:path';
import { redactCredentials } from '../core/redact.js';
import type { ProbeRecord } from './probe-records.js';
import type { RunClient, RunMemorySample, RunProcess } from './run-file.js';

interface ProcessState {
  info: RunProcess;
  cwd: string;
  lastT: number;
  exited: boolean;
}

/** Collects records as they arrive (from several files, in any order between files). */
export class RunAssembler {
  readonly #processes = new Map<string, ProcessState>();
  readonly #samples: RunMemorySample[] = [];
  readonly #clients = new Map<string, RunClient>();

  /** Adds the records of one file (one process). */
  add(file: string, records: ProbeRecord[]): void {
    for (const record of records) {
      if (record.type === 'process') {
        this.#processes.set(file, {
          info: { pid: record.pid, ppid: record.ppid, argv: record.argv.map(redactCredentials), role: 'program', startedAt: record.t, endedAt: null, exitCode: null },
          cwd: record.cwd,
          lastT: record.t,
          exited: false,
        });
        continue;
      }
      const process = this.#processes.get(file);
      // A file always starts with its process record; anything before it is not ours.
      if (!process) continue;
      process.lastT = Math.max(process.lastT, record.t);
      const pid = process.info.pid;
      switch (record.type) {
        case 'sample':
          this.#samples.push({ pid, t: record.t, rss: record.rss, heapUsed: record.heapUsed, heapTotal: record.heapTotal, external: record.external, arrayBuffers: record.arrayBuffers });
          break;
        case 'client':
          this.#clients.set(`${file}\0${record.id}`, {
            pid,
            t: record.t,
            id: record.id,
            library: record.library,
            type: record.clientType,
            key: record.key,
            owner: record.owner,
            stack: record.stack.map((frame) => absoluteFrame(frame, process.cwd)),
            closedAt: null,
            state: 'open',
          });
          break;
        case 'client-end': {
          const client = this.#clients.get(`${file}\0${record.id}`);
          // Closed, then garbage-collected: it was closed properly, and when is what counts.
          if (!client || (client.state === 'closed' && record.state === 'collected')) break;
          client.state = record.state;
          client.closedAt = record.state === 'open' ? null : record.t;
          break;
        }
        case 'exit':
          process.exited = true;
          process.info.exitCode = record.code;
          break;
      }
    }
  }

  /** The pids of processes that have not reported their exit. */
  runningPids(): number[] {
    return [...this.#processes.values()].filter((p) => !p.exited).map((p) => p.info.pid);
  }

  /** The run's processes, samples and clients, in time order. */
  finish(): { processes: RunProcess[]; samples: RunMemorySample[]; clients: RunClient[] } {
    const states = [...this.#processes.values()];
    for (const state of states) state.info.endedAt = state.exited ? state.lastT : null;
    const processes = states.map((s) => s.info).sort((a, b) => a.startedAt - b.startedAt);
    // A launcher that started another Node process (through `sh -c` for npm scripts, so its
    // pid need not be the other's parent) only waits for it: the program is the other one.
    for (const process of processes) {
      if (isLauncher(process.argv) && processes.some((other) => other !== process && other.startedAt >= process.startedAt)) process.role = 'wrapper';
    }
    return {
      processes,
      samples: [...this.#samples].sort((a, b) => a.t - b.t),
      clients: [...this.#clients.values()].sort((a, b) => a.t - b.t),
    };
  }
}

// Scripts of tools that start the program as a child Node process and only wait for it.
const LAUNCHERS = /(?:^|[\\/])(?:npm-cli|npx-cli|npm|npx|pnpm|pnpx|yarn|corepack|nodemon|concurrently|ts-node-dev|node-dev|tsx|cli)(?:\.c?m?js)?$/;

/** A package manager or launcher: `npm start` → npm-cli.js; `tsx src/app.ts` → tsx's cli.mjs. */
function isLauncher(argv: string[]): boolean {
  const script = argv[1];
  if (script === undefined) return false;
  if (/[\\/]node_modules[\\/](?:npm|pnpm|yarn|corepack|nodemon|concurrently|tsx|ts-node-dev|node-dev)[\\/]/.test(script)) return true;
  // `cli` alone is too generic outside node_modules (a user's own cli.js).
  return LAUNCHERS.test(script) && basename(script).replace(/\.c?m?js$/, '') !== 'cli';
}

/** `src/db.ts:4:16 (getDb)` → `/abs/app/src/db.ts:4:16 (getDb)`. */
function absoluteFrame(frame: string, cwd: string): string {
  const match = /^(.*?)(:\d+(?::\d+)?)?( \(.*\))?$/.exec(frame);
  if (!match) return frame;
  const file = match[1]!;
  if (file === '' || isAbsolute(file) || /^[a-z][a-z0-9+.-]*:/i.test(file)) return frame;
  return `${resolve(cwd, file)}${match[2] ?? ''}${match[3] ?? ''}`;
}
