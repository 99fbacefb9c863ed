/**
 * Runs the user's command as transparently as a shell would: stdin, stdout and stderr are the
 * terminal's own (inherited, never piped through us), signals sent to leakhound are passed on
 * (as npm does for `npm run`), and the exit status comes back as it was.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ProgramExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProgram {
  pid: number | undefined;
  /** Resolves when the command has exited. */
  exited: Promise<ProgramExit>;
  /** Whether a signal from outside (Ctrl-C, `kill`) reached leakhound while it ran. */
  readonly interrupted: boolean;
  /**
   * Asks the command to stop: SIGTERM to it and to `alsoSignal` (the Node processes the
   * preload reported, so that `npm start` or `sh -c` cannot leave the server running), then
   * SIGKILL after `graceMs`.
   */
  stop(graceMs: number, alsoSignal?: () => number[]): Promise<ProgramExit>;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** Thrown when the command cannot be started at all (not found, not executable). */
export class ProgramNotStarted extends Error {}

export async function spawnProgram(command: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<RunningProgram> {
  // One argument with spaces is a shell command line (`leakhound watch -- "npm run dev"`).
  const useShell = command.length === 1 && /\s/.test(command[0]!);
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env, cwd, shell: useShell });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ENOENT' ? ' (not found: is it installed and on PATH?)' : error.code === 'EACCES' ? ' (not executable)' : '';
      reject(new ProgramNotStarted(`cannot start \`${command.join(' ')}\`: ${error.message}${hint}`));
    });
  });
  let interrupted = false;
  const forward = (signal: NodeJS.Signals) => {
    interrupted = true;
    // A terminal's Ctrl-C reaches the whole foreground group, the program included; a
    // second SIGINT is harmless to Node programs, and `kill` aimed at leakhound alone needs it.
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  const exited = new Promise<ProgramExit>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const name of FORWARDED) process.off(name, forward);
      resolve({ code, signal });
    });
  });
  return {
    pid: child.pid,
    exited,
    get interrupted() {
      return interrupted;
    },
    async stop(graceMs, alsoSignal) {
      const send = (signal: NodeJS.Signals) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        for (const pid of alsoSignal?.() ?? []) {
          try {
            process.kill(pid, signal);
          } catch {
            // Already gone.
          }
        }
      };
      send('SIGTERM');
      const timer = setTimeout(() => send('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
