/**
 * Spreads parsing over worker threads when there is enough of it. Parsing scales with cores;
 * starting a worker (a thread, a module graph, the parser's native binding) costs about as
 * much as parsing a couple of megabytes, so smaller batches stay on the main thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { analyseCandidates, type AnalysisResult } from './analyse.js';
import type { Candidate } from './source-reader.js';
import type { WorkerReply, WorkerRequest } from './scan-worker.js';

/** Source text per extra thread below which one thread finishes first. */
const BYTES_PER_THREAD = 2 * 1024 * 1024;

export interface AnalysisPool {
  analyse(candidates: readonly Candidate[]): Promise<AnalysisResult>;
  close(): Promise<void>;
  /** Threads used so far (1 when everything ran on the main thread). */
  readonly threadsUsed: number;
}

export function createAnalysisPool(maxThreads = availableParallelism()): AnalysisPool {
  return new Pool(Math.max(1, maxThreads));
}

class Pool implements AnalysisPool {
  private workers: Worker[] = [];

  constructor(private readonly maxThreads: number) {}

  get threadsUsed(): number {
    return Math.max(1, this.workers.length);
  }

  async analyse(candidates: readonly Candidate[]): Promise<AnalysisResult> {
    const bytes = candidates.reduce((sum, c) => sum + c.text.length, 0);
    const threads = Math.min(this.maxThreads, Math.floor(bytes / BYTES_PER_THREAD));
    if (threads <= 1) return analyseCandidates(candidates);
    while (this.workers.length < threads) {
      this.workers.push(new Worker(new URL('./scan-worker.js', import.meta.url)));
    }
    const shares = splitByBytes(candidates, threads);
    const results = await Promise.all(shares.map((share, index) => this.runOn(this.workers[index]!, share)));
    return {
      facts: results.flatMap((r) => r.facts),
      warnings: results.flatMap((r) => r.warnings),
      parsed: results.reduce((sum, r) => sum + r.parsed, 0),
      generated: results.reduce((sum, r) => sum + r.generated, 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers = [];
  }

  private runOn(worker: Worker, candidates: Candidate[]): Promise<AnalysisResult> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        worker.off('error', onError);
        if (reply.type === 'result') resolve(reply.result);
        else reject(Object.assign(new Error(reply.message), { stack: reply.stack }));
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(error);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ type: 'analyse', candidates } satisfies WorkerRequest);
    });
  }
}

/** Greedy split into shares of about equal source size (largest files first). */
function splitByBytes(candidates: readonly Candidate[], count: number): Candidate[][] {
  const shares = Array.from({ length: count }, () => ({ bytes: 0, items: [] as Candidate[] }));
  for (const candidate of [...candidates].sort((a, b) => b.text.length - a.text.length)) {
    const smallest = shares.reduce((min, share) => (share.bytes < min.bytes ? share : min));
    smallest.items.push(candidate);
    smallest.bytes += candidate.text.length;
  }
  return shares.map((share) => share.items);
}
