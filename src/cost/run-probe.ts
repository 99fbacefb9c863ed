/**
 * One fresh probe process for `leakhound cost`: fork it with --expose-gc, hand it the request
 * over IPC, let the caller read the server's side while the probe holds its clients open,
 * release it, and wait for it to exit. A time limit covers the whole life of the process; a
 * crash, a hang or a failed scenario comes back as an outcome, never as a throw.
 */
import { forkProbe, lastMessageLine, probeScript } from '../core/probe-process.js';
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
    const { child, stderrTail } = forkProbe(probeScript(import.meta.url, 'cost-probe.js'), { cwd: request.projectDir, nodePath: options.nodePath });
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
      const detail = redactCredentials(lastMessageLine(stderrTail()));
      finish({ status: 'crashed', error: `the probe ${how}${detail ? `: ${detail}` : ''}` });
    });
    child.on('spawn', () => tell({ type: 'run', request }));
  });
}
