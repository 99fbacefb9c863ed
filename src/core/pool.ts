/**
 * Judging and parsing on several threads. Reading files is bound by system calls that do not
 * get faster with more threads (measured: 20,000 files took the same time on one, two or four
 * threads), while judging (the byte checks of file-judge.ts) and parsing are CPU work that
 * does. So the main thread reads, and hands each batch of files to a worker as soon as one has
 * room; batches no worker could take wait, and when reading ends the main thread judges and
 * parses them alongside the workers. Each thread keeps the files it passed over, and later
 * rounds (words the binder learned) go to every thread at once.
 *
 * Small trees never start a worker: starting one (a thread, a module graph, the parser's native
 * binding) costs about as much as parsing a few dozen files.
 */
import { Worker } from 'node:worker_threads';
import { analyseCandidates, type AnalysisResult } from './analyse.js';
import { FileJudge, type JudgeSettings, type SourceEntry } from './file-judge.js';
import type { WorkerReply, WorkerRequest } from './scan-worker.js';

/** Batches a worker may hold at once, so that one is always ready when it finishes the other. */
const MAX_IN_FLIGHT = 2;

interface PooledWorker {
  worker: Worker;
  inFlight: number;
}

interface Batch {
  entries: SourceEntry[];
  words: string[];
}

export class AnalysisPool {
  private readonly queue: Batch[] = [];
  private readonly workers: PooledWorker[] = [];
  private readonly judge: FileJudge;
  private result: AnalysisResult = emptyResult();
  private failure: Error | null = null;
  private idleWaiters: (() => void)[] = [];

  /** @param workerCount worker threads to use (0: everything on the calling thread). */
  constructor(
    private readonly workerCount: number,
    private readonly settings: JudgeSettings,
  ) {
    this.judge = new FileJudge(settings);
  }

  get threadsUsed(): number {
    return 1 + this.workers.length;
  }

  /** Whether batches may go to other threads (then their bytes should be in shared memory). */
  get usesWorkers(): boolean {
    return this.workerCount > 0;
  }

  /** Starts the workers ahead of time, so that their start-up overlaps discovery and reading. */
  warmUp(): void {
    while (this.workers.length < this.workerCount) this.startWorker();
  }

  /** Queues freshly read files, to be judged with `words` (first round). */
  submit(entries: SourceEntry[], words: readonly string[]): void {
    this.queue.push({ entries, words: [...words] });
    this.dispatch();
  }

  /**
   * Judges and analyses everything still queued, on this thread and the workers together, and
   * returns all results since the last call.
   */
  async drain(): Promise<AnalysisResult> {
    await this.workThroughQueue();
    return this.collect();
  }

  /** A later round: every thread judges the files it passed over with `words`. */
  async round(words: readonly string[]): Promise<AnalysisResult> {
    // Files still queued must be judged with their first-round words before this round.
    await this.workThroughQueue();
    if (!this.failure) for (const pooled of this.workers) this.send(pooled, { type: 'round', words: [...words] });
    const { candidates, namedLater } = this.judge.judgePending(words);
    this.analyseHere(candidates);
    this.result.namedLater.push(...namedLater);
    return this.collect();
  }

  /** Frees the bytes every thread kept for later rounds, and the workers. */
  async close(): Promise<void> {
    this.judge.finish();
    await Promise.all(this.workers.map((pooled) => pooled.worker.terminate()));
    this.workers.length = 0;
  }

  private async workThroughQueue(): Promise<void> {
    this.dispatch();
    while (this.queue.length > 0) {
      const batch = this.queue.shift()!;
      this.analyseHere(this.judge.judgeNew(batch.entries, batch.words));
      // Let finished workers report and take the next batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.throwIfFailed();
    }
  }

  private analyseHere(candidates: Parameters<typeof analyseCandidates>[0]): void {
    const result = analyseCandidates(candidates);
    result.warnings.unshift(...this.judge.takeWarnings());
    merge(this.result, result);
  }

  private async collect(): Promise<AnalysisResult> {
    await this.workersIdle();
    this.throwIfFailed();
    const done = this.result;
    this.result = emptyResult();
    return done;
  }

  private dispatch(): void {
    if (this.workerCount === 0 || this.failure) return;
    while (this.queue.length > 0) {
      const pooled = this.availableWorker();
      if (!pooled) return;
      const batch = this.queue.shift()!;
      this.send(pooled, { type: 'judge', entries: batch.entries, words: batch.words });
    }
  }

  private availableWorker(): PooledWorker | null {
    if (this.workers.length < this.workerCount) return this.startWorker();
    const free = this.workers.filter((w) => w.inFlight < MAX_IN_FLIGHT).sort((a, b) => a.inFlight - b.inFlight)[0];
    return free ?? null;
  }

  private startWorker(): PooledWorker {
    const pooled: PooledWorker = { worker: new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: this.settings }), inFlight: 0 };
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

  private send(pooled: PooledWorker, request: WorkerRequest): void {
    pooled.inFlight++;
    pooled.worker.postMessage(request);
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
  return { facts: [], warnings: [], parsed: 0, generated: 0, forRulesOnly: [], namedLater: [] };
}

function merge(into: AnalysisResult, from: AnalysisResult): void {
  into.facts.push(...from.facts);
  into.warnings.push(...from.warnings);
  into.parsed += from.parsed;
  into.generated += from.generated;
  into.forRulesOnly.push(...from.forRulesOnly);
  into.namedLater.push(...from.namedLater);
}
