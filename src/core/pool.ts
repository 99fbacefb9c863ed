/**
 * Parsing on several threads. Reading files is bound by system calls that do not get faster
 * with more threads (measured: 20,000 files took the same time on one, two or four threads),
 * while parsing is CPU work that does. The workers start when the main thread begins reading
 * (their start-up overlaps it); candidates are queued during reading and parsed when it
 * ends, by the main thread and the workers together. Feeding workers during reading was
 * measured too: the two slowed each other down on a 2-core machine.
 *
 * Small trees never start a worker: starting one (a thread, a module graph, the parser's native
 * binding) costs about as much as parsing a few dozen files.
 */
import { Worker } from 'node:worker_threads';
import { analyseCandidates, type AnalysisResult } from './analyse.js';
import type { Candidate } from './source-reader.js';
import type { WorkerReply, WorkerRequest } from './scan-worker.js';

/** Files per message: enough to amortise the round trip, few enough to balance the load. */
const BATCH_FILES = 16;
/** Batches a worker may hold at once, so that one is always ready when it finishes the other. */
const MAX_IN_FLIGHT = 2;

interface PooledWorker {
  worker: Worker;
  inFlight: number;
}

export class AnalysisPool {
  private readonly queue: Candidate[] = [];
  private readonly workers: PooledWorker[] = [];
  private result: AnalysisResult = emptyResult();
  private failure: Error | null = null;
  private idleWaiters: (() => void)[] = [];

  /** @param workerCount worker threads to use (0: parse everything on the calling thread). */
  constructor(private readonly workerCount: number) {}

  get threadsUsed(): number {
    return 1 + this.workers.length;
  }

  /** Queues a file for analysis. */
  submit(candidate: Candidate): void {
    this.queue.push(candidate);
  }

  /** Starts the workers ahead of time, so that their start-up overlaps the reading. */
  warmUp(): void {
    while (this.workers.length < this.workerCount) this.startWorker();
  }

  /**
   * Analyses everything still queued, on this thread and the workers together, and returns all
   * results since the last call.
   */
  async drain(): Promise<AnalysisResult> {
    this.dispatch();
    while (this.queue.length > 0) {
      merge(this.result, analyseCandidates(this.queue.splice(0, BATCH_FILES)));
      // Let finished workers report and take the next batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.throwIfFailed();
    }
    await this.workersIdle();
    this.throwIfFailed();
    const done = this.result;
    this.result = emptyResult();
    return done;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((pooled) => pooled.worker.terminate()));
    this.workers.length = 0;
  }

  private dispatch(): void {
    if (this.workerCount === 0 || this.failure) return;
    while (this.queue.length >= BATCH_FILES || (this.queue.length > 0 && this.workers.some((w) => w.inFlight === 0))) {
      const pooled = this.availableWorker();
      if (!pooled) return;
      this.send(pooled, this.queue.splice(0, BATCH_FILES));
    }
  }

  private availableWorker(): PooledWorker | null {
    const free = this.workers.filter((w) => w.inFlight < MAX_IN_FLIGHT).sort((a, b) => a.inFlight - b.inFlight)[0];
    if (free && free.inFlight === 0) return free;
    if (this.workers.length < this.workerCount) return this.startWorker();
    return free ?? null;
  }

  private startWorker(): PooledWorker {
    const pooled: PooledWorker = { worker: new Worker(new URL('./scan-worker.js', import.meta.url)), inFlight: 0 };
    pooled.worker.on('message', (reply: WorkerReply) => {
      pooled.inFlight--;
      if (reply.type === 'result') merge(this.result, reply.result);
      else this.fail(Object.assign(new Error(reply.message), { stack: reply.stack }));
      this.dispatch();
      this.notifyIfIdle();
    });
    pooled.worker.on('error', (error) => this.fail(error));
    this.workers.push(pooled);
    return pooled;
  }

  private send(pooled: PooledWorker, candidates: Candidate[]): void {
    pooled.inFlight++;
    pooled.worker.postMessage({ type: 'analyse', candidates } satisfies WorkerRequest);
  }

  private workersIdle(): Promise<void> {
    if (this.failure || this.workers.every((w) => w.inFlight === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIfIdle(): void {
    if (this.failure || this.workers.every((w) => w.inFlight === 0)) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notifyIfIdle();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

function emptyResult(): AnalysisResult {
  return { facts: [], warnings: [], parsed: 0, generated: 0 };
}

function merge(into: AnalysisResult, from: AnalysisResult): void {
  into.facts.push(...from.facts);
  into.warnings.push(...from.warnings);
  into.parsed += from.parsed;
  into.generated += from.generated;
}
