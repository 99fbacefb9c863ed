/**
 * The preload `leakhound watch` puts into NODE_OPTIONS (`--import`), so that it runs in the
 * program and in every Node process the program starts. It samples `process.memoryUsage()`
 * and records each database client created (through the runtime library's tracker), into a
 * file of its own (see probe-records.ts). It never writes to the program's stdout or stderr,
 * never keeps the process alive (the timer is unref'd), and swallows its own failures: a
 * broken measurement must not break the program being measured.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { trackClients } from '../runtime/track-clients.js';
import { WATCH_ENV, type ProbeRecord } from './probe-records.js';

function start(): void {
  const dir = process.env[WATCH_ENV.dir];
  // Worker threads share the process's memory: the main thread's samples already cover them.
  if (!dir || !isMainThread) return;
  const origin = Number(process.env[WATCH_ENV.origin]) || Date.now();
  const intervalMs = Math.max(10, Number(process.env[WATCH_ENV.interval]) || 500);
  let fd: number | undefined = openSync(join(dir, `${process.pid}-${Date.now().toString(36)}.ndjson`), 'a');
  const now = () => Date.now() - origin;
  const write = (record: ProbeRecord) => {
    if (fd === undefined) return;
    try {
      writeSync(fd, JSON.stringify(record) + '\n');
    } catch {
      // The report directory is gone (watch ended first) or the disk is full: stop writing.
      fd = undefined;
    }
  };
  write({ type: 'process', t: now(), pid: process.pid, ppid: process.ppid, argv: process.argv, cwd: process.cwd() });
  const sample = () => {
    const usage = process.memoryUsage();
    write({ type: 'sample', t: now(), rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external, arrayBuffers: usage.arrayBuffers });
  };
  sample();
  setInterval(sample, intervalMs).unref();

  trackClients({
    // Every client is recorded; none is "too many" here (watch reports them all, and the
    // default warning would write into the program's stderr).
    limit: Number.MAX_SAFE_INTEGER,
    onTooMany: () => undefined,
    stackDepth: 8,
    onClient: ({ type, client }) => {
      if (type === 'created') {
        write({ type: 'client', t: now(), id: client.id, library: client.library, clientType: client.type, key: client.key, owner: client.owner ?? null, stack: client.stack });
      } else {
        write({ type: 'client-end', t: now(), id: client.id, state: type === 'reopened' ? 'open' : type });
      }
    },
  });

  process.on('exit', (code) => {
    sample();
    write({ type: 'exit', t: now(), code });
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  });
}

try {
  start();
} catch {
  // See the module comment: the program runs on, unmeasured.
}
