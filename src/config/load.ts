/**
 * Finding and reading the config: a fixed list of file names in the scanned directory, then
 * the `leakhound` key of its package.json, or one file named on the command line. Whatever is
 * found is validated against the schema; every problem is a UsageError naming the file and
 * the key.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { importConfigModule, type TypeScriptSupport } from './import-config.js';
import { describeConfigIssues } from './issues.js';
import { parseJsonText } from './json-text.js';
import { configSchema, type LeakhoundConfig } from './schema.js';

/** Looked up in this order in the scanned directory; the first that exists wins. */
export const CONFIG_FILE_NAMES = [
  'leakhound.config.json',
  'leakhound.config.ts',
  'leakhound.config.mts',
  'leakhound.config.js',
  'leakhound.config.mjs',
  'leakhound.config.cjs',
] as const;

/** The key of package.json that may hold the config when no config file exists. */
export const PACKAGE_JSON_KEY = 'leakhound';

export interface LoadedConfig {
  config: LeakhoundConfig;
  /** Absolute path of the file the config came from (package.json for the `leakhound` key). */
  path: string;
}

export interface LoadConfigOptions {
  /** For tests: what the running Node can do with TypeScript. */
  typeScript?: TypeScriptSupport;
}

const HINT = 'run `leakhound scan --help` for the config keys; the full schema is docs/leakhound.config.schema.json';

/**
 * The config for a scan of `dir`: `explicitPath` when given (it must exist), otherwise the
 * first of CONFIG_FILE_NAMES in `dir`, otherwise package.json's `leakhound` key; null when
 * there is none. A package.json that is not valid JSON counts as having no config (the scan
 * reports it as a warning).
 */
export async function loadConfig(dir: string, explicitPath?: string, options: LoadConfigOptions = {}): Promise<LoadedConfig | null> {
  if (explicitPath !== undefined) {
    const path = resolve(explicitPath);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new UsageError(`config file not found: ${explicitPath}`, `the config file names leakhound looks for by itself are ${CONFIG_FILE_NAMES.join(', ')}`);
    }
    if (basename(path) === 'package.json') {
      const config = readPackageJsonConfig(path, { strict: true });
      if (config === undefined) throw new UsageError(`${displayPath(path)} has no "${PACKAGE_JSON_KEY}" key`, HINT);
      return { config: validate(config, `${displayPath(path)} ("${PACKAGE_JSON_KEY}" key)`), path };
    }
    return { config: validate(await readConfigFile(path, options), displayPath(path)), path };
  }

  for (const name of CONFIG_FILE_NAMES) {
    const path = resolve(dir, name);
    if (existsSync(path)) return { config: validate(await readConfigFile(path, options), displayPath(path)), path };
  }
  const packageJson = resolve(dir, 'package.json');
  if (!existsSync(packageJson)) return null;
  const config = readPackageJsonConfig(packageJson, { strict: false });
  if (config === undefined) return null;
  return { config: validate(config, `${displayPath(packageJson)} ("${PACKAGE_JSON_KEY}" key)`), path: packageJson };
}

async function readConfigFile(path: string, options: LoadConfigOptions): Promise<unknown> {
  const name = displayPath(path);
  if (extname(path) === '.json') return parseJsonText(readText(path, name), name);
  return importConfigModule(path, name, options.typeScript);
}

/** The `leakhound` key, or undefined when there is none (or, unless strict, when the file is broken). */
function readPackageJsonConfig(path: string, { strict }: { strict: boolean }): unknown {
  let manifest: unknown;
  try {
    manifest = parseJsonText(readText(path, displayPath(path)), displayPath(path));
  } catch (error) {
    if (strict) throw error;
    return undefined;
  }
  if (typeof manifest !== 'object' || manifest === null || !(PACKAGE_JSON_KEY in manifest)) return undefined;
  return (manifest as Record<string, unknown>)[PACKAGE_JSON_KEY];
}

function validate(input: unknown, name: string): LeakhoundConfig {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = describeConfigIssues(result.error.issues, input);
  throw new UsageError(problems.map((problem) => `${name}: ${problem}`).join('\n'), HINT);
}

function readText(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${name}: could not read it: ${(error as Error).message}`);
  }
}

/** Relative to the working directory when the file is below it: that is how users named it. */
function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
}
