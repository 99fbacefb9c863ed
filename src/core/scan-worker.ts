/** Worker-thread side of the scan pool: one FileScanner over this worker's share of files. */
import { parentPort, workerData } from 'node:worker_threads';
import { FileScanner, type ScannerOptions } from './file-scanner.js';

export type WorkerRequest = { type: 'round'; words: string[] } | { type: 'finish' };
export type WorkerReply =
  | { type: 'progress'; filesRead: number }
  | { type: 'result'; result: ReturnType<FileScanner['round']> }
  | { type: 'error'; message: string; stack?: string };

const scanner = new FileScanner(workerData as ScannerOptions);
const port = parentPort!;

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'finish') {
    scanner.finish();
    port.close();
    return;
  }
  try {
    const result = scanner.round(request.words, (filesRead) => port.postMessage({ type: 'progress', filesRead } satisfies WorkerReply));
    port.postMessage({ type: 'result', result } satisfies WorkerReply);
  } catch (error) {
    const err = error as Error;
    port.postMessage({ type: 'error', message: err.message, stack: err.stack } satisfies WorkerReply);
  }
});
