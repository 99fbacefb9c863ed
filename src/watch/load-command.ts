/**
 * The traffic that drives the program while it is watched: a command the user supplies
 * (`autocannon -d 20 http://localhost:3000/users`, a curl loop), started once the program is
 * ready. Its output goes to a log file, not the terminal, where it would bury the program's;
 * it runs with the user's environment as it was, without the watch preload, so that a Node
 * load generator is not measured as part of the program.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface LoadRun {
  /** Resolves with the exit code (null when killed) once the command has finished. */
  finished: Promise<number | null>;
  stop(): void;
}

export function startLoad(command: string, env: NodeJS.ProcessEnv, cwd: string, logFile: string): LoadRun {
  const log = openSync(logFile, 'a');
  const child = spawn(command, { shell: true, stdio: ['ignore', log, log], env, cwd, detached: process.platform !== 'win32' });
  closeSync(log);
  const finished = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('exit', (code) => resolve(code));
  });
  return {
    finished,
    stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        // Its own process group (detached): `sh -c 'while …; do curl …; done'` stops as a whole.
        process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    },
  };
}

/**
 * Waits until `target` answers: a URL (any HTTP response counts, even 500) or `host:port` /
 * a port number (a TCP connection is accepted). Rejects after `timeoutMs`, or early when
 * `gaveUp` resolves (the program exited before it was ready).
 */
export async function waitUntilReady(target: string, timeoutMs: number, gaveUp: Promise<unknown>): Promise<void> {
  let stopped = false;
  void gaveUp.then(() => {
    stopped = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!stopped) {
    if (await answers(target)) return;
    if (Date.now() > deadline) throw new Error(`${target} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the program exited before ${target} answered`);
}

function answers(target: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (/^https?:\/\//i.test(target)) {
      const request = /^https:/i.test(target) ? httpsRequest : httpRequest;
      // A readiness probe of the user's own server: a self-signed certificate still means "up".
      const req = request(target, { method: 'GET', timeout: 2000, rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
      return;
    }
    const match = /^(?:(.*):)?(\d+)$/.exec(target)!;
    const socket = connect({ host: match[1] || '127.0.0.1', port: Number(match[2]) });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
