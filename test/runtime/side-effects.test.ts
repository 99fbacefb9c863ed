import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Module from 'node:module';
import { build } from 'esbuild';
import { repoRoot } from '../helpers/paths.js';

// leakhound/runtime promises "no side effects at import": importing it must change nothing,
// and a bundler must be able to drop every part an app does not use.

const entry = join(repoRoot, 'dist/src/runtime/index.js');

async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    treeShaking: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

test('importing the runtime installs nothing: no listeners, no globals, no loader hooks', async () => {
  const compile = (Module.prototype as unknown as { _compile: unknown })._compile;
  const symbolsBefore = Object.getOwnPropertySymbols(globalThis).length;
  const listenersBefore = ['SIGTERM', 'SIGINT', 'beforeExit'].map((event) => process.listenerCount(event));
  const runtime = (await import(entry)) as Record<string, unknown>;
  assert.equal(typeof runtime.shared, 'function');
  assert.equal(Object.getOwnPropertySymbols(globalThis).length, symbolsBefore);
  assert.deepEqual(
    ['SIGTERM', 'SIGINT', 'beforeExit'].map((event) => process.listenerCount(event)),
    listenersBefore,
  );
  assert.equal((Module.prototype as unknown as { _compile: unknown })._compile, compile);
});

test('a bundle of the whole runtime with nothing used is empty', async () => {
  const output = await bundle(`import ${JSON.stringify(entry)};`);
  assert.equal(output.trim(), '', output.slice(0, 500));
});

test('a bundle that uses only shared() leaves out the tracker, the monitor, shutdown and metrics', async () => {
  const output = await bundle(`import { shared } from ${JSON.stringify(entry)}; export const db = shared('db', () => ({}));`);
  assert.match(output, /function shared\(/);
  for (const absent of ['_compile', 'FinalizationRegistry', 'memoryUsage', 'analyzeTrend', 'process.on(', 'process_resident_memory_bytes', 'getHeapStatistics']) {
    assert.equal(output.includes(absent), false, `${absent} is in a bundle that only uses shared()`);
  }
});

test('a bundle that uses only monitorMemory() has no client hooks or shutdown listeners', async () => {
  const output = await bundle(`import { monitorMemory } from ${JSON.stringify(entry)}; monitorMemory();`);
  assert.match(output, /memoryUsage/);
  for (const absent of ['_compile', 'getPrismaClient', 'process.on(', 'beforeExit']) {
    assert.equal(output.includes(absent), false, `${absent} is in a bundle that only uses monitorMemory()`);
  }
});
