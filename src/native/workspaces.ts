/**
 * The workspace packages of a monorepo: package.json `workspaces` (npm, Yarn, Bun; an array
 * or `{ packages: [...] }`) and pnpm-workspace.yaml's `packages:` list. Patterns are the
 * globs those tools accept in practice: literal folders, `*` within a segment, `**` for any
 * depth, and `!pattern` to exclude.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from './package-tree.js';

/** Relative folders (forward slashes, sorted) of the workspace packages below `root`. */
export function workspaceFolders(root: string, manifest: Manifest | null): string[] {
  const patterns = [...manifestPatterns(manifest), ...pnpmPatterns(root)];
  if (patterns.length === 0) return [];
  const include = patterns.filter((pattern) => !pattern.startsWith('!')).map(normalise);
  const exclude = patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => globRegExp(normalise(pattern.slice(1))));
  const found = new Set<string>();
  for (const pattern of include) {
    for (const folder of expand(root, pattern.split('/'))) {
      if (folder !== '' && !exclude.some((regexp) => regexp.test(folder)) && existsSync(join(root, folder, 'package.json'))) found.add(folder);
    }
  }
  return [...found].sort();
}

function manifestPatterns(manifest: Manifest | null): string[] {
  const workspaces = manifest?.workspaces;
  const list = Array.isArray(workspaces) ? workspaces : workspaces && typeof workspaces === 'object' ? (workspaces as { packages?: unknown }).packages : [];
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
}

/** The `packages:` list of pnpm-workspace.yaml, read line by line (it is a flat YAML list). */
function pnpmPatterns(root: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  } catch {
    return [];
  }
  const patterns: string[] = [];
  let inPackages = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      // `packages: [a, b]` on one line.
      const inline = /\[(.*)\]/.exec(line);
      if (inline) {
        patterns.push(...inline[1]!.split(',').map(unquote).filter(Boolean));
        inPackages = false;
      }
      continue;
    }
    if (!inPackages) continue;
    const item = /^\s+-\s*(.+)$/.exec(line);
    if (item) patterns.push(unquote(item[1]!));
    else if (/^\S/.test(line)) inPackages = false;
  }
  return patterns;
}

function unquote(text: string): string {
  return text.trim().replace(/^(['"])(.*)\1$/, '$2');
}

function normalise(pattern: string): string {
  return pattern.replace(/^\.\//, '').replace(/\/+$/, '');
}

/** Folders matching the pattern's segments, never entering node_modules or dot folders. */
function expand(root: string, segments: string[], base = ''): string[] {
  if (segments.length === 0) return [base];
  const [segment, ...rest] = segments as [string, ...string[]];
  if (segment === '**') {
    const results = expand(root, rest, base);
    for (const child of subfolders(join(root, base))) results.push(...expand(root, segments, join2(base, child)));
    return results;
  }
  if (!/[*?[]/.test(segment)) return expand(root, rest, join2(base, segment));
  const regexp = globRegExp(segment);
  return subfolders(join(root, base))
    .filter((child) => regexp.test(child))
    .flatMap((child) => expand(root, rest, join2(base, child)));
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function join2(base: string, child: string): string {
  return base === '' ? child : `${base}/${child}`;
}

/** A glob (`*`, `?`, `**`) as an anchored regular expression over a relative posix path. */
function globRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === '*' && glob[index + 1] === '*') {
      index++;
      if (glob[index + 1] === '/') {
        source += '(?:.*/)?';
        index++;
      } else source += '.*';
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|\\[\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
