/**
 * Assembles a corpus of real-world source code for `run.ts --real`: the published sources of
 * well-known TypeScript and JavaScript projects (installed from the npm registry, pinned below),
 * copied into one git repository. It is real code with real shapes — decorators, JSX, huge
 * switch statements, generated tables — which a generated corpus cannot imitate.
 *
 *   node dist/bench/assemble-real-corpus.js [--out .bench/real] [--files 5000]
 *
 * Deterministic for the pinned versions: files are taken in sorted order until the count is met.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';

/** Packages that publish their sources (TypeScript where they have it), pinned for repeatability. */
const PACKAGES: Record<string, string> = {
  effect: '4.1.0',
  rxjs: '7.8.2',
  typeorm: '1.1.1',
  three: '0.187.0',
  '@mui/material': '9.5.0',
  'date-fns': '4.4.0',
  sequelize: '6.37.8',
  mongoose: '9.12.1',
  antd: '6.6.8',
  'lodash-es': '4.18.1',
};

const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const SKIP = /\.d\.[cm]?ts$|\.min\.[cm]?js$|(?:^|\/)node_modules\//;

function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' }, files: { type: 'string' } } });
  const out = values.out ?? '.bench/real';
  const limit = Number(values.files ?? 5000);
  const install = `${out}-install`;
  if (!existsSync(join(install, 'node_modules'))) {
    mkdirSync(install, { recursive: true });
    const specs = Object.entries(PACKAGES).map(([name, version]) => `${name}@${version}`);
    execFileSync('npm', ['install', '--prefix', install, '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', ...specs], { stdio: 'inherit' });
  }
  rmSync(out, { recursive: true, force: true });
  // Round-robin over the packages so that no single code base dominates the corpus.
  const queues = Object.keys(PACKAGES).map((name) => ({ name, files: listSources(join(install, 'node_modules', name)) }));
  let copied = 0;
  let bytes = 0;
  for (let round = 0; copied < limit && queues.some((q) => q.files.length > round); round++) {
    for (const { name, files } of queues) {
      const file = files[round];
      if (!file || copied >= limit) continue;
      const packageDir = join(install, 'node_modules', name);
      const target = join(out, 'packages', name.replace('/', '__'), relative(packageDir, file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
      bytes += statSync(file).size;
      copied++;
    }
  }
  execFileSync('git', ['init', '-q'], { cwd: out });
  execFileSync('git', ['add', '-A'], { cwd: out });
  execFileSync('git', ['-c', 'user.email=bench@leakhound.invalid', '-c', 'user.name=bench', 'commit', '-qm', 'real corpus'], { cwd: out });
  console.log(`${out}: ${copied} source files, ${(bytes / 1024 / 1024).toFixed(1)} MB from ${Object.keys(PACKAGES).length} packages`);
}

/** Source files under `dir`, sorted, preferring a package's `src/` folder when it ships one. */
function listSources(dir: string): string[] {
  const src = join(dir, 'src');
  const base = existsSync(src) ? src : dir;
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (SOURCE.test(entry.name) && !SKIP.test(relative(dir, path))) {
        out.push(path);
      }
    }
  };
  walk(base);
  return out;
}

main();
