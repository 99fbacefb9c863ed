/**
 * The measuring probes (`native --measure`, `cost`) are scripts next to the module that forks
 * them, run in a fresh Node process with --expose-gc that reports over IPC only: whatever the
 * code under measure prints to stdout is dropped, the end of its stderr is kept to explain a
 * crash.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How much of a crashing probe's stderr to keep. */
const STDERR_TAIL = 2000;

export interface ProbeProcess {
  child: ChildProcess;
  /** The last part of what the probe wrote to stderr so far. */
  stderrTail(): string;
}

/** The probe script `name` next to the module at `moduleUrl` (dist/src/… or, bundled, dist/bundle). */
export function probeScript(moduleUrl: string, name: string): string {
  const path = join(dirname(fileURLToPath(moduleUrl)), name);
  if (!existsSync(path)) throw new Error(`the measuring probe is missing: ${path} (run npm run build)`);
  return path;
}

export function forkProbe(script: string, options: { cwd: string; args?: string[]; nodePath?: string }): ProbeProcess {
  const child = fork(script, options.args ?? [], {
    cwd: options.cwd,
    execPath: options.nodePath ?? process.execPath,
    // Only what the probe needs: no inspector, loaders or heap limits inherited from leakhound's own NODE_OPTIONS.
    execArgv: ['--expose-gc'],
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  return { child, stderrTail: () => stderr };
}

/** The last line of stderr that is a message, not a JavaScript or native stack frame. */
export function lastMessageLine(text: string): string {
  const frame = /^\s+at |^\s*\d+: |^\s*-{3,}|^\s*$/;
  const lines = text.trim().split('\n').filter((line) => !frame.test(line));
  return lines[lines.length - 1]?.trim() ?? '';
}
