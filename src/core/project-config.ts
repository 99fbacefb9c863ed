/**
 * What a project's own configuration files say that matters to the rules: environment
 * variables in `.env*` files (connection strings, for pool sizes), package.json dependencies
 * and scripts, and the command lines in deploy files (Node flags such as
 * `--heapsnapshot-near-heap-limit`). Everything here is read leniently: a file that cannot be
 * read or parsed is skipped (discovery already warned about broken package.json files).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { redactCredentials } from './redact.js';

export interface EnvVariable {
  value: string;
  /** Relative path of the file that defines it. */
  file: string;
}

/** Files read in this order; the first definition of a variable wins (what production would see first). */
const ENV_FILE_ORDER = ['.env.production.local', '.env.production', '.env.local', '.env', '.env.example', '.env.sample', '.env.template'];

/** Variables from the `.env*` files in `dirs` (relative, `''` for the root); values redacted. */
export function readEnvFiles(root: string, dirs: readonly string[]): Map<string, EnvVariable> {
  const variables = new Map<string, EnvVariable>();
  for (const dir of dirs) {
    let names: Set<string>;
    try {
      names = new Set(readdirSync(join(root, dir)));
    } catch {
      continue;
    }
    for (const name of ENV_FILE_ORDER) {
      if (!names.has(name)) continue;
      const file = dir === '' ? name : `${dir}/${name}`;
      const text = readText(join(root, file));
      if (text === null) continue;
      for (const [key, value] of parseEnv(text)) {
        if (!variables.has(key)) variables.set(key, { value: redactCredentials(value), file });
      }
    }
  }
  return variables;
}

/** dotenv's format: `KEY=value`, optional `export`, quotes, `#` comments. */
export function parseEnv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.indexOf(quote, 1) > 0) value = value.slice(1, value.indexOf(quote, 1));
    else value = value.replace(/\s+#.*$/, '');
    out.set(match[1]!, value);
  }
  return out;
}

export interface PackageManifest {
  file: string;
  dependencies: Set<string>;
  scripts: Map<string, string>;
  main: string | null;
}

export function readPackageManifests(root: string, files: readonly string[]): PackageManifest[] {
  const manifests: PackageManifest[] = [];
  for (const file of files) {
    const text = readText(join(root, file));
    if (text === null) continue;
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const dependencies = new Set<string>();
      for (const key of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
        const deps = json[key];
        if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) dependencies.add(name);
      }
      const scripts = new Map<string, string>();
      if (json.scripts && typeof json.scripts === 'object') {
        for (const [name, command] of Object.entries(json.scripts)) if (typeof command === 'string') scripts.set(name, command);
      }
      manifests.push({ file, dependencies, scripts, main: typeof json.main === 'string' ? json.main : null });
    } catch {
      // discover already warned about a broken package.json
    }
  }
  return manifests;
}

/** A place outside the source code where a command line sets Node flags. */
export interface CommandLine {
  file: string;
  line: number;
  text: string;
}

/** package.json scripts and deploy files, one entry per line that runs or configures Node. */
export function readCommandLines(root: string, manifests: readonly PackageManifest[], deployFiles: readonly string[]): CommandLine[] {
  const out: CommandLine[] = [];
  for (const manifest of manifests) {
    const text = readText(join(root, manifest.file));
    if (text === null) continue;
    const lines = text.split('\n');
    for (const [name, command] of manifest.scripts) {
      const index = lines.findIndex((line) => line.includes(`"${name}"`));
      out.push({ file: manifest.file, line: index + 1 || 1, text: command });
    }
  }
  for (const file of deployFiles) {
    const text = readText(join(root, file));
    if (text === null) continue;
    text.split('\n').forEach((line, index) => {
      if (/node|NODE_OPTIONS|heap/i.test(line)) out.push({ file, line: index + 1, text: line.trim() });
    });
  }
  return out;
}

/** Directories where `.env` files are looked for: the root and every package / schema folder. */
export function envDirectories(files: readonly string[]): string[] {
  return [...new Set(['', ...files.map((file) => posix.dirname(file)).map((dir) => (dir === '.' ? '' : dir))])];
}

function readText(path: string): string | null {
  try {
    const text = readFileSync(path, 'utf8');
    return text.length > 1024 * 1024 ? null : text;
  } catch {
    return null;
  }
}
