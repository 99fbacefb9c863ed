/**
 * The command line: argv → options → library call → reporter → exit code. The only module
 * that touches process.argv, stdout and the exit code (through `runCli`'s io argument).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_BASELINE_FILE, readBaseline, writeBaseline, type Baseline } from '../ci/baseline.js';
import { FAIL_ON_LEVELS, type FailOn } from '../ci/gate.js';
import { settleFindings, type SettledReport } from '../ci/settle.js';
import { loadConfig } from '../config/load.js';
import { resolveSettings } from '../config/resolve-settings.js';
import { scan, type ScanOptions } from '../core/scan.js';
import { UsageError } from '../errors.js';
import { PACKAGE_DOCS_DIR } from '../package-docs.js';
import { formatJson } from '../reporters/json.js';
import { formatMarkdown } from '../reporters/markdown.js';
import { formatPretty } from '../reporters/pretty.js';
import { formatSarif } from '../reporters/sarif.js';
import { RULE_METAS } from '../rules/index.js';
import { CATEGORIES, type Category, type Report } from '../types.js';
import { VERSION } from '../version.js';
import { COMPARE_HELP, FIX_HELP, MAIN_HELP, NATIVE_HELP, SCAN_HELP } from './help.js';
import { fix, FixAbortedError, type FixResult } from '../fix/fix.js';
import { formatFixDiff, formatFixJson, formatFixSummary } from '../reporters/fix-report.js';
import { createProgress } from './progress.js';
import { shownPath } from './shown-path.js';
import { wantsColor } from './color.js';

export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** The library's scan(); tests put a report of their own here. */
  scan?: (options: ScanOptions) => Promise<Report>;
}

const FORMATS = ['pretty', 'json', 'markdown', 'sarif'] as const;
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
    if (command === 'fix') return await runFix(rest, io);
    if (command === 'native') return await runNative(rest, io);
    // The commands below load their modules when run (the database driver, the report and
    // cost code): `scan`, the common case, does not pay for them at start-up.
    if (command === 'watch') return await (await import('./watch-command.js')).runWatch(rest, io);
    if (command === 'compare') return await runCompare(rest, io);
    if (command === 'cost') return await (await import('./cost-command.js')).runCost(rest, io);
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
  // Every option is checked before the scan starts: a typo should not cost a whole scan.
  const format = oneOf(values.format ?? 'pretty', FORMATS, '--format', 'unknown format');
  const maxFileBytes = values['max-file-size'] === undefined ? undefined : positiveNumber(values['max-file-size'], '--max-file-size') * 1024 * 1024;
  const threads = values.threads === undefined ? undefined : Math.floor(positiveNumber(values.threads, '--threads'));
  const root = resolve(io.cwd, positionals[0] ?? '.');
  const loaded = await loadConfig(root, values.config === undefined ? undefined : resolve(io.cwd, values.config));
  const resolved = resolveSettings(loaded?.config ?? {}, {
    replicas: optionalPositiveInteger(values.replicas, '--replicas'),
    maxConnections: optionalPositiveInteger(values['max-connections'], '--max-connections'),
    cpus: optionalPositiveInteger(values.cpus, '--cpus'),
    failOn: values['fail-on'] === undefined ? undefined : oneOf<FailOn>(values['fail-on'], FAIL_ON_LEVELS, '--fail-on', 'unknown --fail-on level'),
    ignore: values.ignore,
    testPatterns: values['test-pattern'],
  });
  const baselinePath = values.baseline === undefined ? undefined : resolve(io.cwd, values.baseline);
  const baseline = baselinePath !== undefined && !values['write-baseline'] ? readBaseline(baselinePath) : null;
  const costModule = values.cost === undefined ? null : await import('../cost/scan-cost.js');
  const cost = costModule === null ? null : costModule.readCostFile(resolve(io.cwd, values.cost!), values.cost!);

  const progress = createProgress(io.stderr);
  const scanOptions: ScanOptions = {
    root,
    ignore: resolved.ignore,
    testPatterns: resolved.testPatterns,
    maxFileBytes,
    threads,
    useGit: !values['no-git'],
    settings: resolved.settings,
    onProgress: (event) => progress.update(event),
  };
  const report = await (io.scan ?? scan)(scanOptions).finally(() => progress.done());
  if (values.native) {
    try {
      const { scanNativeAddons } = await import('../native/inventory.js');
      report.native = await scanNativeAddons({ root: report.root, useGit: !values['no-git'] });
    } catch (error) {
      // The scan has run: a folder native cannot inventory must not cost its report.
      if (!(error instanceof UsageError)) throw error;
      report.warnings.push({ kind: 'config', file: null, message: `--native: ${error.message}; ${error.hint ?? ''}`.replace(/; $/, '') });
    }
  }
  if (costModule && cost) costModule.applyMeasuredCost(report, cost, { file: values.cost!, replicas: resolved.settings.replicas });
  const settled = settleFindings(report, {
    textOf: (file) => readTextOrNull(join(report.root, file)),
    baseline,
    failOn: resolved.failOn,
  });

  if (values['write-baseline']) {
    const path = baselinePath ?? join(report.root, DEFAULT_BASELINE_FILE);
    writeBaseline(path, settled.unsuppressed);
    io.stderr.write(`leakhound: baseline written to ${shownPath(path, io.cwd)} (${plural(settled.unsuppressed.length, 'finding')})\n`);
    return 0;
  }

  const target = values.output ? { isTTY: false } : io.stdout;
  const color = format === 'pretty' && !values['no-color'] && wantsColor(io.env, target.isTTY === true);
  const text = formatReport(settled.report, format, color);
  if (values.output) {
    writeFileSync(values.output, text);
    io.stderr.write(`leakhound: report written to ${values.output}\n`);
  } else {
    io.stdout.write(text);
  }
  for (const note of settlementNotes(settled, baseline, baselinePath && shownPath(baselinePath, io.cwd))) io.stderr.write(`leakhound: ${note}\n`);
  return settled.exitCode;
}

async function runFix(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('fix', argv, {
    write: { type: 'boolean', short: 'w' },
    only: { type: 'string', multiple: true },
    'include-tests': { type: 'boolean' },
    module: { type: 'string' },
    'allow-dirty': { type: 'boolean' },
    format: { type: 'string', short: 'f' },
    ignore: { type: 'string', multiple: true },
    'test-pattern': { type: 'string', multiple: true },
    'no-git': { type: 'boolean' },
    'no-color': { type: 'boolean' },
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(FIX_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`fix takes one directory, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = oneOf(values.format ?? 'pretty', ['pretty', 'json'] as const, '--format', 'unknown format for fix');
  // `routes,services,jobs` reads as naturally as the singular category names.
  const only = values.only
    ?.flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => ((CATEGORIES as readonly string[]).includes(item.replace(/s$/, '')) ? item.replace(/s$/, '') : item));
  for (const category of only ?? []) oneOf(category, CATEGORIES, '--only', 'unknown category');
  const root = resolve(io.cwd, positionals[0] ?? '.');
  const loaded = await loadConfig(root, values.config === undefined ? undefined : resolve(io.cwd, values.config));
  const resolved = resolveSettings(loaded?.config ?? {}, { ignore: values.ignore, testPatterns: values['test-pattern'] });
  let result: FixResult;
  try {
    result = await fix({
      root,
      ignore: resolved.ignore,
      testPatterns: resolved.testPatterns,
      useGit: !values['no-git'],
      settings: resolved.settings,
      write: values.write === true,
      only: only as Category[] | undefined,
      includeTests: values['include-tests'] === true,
      modulePath: values.module,
      allowDirty: values['allow-dirty'] === true,
    });
  } catch (error) {
    if (error instanceof FixAbortedError) {
      io.stderr.write(`leakhound: ${error.message}\n`);
      return 70;
    }
    throw error;
  }
  if (format === 'json') {
    io.stdout.write(formatFixJson(result));
    return 0;
  }
  const color = !values['no-color'] && wantsColor(io.env, io.stdout.isTTY === true);
  // The diff alone on stdout when it is not written, so that `leakhound fix | git apply` works.
  if (!result.written) io.stdout.write(formatFixDiff(result, color));
  io.stderr.write(formatFixSummary(result, !values['no-color'] && wantsColor(io.env, io.stderr.isTTY === true)));
  return 0;
}

async function runNative(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('native', argv, {
    measure: { type: 'boolean' },
    runs: { type: 'string' },
    timeout: { type: 'string' },
    'include-dev': { type: 'boolean' },
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    'no-git': { type: 'boolean' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(NATIVE_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`native takes one directory, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = oneOf(values.format ?? 'pretty', FORMATS, '--format', 'unknown format');
  const runs = optionalPositiveInteger(values.runs, '--runs');
  const timeoutMs = values.timeout === undefined ? undefined : positiveNumber(values.timeout, '--timeout') * 1000;
  if (!values.measure && (runs !== undefined || timeoutMs !== undefined || values['include-dev'])) {
    throw new UsageError('--runs, --timeout and --include-dev only apply with --measure', 'add --measure to load and measure the addons');
  }
  const stderrIsTTY = io.stderr.isTTY === true;
  let shown = false;
  const { scanNativeAddons } = await import('../native/inventory.js');
  const { formatNativeJson, formatNativeMarkdown, formatNativePretty, formatNativeSarif } = await import('../reporters/native-report.js');
  const inventory = await scanNativeAddons({
    root: resolve(io.cwd, positionals[0] ?? '.'),
    useGit: !values['no-git'],
    measure: values.measure
      ? {
          runs,
          timeoutMs,
          includeDev: values['include-dev'] === true,
          // A live count on a terminal only: each addon takes a few fresh processes.
          onProgress: (done, total, name) => {
            if (!stderrIsTTY) return;
            io.stderr.write(done < total ? `\r\x1b[2Kmeasuring ${done + 1}/${total}: ${name}…` : '\r\x1b[2K');
            shown = done < total;
          },
        }
      : false,
  }).finally(() => {
    if (shown) io.stderr.write('\r\x1b[2K');
  });
  const target = values.output ? { isTTY: false } : io.stdout;
  const color = format === 'pretty' && !values['no-color'] && wantsColor(io.env, target.isTTY === true);
  const text =
    format === 'json'
      ? formatNativeJson(inventory, VERSION)
      : format === 'markdown'
        ? formatNativeMarkdown(inventory)
        : format === 'sarif'
          ? formatNativeSarif(inventory, VERSION, PACKAGE_DOCS_DIR)
          : formatNativePretty(inventory, { color });
  if (values.output) {
    writeFileSync(values.output, text);
    io.stderr.write(`leakhound: report written to ${values.output}\n`);
  } else {
    io.stdout.write(text);
  }
  return 0;
}

async function runCompare(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('compare', argv, {
    format: { type: 'string', short: 'f' },
    html: { type: 'string' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(COMPARE_HELP);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new UsageError(`compare takes two run files, before and after; got ${positionals.length}`, 'leakhound compare before.json after.json (each written by `leakhound watch --out <file> -- <command>`)');
  }
  const format = oneOf(values.format ?? 'pretty', ['pretty', 'json', 'markdown'] as const, '--format', 'unknown format for compare');
  const [beforeName, afterName] = positionals as [string, string];
  const { loadRunFile } = await import('../watch/load-run-file.js');
  const { compareRuns, formatComparisonJson, formatComparisonMarkdown, formatComparisonPretty } = await import('../watch/compare.js');
  const before = loadRunFile(resolve(io.cwd, beforeName), beforeName);
  const after = loadRunFile(resolve(io.cwd, afterName), afterName);
  const comparison = compareRuns(before, after, { before: beforeName, after: afterName });
  if (values.html !== undefined) {
    try {
      const { renderComparisonHtml } = await import('../watch/compare-html.js');
      writeFileSync(resolve(io.cwd, values.html), renderComparisonHtml(before, after, comparison));
    } catch (error) {
      throw new UsageError(`cannot write ${values.html}: ${(error as Error).message}`, 'give --html a path in an existing, writable folder');
    }
    io.stderr.write(`leakhound: comparison page written to ${values.html}\n`);
  }
  const color = format === 'pretty' && !values['no-color'] && wantsColor(io.env, io.stdout.isTTY === true);
  io.stdout.write(format === 'json' ? formatComparisonJson(comparison) : format === 'markdown' ? formatComparisonMarkdown(comparison) : formatComparisonPretty(comparison, { color }));
  // A report, not a gate: a CI gate reads rows[].delta or rows[].ratio from --format json.
  return 0;
}

function formatReport(report: Report, format: Format, color: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'sarif':
      return formatSarif(report, { rules: RULE_METAS, docsDir: PACKAGE_DOCS_DIR });
    case 'pretty':
      return formatPretty(report, { color });
  }
}

/** What the printed report leaves out: suppressed and baselined findings, fixed baseline entries. */
function settlementNotes(settled: SettledReport, baseline: Baseline | null, baselineName: string | undefined): string[] {
  const notes: string[] = [];
  if (settled.suppressed.length > 0) notes.push(`${plural(settled.suppressed.length, 'finding')} suppressed by leakhound-ignore-next-line comments`);
  if (baseline) {
    const fixed = baseline.findings.length - settled.known.length;
    notes.push(
      `${plural(settled.known.length, 'finding')} already in the baseline ${baselineName} (not counted)` +
        (fixed > 0 ? `; ${fixed} of its entries no longer ${fixed === 1 ? 'occurs' : 'occur'} (run with --write-baseline to drop them)` : ''),
    );
  }
  return notes;
}

function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parseOptions(argv: string[]) {
  return parseCommandLine('scan', argv, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    ignore: { type: 'string', multiple: true },
    'test-pattern': { type: 'string', multiple: true },
    'max-file-size': { type: 'string' },
    threads: { type: 'string' },
    'no-git': { type: 'boolean' },
    'no-color': { type: 'boolean' },
    native: { type: 'boolean' },
    cost: { type: 'string' },
    config: { type: 'string', short: 'c' },
    'fail-on': { type: 'string' },
    baseline: { type: 'string' },
    'write-baseline': { type: 'boolean' },
    replicas: { type: 'string' },
    'max-connections': { type: 'string' },
    cpus: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
}

/** Strict parsing of one command's options; a mistake is a usage error that points at its help. */
function parseCommandLine<const T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!, `run \`leakhound ${command} --help\` for the options`);
  }
}

function oneOf<T extends string>(raw: string, allowed: readonly T[], flag: string, what: string): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`${what}: ${raw}`, `${flag} takes one of: ${allowed.join(', ')}`);
}

function optionalPositiveInteger(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${flag} needs a positive integer, got '${raw}'`);
  return value;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function positiveNumber(raw: string, flag: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} needs a positive number, got '${raw}'`);
  return value;
}

/** NO_COLOR (no-color.org) wins, then FORCE_COLOR, then whether the output is a terminal. */
