/**
 * Runs a compiled child script from test/runtime/children and collects what it printed, how
 * it ended and how long it took. Signals can be sent once a given line appears.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildResult {
  lines: string[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the first signal sent (or from the start) to the exit, in ms. */
  elapsedMs: number;
}

export interface ChildOptions {
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** Signals to send, each when the given line has been printed (in order). */
  signals?: { when: string | RegExp; signal: NodeJS.Signals }[];
  /** Kill the child (and fail) after this long. Default 30 s: CI machines can be slow. */
  timeoutMs?: number;
}

export function childScript(name: string): string {
  return fileURLToPath(new URL(`./children/${name}.js`, import.meta.url));
}

export function runChild(name: string, options: ChildOptions = {}): Promise<ChildResult> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), childScript(name)], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let buffered = '';
  let started = performance.now();
  let sent = 0;
  const pendingSignals = [...(options.signals ?? [])];
  const matches = (line: string, when: string | RegExp) => (typeof when === 'string' ? line === when : when.test(line));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      lines.push(line);
      const next = pendingSignals[0];
      if (next && matches(line, next.when)) {
        pendingSignals.shift();
        if (sent++ === 0) started = performance.now();
        child.kill(next.signal);
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ${name} did not exit within ${options.timeoutMs ?? 30_000} ms\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (buffered) lines.push(buffered);
      resolve({ lines, stderr, code, signal, elapsedMs: performance.now() - started });
    });
  });
}
