/**
 * Fixture projects live in test/fixtures/<case>/. Each line that holds a true construction
 * site carries a marker comment `// site: <scope> <category> [singleton]`; the runner compares
 * the scan's sites with the markers exactly, so a missed site and an extra one both fail.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

export interface ExpectedSite {
  file: string;
  line: number;
  scope: string;
  category: string;
  singleton: string | null;
}

const MARKER = /\/\/ site: (module|function) (route|service|job|script|test|other)(?: (globalThis|lazy))?\s*$/;

export function expectedSites(projectDir: string): ExpectedSite[] {
  const out: ExpectedSite[] = [];
  for (const file of listFiles(projectDir)) {
    const lines = readFileSync(join(projectDir, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      const match = MARKER.exec(text);
      if (match) out.push({ file, line: index + 1, scope: match[1]!, category: match[2]!, singleton: match[3] ?? null });
    });
  }
  return out.sort(compareSites);
}

export function compareSites(a: { file: string; line: number }, b: { file: string; line: number }): number {
  return a.file.localeCompare(b.file) || a.line - b.line;
}

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, base));
    else if (/\.[cm]?[jt]sx?$/.test(entry.name)) out.push(relative(base, path).split(sep).join('/'));
  }
  return out;
}

/** A private copy of a fixture (tests may git-init it or write into it). */
export function copyFixture(name: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `leakhound-${name}-`));
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
