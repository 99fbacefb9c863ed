/**
 * The command line: argv → options → library call → reporter → exit code. The only module
 * that touches process.argv, stdout and the exit code (through `runCli`'s io argument).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { scan } from '../core/scan.js';
import { UsageError } from '../errors.js';
import { formatJson } from '../reporters/json.js';
import { formatMarkdown } from '../reporters/markdown.js';
import { formatPretty } from '../reporters/pretty.js';
import { VERSION } from '../version.js';
import { MAIN_HELP, SCAN_HELP } from './help.js';
import { createProgress } from './progress.js';

export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

const FORMATS = ['pretty', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout.write(MAIN_HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '-v' || command === '--version') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === 'scan') return await runScan(rest, io);
    throw new UsageError(`unknown command: ${command}`, 'run `leakhound --help` for the list of commands');
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`leakhound: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
      return 2;
    }
    throw error;
  }
}

async function runScan(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  if (values.help) {
    io.stdout.write(SCAN_HELP);
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError(`scan takes one directory, got ${positionals.length}: ${positionals.join(' ')}`, 'quote patterns passed to --ignore so the shell does not expand them');
  }
  const format = (values.format ?? 'pretty') as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`unknown format: ${values.format}`, `use one of: ${FORMATS.join(', ')}`);
  }
  const maxFileBytes = values['max-file-size'] === undefined ? undefined : positiveNumber(values['max-file-size'], '--max-file-size') * 1024 * 1024;
  const threads = values.threads === undefined ? undefined : Math.floor(positiveNumber(values.threads, '--threads'));

  const progress = createProgress(io.stderr);
  const report = await scan({
    root: positionals[0] ?? io.cwd,
    ignore: values.ignore,
    testPatterns: values['test-pattern'],
    maxFileBytes,
    threads,
    useGit: !values['no-git'],
    onProgress: (event) => progress.update(event),
  }).finally(() => progress.done());

  const target = values.output ? { isTTY: false } : io.stdout;
  const color = format === 'pretty' && !values['no-color'] && wantsColor(io.env, target.isTTY === true);
  const text =
    format === 'json' ? formatJson(report) : format === 'markdown' ? formatMarkdown(report) : formatPretty(report, { color });
  if (values.output) {
    writeFileSync(values.output, text);
    io.stderr.write(`leakhound: report written to ${values.output}\n`);
  } else {
    io.stdout.write(text);
  }
  return 0;
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        ignore: { type: 'string', multiple: true },
        'test-pattern': { type: 'string', multiple: true },
        'max-file-size': { type: 'string' },
        threads: { type: 'string' },
        'no-git': { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!, 'run `leakhound scan --help` for the options');
  }
}

function positiveNumber(raw: string, flag: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} needs a positive number, got '${raw}'`);
  return value;
}

/** NO_COLOR (no-color.org) wins, then FORCE_COLOR, then whether the output is a terminal. */
function wantsColor(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return isTTY && env.TERM !== 'dumb';
}
