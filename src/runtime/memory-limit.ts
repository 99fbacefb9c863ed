import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** Where a memory limit came from. */
export type MemoryLimitSource = 'explicit' | 'constrained-memory' | 'cgroup-v2' | 'cgroup-v1' | 'heroku' | 'system';

/** The memory the process may use before it is killed (or, on Heroku, starts swapping: R14). */
export interface MemoryLimit {
  bytes: number;
  /** The source of `bytes`: the smallest of the limits found, or `system` when none was. */
  source: MemoryLimitSource;
  /** Every limit found, smallest first (`explicit` alone when one was given). */
  found: { source: MemoryLimitSource; bytes: number }[];
}

/** Options of {@link detectMemoryLimit}; the last four exist for tests and unusual hosts. */
export interface DetectMemoryLimitOptions {
  /** A limit you know (e.g. from your platform's settings). Wins over everything detected. */
  limitBytes?: number;
  /** Environment to read Heroku's variables from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Reads a file, `undefined` when it cannot. Default: `fs.readFileSync` (utf8). */
  readFile?: (path: string) => string | undefined;
  /** Default: `process.constrainedMemory` where Node has it (≥ 19.6). */
  constrainedMemory?: () => number | undefined;
  /** Default `os.totalmem()`. */
  totalMemory?: () => number;
}

/**
 * Finds the memory limit of this process, looking at (smallest wins):
 *
 * - `process.constrainedMemory()` (Node ≥ 19.6; libuv's reading of the cgroup limit);
 * - cgroup v2 `memory.max` of the process's cgroup and its ancestors;
 * - cgroup v1 `memory.limit_in_bytes` (and `hierarchical_memory_limit`);
 * - Heroku: `MEMORY_AVAILABLE` (MB), set on dynos (`DYNO`) by the Node.js buildpack —
 *   Heroku's quota is enforced by R14/R15 errors, not by the cgroup, so it must be read here.
 *
 * "No limit" is spelled several ways — `max` in cgroup v2, 2^63 − 4096 in v1, 0 or 2^64 from
 * `constrainedMemory()` — and a value at or above the machine's memory is no limit either.
 * When nothing limits the process, the machine's total memory is returned (source `system`).
 * Runs synchronously (a few small reads from /proc and /sys): call it at startup.
 */
export function detectMemoryLimit(options: DetectMemoryLimitOptions = {}): MemoryLimit {
  if (options.limitBytes !== undefined) {
    if (!(options.limitBytes > 0) || !Number.isFinite(options.limitBytes)) throw new RangeError(`limitBytes must be a positive number, got ${options.limitBytes}`);
    return { bytes: options.limitBytes, source: 'explicit', found: [{ source: 'explicit', bytes: options.limitBytes }] };
  }
  const read = options.readFile ?? readTextFile;
  const env = options.env ?? process.env;
  const system = (options.totalMemory ?? totalmem)();
  const found: { source: MemoryLimitSource; bytes: number }[] = [];
  const consider = (source: MemoryLimitSource, bytes: number | undefined) => {
    // A "limit" at or above physical memory does not limit anything.
    if (bytes !== undefined && Number.isFinite(bytes) && bytes > 0 && bytes < system) found.push({ source, bytes });
  };
  const constrained = options.constrainedMemory ?? defaultConstrainedMemory;
  consider('constrained-memory', safely(constrained));
  const cgroups = parseProcCgroup(read('/proc/self/cgroup'));
  consider('cgroup-v2', cgroupV2Limit(read, cgroups.v2Path));
  consider('cgroup-v1', cgroupV1Limit(read, cgroups.v1MemoryPath));
  consider('heroku', herokuLimit(env));
  found.sort((a, b) => a.bytes - b.bytes);
  const smallest = found[0];
  return smallest ? { bytes: smallest.bytes, source: smallest.source, found } : { bytes: system, source: 'system', found };
}

/** V8's heap limit (`--max-old-space-size` and friends): past it, "JavaScript heap out of memory". */
export function heapLimitBytes(): number {
  return getHeapStatistics().heap_size_limit;
}

function defaultConstrainedMemory(): number | undefined {
  const fn = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory;
  return typeof fn === 'function' ? fn.call(process) : undefined;
}

function safely(fn: () => number | undefined): number | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The process's cgroup v2 path (`0::/path`) and cgroup v1 memory-controller path. */
function parseProcCgroup(text: string | undefined): { v2Path: string | undefined; v1MemoryPath: string | undefined } {
  let v2Path: string | undefined;
  let v1MemoryPath: string | undefined;
  for (const line of (text ?? '').split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, id, controllers, path] = match;
    if (id === '0' && controllers === '') v2Path = path;
    else if (controllers!.split(',').includes('memory')) v1MemoryPath = path;
  }
  return { v2Path, v1MemoryPath };
}

function cgroupV2Limit(read: (path: string) => string | undefined, cgroupPath: string | undefined): number | undefined {
  // The effective limit is the smallest along the hierarchy. Inside a container the path is
  // usually "/" (cgroup namespace); outside it, an ancestor slice may hold the limit.
  let smallest: number | undefined;
  for (const dir of ancestors(cgroupPath ?? '/')) {
    const value = parseLimit(read(`/sys/fs/cgroup${dir === '/' ? '' : dir}/memory.max`));
    if (value !== undefined && (smallest === undefined || value < smallest)) smallest = value;
  }
  return smallest;
}

function cgroupV1Limit(read: (path: string) => string | undefined, cgroupPath: string | undefined): number | undefined {
  const candidates: (number | undefined)[] = [];
  // The path from /proc/self/cgroup is the host's view; with a private cgroup namespace the
  // mount shows the process's own cgroup at the root, so both places are tried.
  const dirs = new Set(['/sys/fs/cgroup/memory']);
  if (cgroupPath && cgroupPath !== '/') dirs.add(`/sys/fs/cgroup/memory${cgroupPath}`);
  for (const dir of dirs) {
    candidates.push(parseLimit(read(`${dir}/memory.limit_in_bytes`)));
    const stat = read(`${dir}/memory.stat`);
    const hierarchical = stat ? /^hierarchical_memory_limit (\d+)$/m.exec(stat)?.[1] : undefined;
    candidates.push(parseLimit(hierarchical));
  }
  const values = candidates.filter((value): value is number => value !== undefined);
  return values.length > 0 ? Math.min(...values) : undefined;
}

function herokuLimit(env: Record<string, string | undefined>): number | undefined {
  if (!env.DYNO) return undefined;
  const megabytes = Number(env.MEMORY_AVAILABLE);
  return Number.isFinite(megabytes) && megabytes > 0 ? megabytes * 1024 * 1024 : undefined;
}

function parseLimit(text: string | undefined): number | undefined {
  const value = text?.trim();
  if (!value || value === 'max' || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  for (let i = parts.length; i >= 0; i--) out.push(`/${parts.slice(0, i).join('/')}`);
  return out;
}
