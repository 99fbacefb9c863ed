/**
 * Spreads reading and analysis over worker threads. Reading thousands of small files is bound
 * by system calls, which run in parallel across cores; below a few thousand files the cost of
 * starting workers outweighs the gain and everything stays on the main thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FileScanner, type ProgressCallback, type RoundResult, type ScannerOptions } from './file-scanner.js';
import type { WorkerReply, WorkerRequest } from './scan-worker.js';

/** Below this many files per extra thread, one thread is faster. */
const FILES_PER_THREAD = 2500;

export interface PoolOptions extends ScannerOptions {
  /** Upper bound on threads; default: the machine's available parallelism. */
  threads?: number;
}

export interface ScanPool {
  round(words: readonly string[], onProgress?: ProgressCallback): Promise<RoundResult>;
  close(): Promise<void>;
  readonly threads: number;
}

export function createScanPool(options: PoolOptions): ScanPool {
  const maxThreads = Math.max(1, options.threads ?? availableParallelism());
  const threads = Math.min(maxThreads, Math.max(1, Math.floor(options.files.length / FILES_PER_THREAD)));
  return threads <= 1 ? new InThreadPool(options) : new WorkerPool(options, threads);
}

class InThreadPool implements ScanPool {
  readonly threads = 1;
  private readonly scanner: FileScanner;

  constructor(options: ScannerOptions) {
    this.scanner = new FileScanner(options);
  }

  async round(words: readonly string[], onProgress?: ProgressCallback): Promise<RoundResult> {
    return this.scanner.round(words, onProgress);
  }

  async close(): Promise<void> {
    this.scanner.finish();
  }
}

class WorkerPool implements ScanPool {
  private readonly workers: Worker[] = [];

  constructor(
    options: ScannerOptions,
    readonly threads: number,
  ) {
    // Interleaving spreads big and small directories evenly over the shares.
    const shares: string[][] = Array.from({ length: threads }, () => []);
    options.files.forEach((file, index) => shares[index % threads]!.push(file));
    for (const files of shares) {
      this.workers.push(new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: { ...options, files } }));
    }
  }

  async round(words: readonly string[], onProgress?: ProgressCallback): Promise<RoundResult> {
    const readCounts = new Array<number>(this.workers.length).fill(0);
    const results = await Promise.all(
      this.workers.map(
        (worker, index) =>
          new Promise<RoundResult>((resolve, reject) => {
            const onMessage = (reply: WorkerReply) => {
              if (reply.type === 'progress') {
                readCounts[index] = reply.filesRead;
                onProgress?.(readCounts.reduce((a, b) => a + b, 0));
                return;
              }
              worker.off('message', onMessage);
              worker.off('error', onError);
              if (reply.type === 'result') resolve(reply.result);
              else reject(Object.assign(new Error(reply.message), { stack: reply.stack }));
            };
            const onError = (error: Error) => {
              worker.off('message', onMessage);
              reject(error);
            };
            worker.on('message', onMessage);
            worker.once('error', onError);
            worker.postMessage({ type: 'round', words: [...words] } satisfies WorkerRequest);
          }),
      ),
    );
    return {
      facts: results.flatMap((r) => r.facts),
      warnings: results.flatMap((r) => r.warnings),
      parsed: results.reduce((sum, r) => sum + r.parsed, 0),
      generated: results.reduce((sum, r) => sum + r.generated, 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.postMessage({ type: 'finish' } satisfies WorkerRequest);
          }),
      ),
    );
  }
}
