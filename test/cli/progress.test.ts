import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/cli/progress.js';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (chunk: string) => chunks.push(chunk) };
}

test('a live count on a terminal, cleared at the end', () => {
  const tty = stream(true);
  const progress = createProgress(tty);
  progress.update({ phase: 'read', done: 12000, total: 20000 });
  progress.update({ phase: 'read', done: 13000, total: 20000 }); // within 100 ms: skipped
  progress.update({ phase: 'read', done: 20000, total: 20000 }); // the last one always shows
  progress.done();
  assert.deepEqual(tty.chunks, [
    '\r\x1b[2Kreading 12,000/20,000 files…',
    '\r\x1b[2Kreading 20,000/20,000 files…',
    '\r\x1b[2K',
  ]);
});

test('nothing at all when piped', () => {
  const piped = stream(false);
  const progress = createProgress(piped);
  progress.update({ phase: 'read', done: 1, total: 2 });
  progress.done();
  assert.deepEqual(piped.chunks, []);
});
