/**
 * Small real installed-dependency trees on disk, in the shapes npm, pnpm and Yarn classic
 * leave behind. Binaries are short byte strings: the inventory reads names, folders and sizes,
 * never loads them (measure.test.ts uses real addons).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface PackageSpec {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional: boolean }>;
  devDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  main?: string;
  gypfile?: boolean;
  private?: boolean;
  type?: 'module' | 'commonjs';
  exports?: unknown;
  workspaces?: string[];
  /** Files inside the package (relative path → content). */
  files?: Record<string, string>;
}

export function tempProject(t: { after(fn: () => void): void }, prefix = 'leakhound-native-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `<dir>/package.json` (with `name`) and the package's files. */
export function writePackage(dir: string, name: string, spec: PackageSpec = {}): void {
  mkdirSync(dir, { recursive: true });
  const { files, ...manifest } = spec;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: spec.version ?? '1.0.0', ...manifest }, null, 2));
  for (const [file, content] of Object.entries(files ?? {})) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
}

/** A relative symlink, the way pnpm and workspaces link folders. */
export function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(relative(dirname(path), target), path, 'dir');
}

export function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** `bytes` bytes of something that is not a real binary. */
export function fakeBinary(bytes: number): string {
  return 'x'.repeat(bytes);
}
