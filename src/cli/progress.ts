/**
 * A live count on a terminal, nothing at all otherwise: progress goes to stderr only when it
 * is a TTY, and is rewritten in place at most ten times a second.
 */
import type { ScanProgress } from '../core/scan.js';

export interface ProgressSink {
  update(progress: ScanProgress): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream | { isTTY?: boolean; write(chunk: string): unknown }): ProgressSink {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(progress) {
      const now = Date.now();
      if (now - last < 100 && progress.done !== progress.total) return;
      last = now;
      const text =
        progress.phase === 'discover'
          ? 'listing files…'
          : progress.phase === 'read'
            ? `reading ${progress.done.toLocaleString('en-US')}/${progress.total.toLocaleString('en-US')} files…`
            : `resolving imports in ${progress.total.toLocaleString('en-US')} files…`;
      stream.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
