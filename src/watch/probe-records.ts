/**
 * What the watch preload writes, one JSON object per line, in one file per process under the
 * run's report directory. Files rather than IPC or a socket: they need no channel that a
 * program could notice (an IPC channel makes `process.send` appear, which changes how cluster
 * and some frameworks behave), they survive the program being killed (everything up to the
 * last sample is on disk), and every Node process of the tree can write its own.
 */

/** Environment variables through which `watch` configures the preload. */
export const WATCH_ENV = {
  /** Directory the preload writes its files into; the preload does nothing without it. */
  dir: 'LEAKHOUND_WATCH_DIR',
  /** Sampling interval in ms. */
  interval: 'LEAKHOUND_WATCH_INTERVAL_MS',
  /** `Date.now()` when the run started, so every process reports times on one axis. */
  origin: 'LEAKHOUND_WATCH_ORIGIN',
} as const;

export interface ProcessRecord {
  type: 'process';
  t: number;
  pid: number;
  ppid: number;
  argv: string[];
  cwd: string;
}

export interface SampleRecord {
  type: 'sample';
  t: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface ClientRecord {
  type: 'client';
  t: number;
  id: number;
  library: string;
  clientType: string;
  key: string;
  owner: string | null;
  /** Frames as the runtime tracker formats them: relative to the process's cwd when inside it. */
  stack: string[];
}

export interface ClientEndRecord {
  type: 'client-end';
  t: number;
  id: number;
  state: 'closed' | 'collected' | 'open';
}

export interface ExitRecord {
  type: 'exit';
  t: number;
  code: number;
}

export type ProbeRecord = ProcessRecord | SampleRecord | ClientRecord | ClientEndRecord | ExitRecord;
