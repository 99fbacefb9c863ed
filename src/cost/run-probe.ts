/**
 * One fresh probe process for `leakhound cost`: fork it with --expose-gc, hand it the request
 * over IPC, let the caller read the server's side while the probe holds its clients open,
 * release it, and wait for it to exit. A time limit covers the whole life of the process; a
 * crash, a hang or a failed scenario comes back as an outcome, never as a throw.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactCredentials } from '../core/redact.js';
import type { CostParentMessage, CostProbeMessage, CostProbeRequest, LibraryInfo } from './cost-probe.js';

export interface ProbeRunOptions {
  timeoutMs: number;
  /** The Node binary to measure with. Default: the one running leakhound. */
  nodePath?: string;
}

export type ProbeFailure = { status: 'crashed' | 'timeout' | 'failed'; error: string; hint?: string };

export type InspectOutcome = { info: LibraryInfo } | ProbeFailure;
export type SampleOutcome<T> = { memory: NodeJS.MemoryUsage; setupMs: number; server: T } | ProbeFailure;
type ProbeOutcome<T> = { info: LibraryInfo } | SampleOutcome<T>;

/** How much of a crashing probe's stderr to keep. */
const STDERR_TAIL = 2000;

/** Loads the library in a probe and returns what it is (no database connection). */
export async function inspectLibrary(request: Omit<CostProbeRequest, 'mode' | 'n' | 'url'>, options: ProbeRunOptions): Promise<InspectOutcome> {
  const outcome = await runProbe({ ...request, mode: 'inspect', n: 0, url: '' }, options, async () => undefined);
  return 'memory' in outcome ? { status: 'failed', error: 'the probe measured instead of describing the library' } : outcome;
}

/**
 * Runs one scenario; once the probe is ready (clients created, queried, GCs done), calls
 * `readServer` while the connections are still open, then releases the probe.
 */
export async function sampleProbe<T>(request: CostProbeRequest, options: ProbeRunOptions, readServer: () => Promise<T>): Promise<SampleOutcome<T>> {
  const outcome = await runProbe(request, options, readServer);
  return 'info' in outcome ? { status: 'failed', error: 'the probe described the library instead of measuring' } : outcome;
}

function runProbe<T>(request: CostProbeRequest, options: ProbeRunOptions, readServer: () => Promise<T>): Promise<ProbeOutcome<T>> {
  return new Promise((resolvePromise) => {
    const child = fork(probePath(), [], {
      cwd: request.projectDir,
      execPath: options.nodePath ?? process.execPath,
      // Only what the probe needs: no inspector, loaders or heap limits from leakhound's own NODE_OPTIONS.
      execArgv: ['--expose-gc'],
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let stderr = '';
    let settled = false;
    let outcome: ProbeOutcome<T> | null = null;
    const finish = (final: ProbeOutcome<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(final);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ status: 'timeout', error: `no result after ${options.timeoutMs / 1000} s (killed)` });
    }, options.timeoutMs);
    const tell = (message: CostParentMessage) => {
      if (child.connected) child.send(message);
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on('message', (message: CostProbeMessage) => {
      if (message.type === 'inspected') outcome = { info: message.info };
      else if (message.type === 'fatal') outcome = { status: 'failed', error: redactCredentials(message.error), ...(message.hint ? { hint: message.hint } : {}) };
      else {
        const { memory, setupMs } = message;
        readServer().then(
          (server) => {
            outcome = { memory, setupMs, server };
            tell({ type: 'release' });
          },
          (error: unknown) => {
            outcome = { status: 'failed', error: `reading the server's side failed: ${redactCredentials((error as Error).message)}` };
            tell({ type: 'release' });
          },
        );
      }
    });
    child.on('error', (error) => finish({ status: 'crashed', error: redactCredentials(error.message) }));
    child.on('exit', (code, signal) => {
      if (outcome) return finish(outcome);
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const detail = redactCredentials(lastLine(stderr));
      finish({ status: 'crashed', error: `the probe ${how}${detail ? `: ${detail}` : ''}` });
    });
    child.on('spawn', () => tell({ type: 'run', request }));
  });
}

/** The probe script next to this module (dist/src/cost or, bundled, dist/bundle). */
function probePath(): string {
  const path = join(dirname(fileURLToPath(import.meta.url)), 'cost-probe.js');
  if (!existsSync(path)) throw new Error(`the measuring probe is missing: ${path} (run npm run build)`);
  return path;
}

/** The last line of stderr that is a message, not a JavaScript or native stack frame. */
function lastLine(text: string): string {
  const frame = /^\s+at |^\s*\d+: |^\s*-{3,}|^\s*$/;
  const lines = text.trim().split('\n').filter((line) => !frame.test(line));
  return lines[lines.length - 1]?.trim() ?? '';
}
