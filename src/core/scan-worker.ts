/** Worker-thread side of the analysis pool: parses and analyses the candidates it is sent. */
import { parentPort } from 'node:worker_threads';
import { analyseCandidates, type AnalysisResult } from './analyse.js';
import type { Candidate } from './source-reader.js';

export type WorkerRequest = { type: 'analyse'; candidates: Candidate[] };
export type WorkerReply = { type: 'result'; result: AnalysisResult } | { type: 'error'; message: string; stack?: string };

const port = parentPort!;

port.on('message', (request: WorkerRequest) => {
  try {
    port.postMessage({ type: 'result', result: analyseCandidates(request.candidates) } satisfies WorkerReply);
  } catch (error) {
    const err = error as Error;
    port.postMessage({ type: 'error', message: err.message, stack: err.stack } satisfies WorkerReply);
  }
});
