/**
 * `leakhound native --measure`: load each addon in its own fresh Node process and report what
 * it costs — RSS, heap, external and ArrayBuffer deltas after a full GC, and the shared
 * objects it mapped. Loading runs the package's code, so this is opt-in, every run has a time
 * limit, and a package that throws, crashes or hangs is reported as such while the rest go on.
 */
import { basename, dirname, join, relative, sep } from 'node:path';
import { forkProbe, lastMessageLine, probeScript } from '../core/probe-process.js';
import type { InstalledPackage } from './package-tree.js';
import type { ProbeRequest, ProbeResult } from './native-probe.js';
import type { NativeAddon, NativeMeasurement, NativeWarning } from './types.js';

export interface MeasureOptions {
  /** Fresh processes per package; figures are medians. Default 3. */
  runs?: number;
  /** Time limit of one run in milliseconds. Default 10,000. */
  timeoutMs?: number;
  /** Measure addons reached only through devDependencies (and unreached ones) too. Default false. */
  includeDev?: boolean;
  /** The Node binary to measure with. Default: the one running leakhound. */
  nodePath?: string;
  onProgress?: (done: number, total: number, name: string) => void;
}

/** Measures the addons worth measuring in place (`addon.measured`); returns warnings. */
export async function measureAddons(
  root: string,
  addons: NativeAddon[],
  packages: Map<string, InstalledPackage>,
  options: MeasureOptions,
): Promise<NativeWarning[]> {
  const warnings: NativeWarning[] = [];
  const byPath = new Map([...packages.values()].map((installed) => [relative(root, installed.dir).split(sep).join('/'), installed]));
  const targets = addons.filter((addon) => addon.production || options.includeDev);
  const probe = probeScript(import.meta.url, 'native-probe.js');
  let done = 0;
  for (const addon of targets) {
    options.onProgress?.(done, targets.length, addon.name);
    const installed = byPath.get(addon.path);
    if (!installed) continue;
    addon.measured = await measureOne(probe, root, addon, installed, options);
    if (addon.measured.status !== 'loaded') {
      warnings.push({ kind: 'measure', path: addon.path, message: `${addon.name} could not be measured (${addon.measured.status}): ${addon.measured.error}` });
    }
    done++;
  }
  options.onProgress?.(done, targets.length, '');
  return warnings;
}

async function measureOne(probe: string, root: string, addon: NativeAddon, installed: InstalledPackage, options: MeasureOptions): Promise<NativeMeasurement> {
  const runs = Math.max(1, options.runs ?? 3);
  const request: ProbeRequest = {
    name: addon.name,
    resolveFrom: containerParent(installed.dir, addon.name),
    dir: installed.dir,
    binaries: addon.binaries.filter((binary) => binary.kind === 'node' && binary.thisPlatform !== false).map((binary) => join(root, binary.path)),
  };
  const results: ProbeResult[] = [];
  for (let run = 0; run < runs; run++) {
    const outcome = await runProbe(probe, root, request, options);
    if ('failure' in outcome) {
      // A crash or a hang will not get better on the next run.
      return { ...emptyMeasurement(run + 1), status: outcome.failure, error: outcome.error };
    }
    results.push(outcome.result);
    if (!outcome.result.ok) return { ...emptyMeasurement(run + 1), status: 'threw', error: outcome.result.error };
  }
  const delta = (key: keyof NodeJS.MemoryUsage) => median(results.map((result) => result.after[key] - result.before[key]));
  const last = results[results.length - 1]!;
  return {
    status: 'loaded',
    runs,
    rssBytes: delta('rss'),
    heapUsedBytes: delta('heapUsed'),
    externalBytes: delta('external'),
    arrayBuffersBytes: delta('arrayBuffers'),
    loadMs: Math.round(median(results.map((result) => result.loadMs ?? 0)) * 10) / 10,
    sharedObjects: last.sharedObjects.map((object) => ({ path: shownPath(root, object.path), bytes: object.bytes })),
    loadedWith: last.loadedWith,
    // The entry may have failed while its binaries loaded: say so.
    error: last.error,
  };
}

type ProbeOutcome = { result: ProbeResult } | { failure: 'crashed' | 'timeout'; error: string };

function runProbe(probe: string, root: string, request: ProbeRequest, options: MeasureOptions): Promise<ProbeOutcome> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolvePromise) => {
    const { child, stderrTail } = forkProbe(probe, { cwd: root, args: [JSON.stringify(request)], nodePath: options.nodePath });
    let settled = false;
    let result: ProbeResult | null = null;
    let fatal: string | null = null;
    const settle = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle({ failure: 'timeout', error: `still loading after ${timeoutMs / 1000} s (killed)` });
    }, timeoutMs);
    child.on('message', (message: ProbeResult | { fatal: string }) => {
      if ('fatal' in message) fatal = message.fatal;
      else result = message;
    });
    child.on('error', (error) => settle({ failure: 'crashed', error: error.message }));
    child.on('exit', (code, signal) => {
      if (result) return settle({ result });
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const detail = fatal ?? lastMessageLine(stderrTail());
      settle({ failure: 'crashed', error: `the process ${how} while loading${detail ? `: ${detail}` : ''}` });
    });
  });
}

/** `/app/node_modules/@scope/name` → `/app`: where a bare `require(name)` finds the package. */
function containerParent(dir: string, name: string): string {
  let folder = dir;
  for (let depth = name.split('/').length; depth > 0; depth--) folder = dirname(folder);
  return basename(folder) === 'node_modules' ? dirname(folder) : folder;
}

function emptyMeasurement(runs: number): NativeMeasurement {
  return {
    status: 'loaded',
    runs,
    rssBytes: null,
    heapUsedBytes: null,
    externalBytes: null,
    arrayBuffersBytes: null,
    loadMs: null,
    sharedObjects: [],
    loadedWith: null,
    error: null,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

function shownPath(root: string, path: string): string {
  const inside = relative(root, path);
  return inside.startsWith('..') ? path : inside.split(sep).join('/');
}
