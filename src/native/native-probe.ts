/**
 * Runs in a fresh child process (started with --expose-gc) to measure what loading one
 * package costs: memory before and after `require`/`import` with full GCs around it, and the
 * shared objects the load mapped. Reports over IPC only, so whatever the package prints does
 * not matter; exits as soon as it has reported, so timers or sockets the package opens do
 * not keep it alive. Self-contained: it is bundled on its own.
 */
import { createRequire } from 'node:module';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ProbeRequest {
  /** The name to require (`@scope/name`), resolved from `resolveFrom`. */
  name: string;
  /** A folder whose node_modules holds the package (its container's parent). */
  resolveFrom: string;
  /** The package's real folder, for the ESM fallback. */
  dir: string;
  /** `.node` files for this platform to load directly if the entry did not map them. */
  binaries: string[];
}

export interface ProbeResult {
  ok: boolean;
  loadedWith: 'require' | 'import' | 'binary' | null;
  error: string | null;
  loadMs: number | null;
  before: NodeJS.MemoryUsage;
  after: NodeJS.MemoryUsage;
  sharedObjects: { path: string; bytes: number | null }[];
}

const gc = (globalThis as { gc?: () => void }).gc;

function collect(): void {
  // Twice: the first pass may only queue finalizers that free what the second collects.
  gc?.();
  gc?.();
}

function sharedObjects(): Set<string> {
  const report = process.report?.getReport() as { sharedObjects?: string[] } | undefined;
  return new Set(report?.sharedObjects ?? []);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${(error as NodeJS.ErrnoException).code ? `${(error as NodeJS.ErrnoException).code}: ` : ''}${error.message.split('\n')[0]}`;
  return String(error);
}

/** The ESM entry of a package: exports' `.` under node/import/default, then `module`, then `main`. */
function esmEntry(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: unknown; module?: unknown; main?: unknown };
  const pick = (value: unknown): string | null => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = pick(item);
        if (found) return found;
      }
      return null;
    }
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if ('.' in record) return pick(record['.']);
      for (const condition of ['node', 'import', 'default']) if (condition in record) return pick(record[condition]);
    }
    return null;
  };
  const target = pick(manifest.exports) ?? (typeof manifest.module === 'string' ? manifest.module : null) ?? (typeof manifest.main === 'string' ? manifest.main : 'index.js');
  return pathToFileURL(join(dir, target)).href;
}

async function probe(request: ProbeRequest): Promise<ProbeResult> {
  const mappedBefore = sharedObjects();
  collect();
  const before = process.memoryUsage();
  let loadedWith: ProbeResult['loadedWith'] = null;
  let error: string | null = null;
  const started = performance.now();
  try {
    createRequire(join(request.resolveFrom, 'leakhound-probe.cjs'))(request.name);
    loadedWith = 'require';
  } catch (requireError) {
    const code = (requireError as NodeJS.ErrnoException).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
      try {
        await import(esmEntry(request.dir));
        loadedWith = 'import';
      } catch (importError) {
        error = describe(importError);
      }
    } else {
      error = describe(requireError);
    }
  }
  const loadMs = performance.now() - started;
  // Binaries the entry loads lazily (or could not load) are loaded directly: their mapping is
  // the native cost the application pays once it uses the package.
  const mapped = sharedObjects();
  const binaryRequire = createRequire(join(request.dir, 'package.json'));
  for (const binary of request.binaries) {
    let real = binary;
    try {
      real = realpathSync(binary);
    } catch {
      continue;
    }
    if (mapped.has(real) || mapped.has(binary)) continue;
    try {
      binaryRequire(binary);
      loadedWith ??= 'binary';
    } catch (binaryError) {
      error ??= `${binary}: ${describe(binaryError)}`;
    }
  }
  // Let initialisation scheduled for the next turn (native threads, lazy pools) happen.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const mappedAfter = sharedObjects();
  collect();
  const after = process.memoryUsage();
  const added = [...mappedAfter].filter((path) => !mappedBefore.has(path));
  return {
    ok: loadedWith !== null,
    loadedWith,
    error,
    loadMs: loadedWith === null ? null : loadMs,
    before,
    after,
    sharedObjects: added.map((path) => {
      let bytes: number | null = null;
      try {
        bytes = statSync(path).size;
      } catch {
        // Mapped from memory or deleted since: the size stays unknown.
      }
      return { path, bytes };
    }),
  };
}

const request = JSON.parse(process.argv[2] ?? '{}') as ProbeRequest;
probe(request).then(
  (result) => process.send?.(result, () => process.exit(0)),
  (error: unknown) => process.send?.({ fatal: describe(error) }, () => process.exit(0)),
);
