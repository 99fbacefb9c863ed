/**
 * How fast `leakhound native` inventories a node_modules, against what people run instead:
 * `find node_modules -name '*.node'` (which knows nothing of versions, reachability or wasm).
 *
 *   npm run build && node dist/bench/native.js                  # generated tree, 1,500 packages
 *   node dist/bench/native.js --packages 3000
 *   node dist/bench/native.js --dir /path/to/a/real/project     # a real install
 *
 * The generated tree has the shape of a real one: scoped and nested packages, a few folders
 * and a dozen files each, and one package in fifty with native code. Figures are medians.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { scanNativeAddons } from '../src/native/inventory.js';

const { values } = parseArgs({ options: { packages: { type: 'string' }, dir: { type: 'string' }, runs: { type: 'string' } } });
const runs = Number(values.runs ?? 5);

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** A node_modules of `count` packages; returns the project folder. */
function generate(count: number): string {
  const root = mkdtempSync(join(tmpdir(), 'leakhound-native-bench-'));
  const names = Array.from({ length: count }, (_, index) => (index % 7 === 0 ? `@scope${index % 13}/pkg-${index}` : `pkg-${index}`));
  const direct = names.filter((_, index) => index % 10 === 0);
  write(join(root, 'package.json'), JSON.stringify({ name: 'bench-app', dependencies: Object.fromEntries(direct.map((name) => [name, '^1.0.0'])) }));
  names.forEach((name, index) => {
    // One in twenty is installed nested under the package that needs it.
    const parent = index % 20 === 5 && index > 0 ? `node_modules/${names[index - 1]}/` : '';
    const dir = join(root, parent, 'node_modules', name);
    const dependencies = Object.fromEntries([1, 2, 3].map((step) => names[(index * 7 + step * 31) % count]!).filter((dep) => dep !== name).map((dep) => [dep, '^1.0.0']));
    write(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', description: 'x'.repeat(200), dependencies }));
    for (const file of ['index.js', 'README.md', 'LICENSE', 'lib/a.js', 'lib/b.js', 'lib/util/c.js', 'lib/util/d.js', 'dist/esm/index.js', 'dist/cjs/index.js', 'types/index.d.ts']) {
      write(join(dir, file), '// generated\n');
    }
    if (index % 50 === 0) {
      write(join(dir, 'binding.gyp'), '{}');
      write(join(dir, `prebuilds/linux-x64/${index}.node`), 'x'.repeat(4096));
      write(join(dir, `prebuilds/darwin-arm64/${index}.node`), 'x'.repeat(4096));
    }
  });
  return root;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

const generated = values.dir === undefined;
const root = values.dir ?? generate(Number(values.packages ?? 1500));
try {
  const leakhoundTimes: number[] = [];
  let summary = '';
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const inventory = await scanNativeAddons({ root, useGit: false });
    leakhoundTimes.push(performance.now() - started);
    summary = `${inventory.summary.packages} packages, ${inventory.summary.addons} native`;
  }
  const findTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    spawnSync('find', [join(root, 'node_modules'), '-name', '*.node'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    findTimes.push(performance.now() - started);
  }
  const ours = median(leakhoundTimes);
  const theirs = median(findTimes);
  console.log(`node ${process.version} · ${summary} · medians of ${runs}`);
  console.log(`leakhound native        ${(ours / 1000).toFixed(3)} s`);
  console.log(`find -name '*.node'     ${(theirs / 1000).toFixed(3)} s`);
  console.log(`ratio                   ${(ours / theirs).toFixed(2)}× find`);
} finally {
  if (generated) rmSync(root, { recursive: true, force: true });
}
