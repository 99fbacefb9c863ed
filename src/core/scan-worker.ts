/**
 * Worker-thread side of the analysis pool: judges the files it is sent (keeping those it passes
 * over for later rounds) and parses and analyses the ones worth it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseCandidates, type AnalysisResult } from './analyse.js';
import { FileJudge, type JudgeSettings, type SourceEntry } from './file-judge.js';

export type WorkerRequest =
  /** Freshly read files, first round. Their bytes are views of shared memory. */
  | { type: 'judge'; entries: SourceEntry[]; words: string[] }
  /** A later round: the files passed over so far, with new words. */
  | { type: 'round'; words: string[] };
export type WorkerReply = { type: 'result'; result: AnalysisResult } | { type: 'error'; message: string; stack?: string };

const port = parentPort!;
const judge = new FileJudge(workerData as JudgeSettings);

port.on('message', (request: WorkerRequest) => {
  try {
    const { candidates, namedLater } =
      request.type === 'judge'
        ? // A Buffer arrives as a plain Uint8Array (over the same shared memory).
          { candidates: judge.judgeNew(request.entries.map(({ file, bytes }) => ({ file, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })), request.words), namedLater: [] }
        : judge.judgePending(request.words);
    const result = analyseCandidates(candidates);
    result.warnings.unshift(...judge.takeWarnings());
    result.namedLater.push(...namedLater);
    port.postMessage({ type: 'result', result } satisfies WorkerReply);
  } catch (error) {
    const err = error as Error;
    port.postMessage({ type: 'error', message: err.message, stack: err.stack } satisfies WorkerReply);
  }
});
