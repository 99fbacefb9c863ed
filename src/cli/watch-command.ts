/**
 * `leakhound watch`: options → watchProgram → run file, HTML report, summary → the program's
 * exit code. Everything leakhound says goes to stderr: stdout belongs to the program.
 */
import { writeFileSync, renameSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { EmbeddedPostgresUnavailable } from '../db/embedded-postgres.js';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { formatRunSummary } from '../watch/format-run.js';
import { renderRunHtml } from '../watch/html-report.js';
import { ProgramNotStarted } from '../watch/spawn-program.js';
import { watchProgram, type WatchOptions } from '../watch/watch.js';
import { WATCH_HELP } from './help.js';
import type { CliIo } from './main.js';
import { wantsColor } from './color.js';
import { shownPath } from './shown-path.js';
import { parseDuration, parseSize } from './units.js';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  html: { type: 'string' },
  'no-html': { type: 'boolean' },
  label: { type: 'string' },
  duration: { type: 'string' },
  load: { type: 'string' },
  'wait-for': { type: 'string' },
  interval: { type: 'string' },
  'database-url': { type: 'string' },
  'no-database': { type: 'boolean' },
  limit: { type: 'string' },
  grace: { type: 'string' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runWatch(argv: string[], io: CliIo): Promise<number> {
  const split = argv.indexOf('--');
  const optionArgs = split === -1 ? argv : argv.slice(0, split);
  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parse(optionArgs));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!, split === -1 ? 'put the command to watch after --: leakhound watch [options] -- node server.js --port 3000' : 'run `leakhound watch --help` for the options');
  }
  if (values.help) {
    io.stdout.write(WATCH_HELP);
    return 0;
  }
  const command = split === -1 ? positionals : [...positionals, ...argv.slice(split + 1)];
  if (split !== -1 && positionals.length > 0) throw new UsageError(`unexpected '${positionals[0]}' before --`, 'options go before --, the command after it');
  if (command.length === 0) throw new UsageError('watch needs a command to run', 'leakhound watch -- node dist/server.js');
  if (values['no-html'] && values.html) throw new UsageError('--html and --no-html contradict each other');
  if (values['no-database'] && values['database-url']) throw new UsageError('--database-url and --no-database contradict each other');
  if (values['wait-for'] && !values.load) throw new UsageError('--wait-for only applies with --load', 'add --load with the command that drives traffic');
  if (values['wait-for'] && !/^https?:\/\/\S+$|^(?:[\w.-]+:)?\d{1,5}$/i.test(values['wait-for'])) {
    throw new UsageError(`--wait-for expects a URL or a port, got '${values['wait-for']}'`, 'e.g. --wait-for http://localhost:3000/health or --wait-for 3000');
  }

  const jsonPath = resolve(io.cwd, values.out ?? 'leakhound-run.json');
  const htmlPath = values['no-html'] ? null : resolve(io.cwd, values.html ?? join(dirname(jsonPath), `${basename(jsonPath, extname(jsonPath))}.html`));
  const databaseUrl = values['database-url'] ?? io.env.DATABASE_URL;
  const options: WatchOptions = {
    command,
    cwd: io.cwd,
    env: io.env,
    intervalMs: values.interval === undefined ? undefined : Math.max(10, parseDuration(values.interval, '--interval')),
    durationMs: values.duration === undefined ? undefined : parseDuration(values.duration, '--duration'),
    load: values.load,
    waitFor: values['wait-for'],
    database: values['no-database'] ? 'none' : databaseUrl ? { url: databaseUrl } : 'embedded',
    limitBytes: values.limit === undefined ? undefined : parseSize(values.limit, '--limit'),
    label: values.label,
    graceMs: values.grace === undefined ? undefined : parseDuration(values.grace, '--grace'),
    loadLogFile: values.load ? `${jsonPath.replace(/\.json$/i, '')}.load.log` : undefined,
    toolVersion: VERSION,
    onStart: ({ databaseUrl: shown, embedded }) => {
      const what = shown === null ? 'no database (connections not counted)' : embedded ? `connections of an embedded PostgreSQL (DATABASE_URL=${shown} for the program)` : `connections of ${shown}`;
      io.stderr.write(`leakhound: watching \`${command.join(' ')}\` — memory every ${options.intervalMs ?? 500} ms, database clients, ${what}${values.duration ? `; stops after ${values.duration}` : ''}\n`);
    },
  };
  const colorOk = !values['no-color'] && wantsColor(io.env, io.stderr.isTTY === true);

  let result;
  try {
    result = await watchProgram(options);
  } catch (error) {
    if (error instanceof EmbeddedPostgresUnavailable && options.database === 'embedded') {
      // The user asked for no database in particular: measure without one rather than not at all.
      io.stderr.write(`leakhound: ${error.message}; connections will not be counted (${error.hint})\n`);
      result = await watchProgram({ ...options, database: 'none' });
    } else if (error instanceof ProgramNotStarted) {
      throw new UsageError(error.message, 'check the command after --');
    } else if (error instanceof Error && /^cannot connect to /.test(error.message)) {
      throw new UsageError(error.message, 'check --database-url / DATABASE_URL, or pass --no-database to watch without counting connections');
    } else {
      throw error;
    }
  }
  const { run, exit, reason } = result;
  writeAtomically(jsonPath, JSON.stringify(run, null, 2) + '\n');
  if (htmlPath) writeAtomically(htmlPath, renderRunHtml(run));
  io.stderr.write(formatRunSummary(run, { color: colorOk, jsonPath: shownPath(jsonPath, io.cwd), htmlPath: htmlPath === null ? undefined : shownPath(htmlPath, io.cwd) }));
  for (const warning of run.warnings) io.stderr.write(`${colorOk ? pc.yellow('warning') : 'warning'}: ${warning}\n`);
  if (reason === 'duration' || reason === 'load-finished') return 0;
  if (exit.signal) return 128 + (constants.signals[exit.signal] ?? 0);
  return exit.code ?? 1;
}

function parse(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
