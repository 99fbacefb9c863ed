/**
 * `leakhound cost`: options → measureCost → the report on stdout and, with --out, the cost
 * file that `scan --cost` reads. Every option is checked before the first process starts.
 */
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseKind } from '../db/connection-sampler.js';
import { redactCredentials } from '../core/redact.js';
import { UsageError } from '../errors.js';
import type { CostFile } from '../cost/cost-file.js';
import type { CostLibrary } from '../cost/cost-probe.js';
import { DEFAULT_POINTS, measureCost, type CostOptions, type CostProgress } from '../cost/measure-cost.js';
import { formatCostJson, formatCostMarkdown, formatCostPretty } from '../reporters/cost-report.js';
import { COST_HELP } from './help.js';
import type { CliIo } from './main.js';
import { wantsColor } from './color.js';

const OPTIONS = {
  'database-url': { type: 'string' },
  embedded: { type: 'boolean' },
  client: { type: 'string' },
  project: { type: 'string' },
  'prisma-client': { type: 'string' },
  max: { type: 'string' },
  points: { type: 'string' },
  repeats: { type: 'string' },
  timeout: { type: 'string' },
  format: { type: 'string', short: 'f' },
  out: { type: 'string' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COST_FORMATS = ['pretty', 'json', 'markdown'] as const;
const LIBRARIES: readonly CostLibrary[] = ['prisma', 'pg'];
const DEFAULT_TIMEOUT_MS = 60_000;

export async function runCost(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!, 'run `leakhound cost --help` for the options');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(COST_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`cost takes no positional argument, got: ${positionals.join(' ')}`, 'pass the application folder with --project DIR');
  const format = oneOfFormats(values.format ?? 'pretty');
  const libraries = parseClients(values.client);
  const points = parsePoints(values.points, values.max);
  const repeats = values.repeats === undefined ? 3 : positiveInteger(values.repeats, '--repeats');
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : positiveSeconds(values.timeout, '--timeout');
  const projectDir = existingDirectory(resolve(io.cwd, values.project ?? '.'));
  const prismaClient = values['prisma-client'] === undefined ? undefined : generatedClient(resolve(io.cwd, values['prisma-client']), libraries);
  const databaseUrl = chooseDatabase(values['database-url'], values.embedded === true, io.env);

  const progress = progressLine(io.stderr);
  const options: CostOptions = { databaseUrl, projectDir, libraries, prismaClient, points, repeats, timeoutMs, onProgress: progress.update };
  const file = await measureCost(options).finally(progress.done);
  if (values.out) {
    const path = resolve(io.cwd, values.out);
    writeAtomically(path, formatCostJson(file));
    io.stderr.write(`leakhound: cost file written to ${values.out} (read it with \`leakhound scan --cost ${values.out}\`)\n`);
  }
  const color = format === 'pretty' && !values['no-color'] && wantsColor(io.env, io.stdout.isTTY === true);
  io.stdout.write(format === 'json' ? formatCostJson(file) : format === 'markdown' ? formatCostMarkdown(file) : formatCostPretty(file, { color }));
  return nothingMeasured(file) ? 1 : 0;
}

/** Every run of every library failed: the report says why, and the exit code says it too. */
function nothingMeasured(file: CostFile): boolean {
  return file.libraries.every((library) => [library.perClient.baseline, ...library.perClient.points, ...library.perConnection.points].every((point) => point.repeats.length === 0));
}

function oneOfFormats(raw: string): (typeof COST_FORMATS)[number] {
  if ((COST_FORMATS as readonly string[]).includes(raw)) return raw as (typeof COST_FORMATS)[number];
  throw new UsageError(`unknown format: ${raw}`, `--format takes one of: ${COST_FORMATS.join(', ')}`);
}

function parseClients(raw: string | undefined): CostLibrary[] | 'auto' {
  if (raw === undefined) return 'auto';
  const names = [...new Set(raw.split(',').map((name) => name.trim()).filter(Boolean))];
  for (const name of names) {
    if (!(LIBRARIES as readonly string[]).includes(name)) throw new UsageError(`unknown client library: ${name}`, `--client takes ${LIBRARIES.join(', ')} or both (comma-separated)`);
  }
  if (names.length === 0) throw new UsageError('--client needs a library name', `--client takes ${LIBRARIES.join(', ')} or both (comma-separated)`);
  return names as CostLibrary[];
}

/** `--points 1,2,4` as given (sorted), or powers of two up to `--max` (and `--max` itself). */
function parsePoints(raw: string | undefined, maxRaw: string | undefined): number[] {
  if (raw !== undefined && maxRaw !== undefined) throw new UsageError('--points and --max cannot be combined', '--points lists every N; --max builds 1, 2, 4, … up to it');
  if (raw !== undefined) {
    const points = [...new Set(raw.split(',').map((item) => positiveInteger(item, '--points')))].sort((a, b) => a - b);
    if (points.length < 2) throw new UsageError(`--points needs at least two values, got '${raw}'`, 'a cost per client is a slope: e.g. --points 1,2,4,8');
    return points;
  }
  if (maxRaw === undefined) return DEFAULT_POINTS;
  const max = positiveInteger(maxRaw, '--max');
  if (max < 2) throw new UsageError(`--max needs at least 2, got '${maxRaw}'`, 'a cost per client is a slope: it needs two points');
  const points: number[] = [];
  for (let n = 1; n < max; n *= 2) points.push(n);
  return [...points, max];
}

function positiveInteger(raw: string, flag: string): number {
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${flag} needs positive integers, got '${raw}'`);
  return value;
}

function positiveSeconds(raw: string, flag: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} needs a positive number of seconds, got '${raw}'`);
  return value * 1000;
}

function existingDirectory(path: string): string {
  if (!existsSync(path)) throw new UsageError(`no such folder: ${path}`, '--project takes your application folder (where its package.json and node_modules are)');
  if (!statSync(path).isDirectory()) throw new UsageError(`not a directory: ${path}`, '--project takes your application folder (where its package.json and node_modules are)');
  return path;
}

function generatedClient(path: string, libraries: CostLibrary[] | 'auto'): string {
  if (libraries !== 'auto' && !libraries.includes('prisma')) throw new UsageError('--prisma-client only applies when Prisma is measured', 'add prisma to --client, or leave --client out');
  if (!existsSync(path) || statSync(path).isDirectory()) {
    throw new UsageError(`--prisma-client: no such file: ${path}`, 'pass the generated module your code imports PrismaClient from (prisma-client generator: <output>/client.js once compiled; prisma-client-js: <output>/index.js)');
  }
  const runsTypeScript = Boolean((process.features as { typescript?: unknown }).typescript);
  if (/\.[cm]?ts$/.test(path) && !runsTypeScript) {
    throw new UsageError(`--prisma-client: ${path} is TypeScript, which Node ${process.version} does not run`, 'compile the generated client (tsc) and pass the .js file, or use Node 22.18 or later');
  }
  return path;
}

/** --database-url, else DATABASE_URL (unless --embedded), else undefined: an embedded PostgreSQL. */
function chooseDatabase(flag: string | undefined, embedded: boolean, env: Record<string, string | undefined>): string | undefined {
  if (flag !== undefined && embedded) throw new UsageError('--database-url and --embedded cannot be combined', 'leave out --database-url to measure against an embedded PostgreSQL');
  const url = flag ?? (embedded ? undefined : env.DATABASE_URL || undefined);
  if (url === undefined) return undefined;
  const from = flag !== undefined ? '--database-url' : 'DATABASE_URL';
  if (databaseKind(url) !== 'postgres') {
    throw new UsageError(
      `${from} is not a PostgreSQL connection string: ${redactCredentials(url)}`,
      `leakhound cost measures PostgreSQL (postgres:// or postgresql://)${flag === undefined ? '; pass --embedded to measure against an embedded PostgreSQL instead' : ''}`,
    );
  }
  return url;
}

/** A live line on a terminal, nothing when stderr is piped: a default run takes a minute or two. */
function progressLine(stream: CliIo['stderr']): { update: (progress: CostProgress) => void; done: () => void } {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let shown = false;
  return {
    update(progress) {
      const text = progress.library === null ? `${progress.step}…` : progress.step === '' ? '' : `measuring ${progress.library} ${progress.done + 1}/${progress.total}: ${progress.step}…`;
      stream.write(`\r\x1b[2K${text}`);
      shown = text !== '';
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
