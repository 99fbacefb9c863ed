import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scan } from '../../src/core/scan.js';
import { discover, type DiscoveredTree } from '../../src/core/discover.js';
import { UsageError } from '../../src/errors.js';

/** A file's content, a symlink (target as written), or an empty directory. */
type Entry = string | { link: string } | { dir: true };

const createdRoots: string[] = [];
after(() => {
  for (const root of createdRoots) rmSync(root, { recursive: true, force: true });
});

function makeTree(entries: Record<string, Entry>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'leakhound-discover-')));
  createdRoots.push(root);
  for (const [relPath, entry] of Object.entries(entries)) {
    const absPath = join(root, relPath);
    mkdirSync(dirname(absPath), { recursive: true });
    if (typeof entry === 'string') writeFileSync(absPath, entry);
    else if ('link' in entry) symlinkSync(entry.link, absPath);
    else mkdirSync(absPath, { recursive: true });
  }
  return root;
}

function runGit(root: string, ...args: string[]): void {
  execFileSync('git', ['-C', root, ...args], { stdio: 'ignore' });
}

/** A real repository: everything present is committed, then `untracked` files are added. */
function initRepo(root: string, untracked: Record<string, string> = {}): void {
  runGit(root, 'init', '-q');
  runGit(root, 'config', 'user.email', 'test@example.com');
  runGit(root, 'config', 'user.name', 'leakhound test');
  runGit(root, 'config', 'commit.gpgsign', 'false');
  runGit(root, 'add', '-A');
  runGit(root, 'commit', '-q', '-m', 'fixture', '--allow-empty');
  for (const [relPath, content] of Object.entries(untracked)) {
    mkdirSync(dirname(join(root, relPath)), { recursive: true });
    writeFileSync(join(root, relPath), content);
  }
}

const walkOnly = (root: string, ignore?: string[]) => discover({ root, useGit: false, ...(ignore ? { ignore } : {}) });

function warningsOf(tree: DiscoveredTree, kind: string): { file: string | null; message: string }[] {
  return tree.warnings.filter((warning) => warning.kind === kind).map(({ file, message }) => ({ file, message }));
}

describe('discover: which files are source files', () => {
  it('keeps every JS/TS extension, drops declarations, minified bundles and other files, and sorts', async () => {
    const root = makeTree({
      'src/z.ts': '', 'src/a.tsx': '', 'src/b.mts': '', 'src/c.cts': '', 'src/d.js': '', 'src/e.jsx': '',
      'src/f.mjs': '', 'src/g.cjs': '', 'src/types.d.ts': '', 'src/esm.d.mts': '', 'src/cjs.d.cts': '',
      'public/vendor.min.js': '', 'README.md': '', 'src/data.json': '', 'src/style.css': '',
    });
    const tree = await walkOnly(root);
    assert.deepEqual(tree.sourceFiles, [
      'src/a.tsx', 'src/b.mts', 'src/c.cts', 'src/d.js', 'src/e.jsx', 'src/f.mjs', 'src/g.cjs', 'src/z.ts',
    ]);
    assert.equal(tree.root, root);
    assert.equal(tree.usedGit, false);
    assert.deepEqual(tree.warnings, []);
  });

  it('skips build output by directory name at any depth and counts it', async () => {
    const root = makeTree({
      'src/index.ts': '',
      'dist/index.js': '', 'dist/index.d.ts': '', 'apps/web/.next/server/page.js': '',
      'packages/a/build/x.js': '', 'packages/a/src/ok.ts': '', 'coverage/lcov-report/prettify.js': '',
      'src/distribution/fine.ts': '', 'dist/package.json': '{}', 'packages/a/package.json': '{}',
    });
    const tree = await walkOnly(root);
    assert.deepEqual(tree.sourceFiles, ['packages/a/src/ok.ts', 'src/distribution/fine.ts', 'src/index.ts']);
    // The .d.ts is not a source file, so it is not counted as skipped either.
    assert.deepEqual(tree.skipped, { buildOutput: 4, generated: 0 });
    assert.deepEqual(tree.packageJsonFiles, ['packages/a/package.json']);
  });

  it('never looks inside node_modules, even one that is committed', async () => {
    const root = makeTree({
      'index.ts': '',
      'node_modules/pg/lib/index.js': '', 'node_modules/pg/package.json': '{}',
      'packages/api/node_modules/.prisma/client/index.js': '', 'packages/api/src/app.ts': '',
    });
    initRepo(root);
    for (const tree of [await discover({ root }), await walkOnly(root)]) {
      assert.deepEqual(tree.sourceFiles, ['index.ts', 'packages/api/src/app.ts']);
      assert.deepEqual(tree.packageJsonFiles, []);
      assert.deepEqual(tree.skipped, { buildOutput: 0, generated: 0 });
    }
  });

  it('applies the extra ignore patterns relative to the root, without counting them', async () => {
    const root = makeTree({
      'src/a.ts': '', 'src/legacy/old.ts': '', 'scripts/seed.ts': '', 'lib/legacy/keep.ts': '',
    });
    const tree = await walkOnly(root, ['/src/legacy/', 'scripts']);
    assert.deepEqual(tree.sourceFiles, ['lib/legacy/keep.ts', 'src/a.ts']);
    assert.deepEqual(tree.skipped, { buildOutput: 0, generated: 0 });
  });

  it('lists package.json, tsconfig*.json and jsconfig.json files', async () => {
    const root = makeTree({
      'package.json': '{}', 'tsconfig.json': '{}', 'tsconfig.build.json': '{}', 'apps/web/jsconfig.json': '{}',
      'apps/api/package.json': '{}', 'apps/api/tsconfig.app.json': '{}', 'notatsconfig.json': '{}',
      'build/tsconfig.json': '{}',
    });
    const tree = await walkOnly(root);
    assert.deepEqual(tree.packageJsonFiles, ['apps/api/package.json', 'package.json']);
    assert.deepEqual(tree.tsconfigFiles, ['apps/api/tsconfig.app.json', 'apps/web/jsconfig.json', 'tsconfig.build.json', 'tsconfig.json']);
  });

  it('rejects a root that does not exist or is a file as a usage error', async () => {
    const root = makeTree({ 'file.ts': '' });
    await assert.rejects(discover({ root: join(root, 'missing') }), UsageError);
    await assert.rejects(discover({ root: join(root, 'file.ts') }), UsageError);
  });
});

describe('discover: .gitignore files in the walker', () => {
  const gitignoreTree = (): string =>
    makeTree({
      '.gitignore': '*.log\n/tmp/\nsecret*.ts\n!secret-ok.ts\ngenerated/\n',
      'src/app.ts': '', 'src/secret-key.ts': '', 'src/secret-ok.ts': '', 'debug.log': '',
      'tmp/scratch.ts': '', 'src/tmp/kept.ts': '', 'src/generated/x.ts': '', 'src/generated.ts': '',
      // Nested: anchored patterns are relative to this directory, negation re-includes a file the
      // root file ignores, and its rules do not leak into sibling directories.
      'packages/api/.gitignore': '/local.ts\n!secret-api.ts\n*.snap.ts\nfixtures/\n',
      'packages/api/local.ts': '', 'packages/api/src/local.ts': '', 'packages/api/secret-api.ts': '',
      'packages/api/x.snap.ts': '', 'packages/api/fixtures/f.ts': '',
      'packages/web/x.snap.ts': '', 'packages/web/fixtures/f.ts': '', 'packages/web/secret-api.ts': '',
      // A deeper file wins over a shallower one: this re-includes what packages/api ignores.
      'packages/api/deep/.gitignore': '!*.snap.ts\n',
      'packages/api/deep/y.snap.ts': '',
    });

  const expected = [
    'packages/api/deep/y.snap.ts',
    'packages/api/secret-api.ts',
    'packages/api/src/local.ts',
    'packages/web/fixtures/f.ts',
    'packages/web/x.snap.ts',
    'src/app.ts',
    'src/generated.ts',
    'src/secret-ok.ts',
    'src/tmp/kept.ts',
  ];

  it('honours nested .gitignore files with anchors, negations and directory-only patterns', async () => {
    const tree = await walkOnly(gitignoreTree());
    assert.deepEqual(tree.sourceFiles, expected);
    assert.deepEqual(tree.warnings, []);
  });

  it('gives the same source files as git on the same tree', async () => {
    const root = gitignoreTree();
    initRepo(root, { 'src/untracked.ts': '', 'src/secret-untracked.ts': '' });
    const [withGit, withWalker] = [await discover({ root }), await walkOnly(root)];
    assert.equal(withGit.usedGit, true);
    assert.equal(withWalker.usedGit, false);
    assert.deepEqual(withGit.sourceFiles, [...expected, 'src/untracked.ts'].sort());
    assert.deepEqual(withWalker.sourceFiles, withGit.sourceFiles);
  });
});

describe('discover: git mode', () => {
  it('tolerates files that are tracked but deleted from disk', async () => {
    // Listing them is cheaper than asking git for deleted files (which stats every file);
    // the reader skips them quietly, and a deleted schema is no warning.
    const root = makeTree({ 'a.ts': '', 'gone.ts': "import { PrismaClient } from '@prisma/client';\nnew PrismaClient();\n", 'prisma/schema.prisma': 'generator client {\n provider = "prisma-client-js"\n}\n' });
    initRepo(root);
    unlinkSync(join(root, 'gone.ts'));
    rmSync(join(root, 'prisma'), { recursive: true });
    const tree = await discover({ root });
    assert.equal(tree.usedGit, true);
    assert.deepEqual(tree.warnings, []);
    const report = await scan({ root });
    assert.deepEqual(report.clients, []);
    assert.deepEqual(report.warnings, []);
  });

  it('scans a subdirectory of a repository with paths relative to it', async () => {
    const root = makeTree({ 'apps/api/src/main.ts': '', 'apps/web/page.tsx': '', 'apps/api/.gitignore': 'tmp/\n', 'apps/api/tmp/x.ts': '' });
    initRepo(root);
    const tree = await discover({ root: join(root, 'apps/api') });
    assert.equal(tree.usedGit, true);
    assert.deepEqual(tree.sourceFiles, ['src/main.ts']);
  });

  it('falls back to the walker for a directory the repository ignores', async () => {
    const root = makeTree({ '.gitignore': 'examples/\n', 'examples/app/index.ts': '', 'src/a.ts': '' });
    initRepo(root);
    const tree = await discover({ root: join(root, 'examples/app') });
    assert.equal(tree.usedGit, false);
    assert.deepEqual(tree.sourceFiles, ['index.ts']);
  });

  it('falls back to the walker outside a work tree', async () => {
    const tree = await discover({ root: makeTree({ 'a.ts': '' }) });
    assert.equal(tree.usedGit, false);
    assert.deepEqual(tree.sourceFiles, ['a.ts']);
  });

  it('does not follow a symlinked directory, as git does not', async () => {
    const root = makeTree({ 'shared/util.ts': '', 'app/lib': { link: '../shared' }, 'app/main.ts': '' });
    initRepo(root);
    const tree = await discover({ root });
    assert.equal(tree.usedGit, true);
    assert.deepEqual(tree.sourceFiles, ['app/main.ts', 'shared/util.ts']);
  });
});

describe('discover: symlinks in the walker', () => {
  it('reports a loop (a link to its own parent) and goes on', async () => {
    const root = makeTree({ 'src/a.ts': '', 'src/loop': { link: '..' }, 'src/self': { link: '.' } });
    const tree = await walkOnly(root);
    assert.deepEqual(tree.sourceFiles, ['src/a.ts']);
    const warnings = warningsOf(tree, 'symlink');
    assert.deepEqual(warnings.map((warning) => warning.file), ['src/loop', 'src/self']);
    assert.match(warnings[0]!.message, /loop/);
  });

  it('reports a dangling symlink and a link to itself, and goes on', async () => {
    const root = makeTree({ 'a.ts': '', 'broken.ts': { link: 'missing.ts' }, 'dir/gone': { link: '../nowhere' }, 'me': { link: 'me' } });
    const tree = await walkOnly(root);
    assert.deepEqual(tree.sourceFiles, ['a.ts']);
    const warnings = warningsOf(tree, 'symlink');
    assert.deepEqual(warnings.map((warning) => warning.file).sort(), ['broken.ts', 'dir/gone', 'me']);
    assert.match(warnings.find((warning) => warning.file === 'broken.ts')!.message, /dangling.*missing\.ts/);
  });

  it('follows symlinked directories and files, listing a directory reached twice only once', async () => {
    const outside = makeTree({ 'lib/db.ts': '', 'lib/.gitignore': 'ignored.ts\n', 'lib/ignored.ts': '' });
    const root = makeTree({
      'packages/shared/index.ts': '',
      'apps/api/shared': { link: '../../packages/shared' },
      'apps/api/vendor': { link: join(outside, 'lib') },
      'apps/api/alias.ts': { link: '../../packages/shared/index.ts' },
    });
    const tree = await walkOnly(root);
    assert.deepEqual(tree.sourceFiles, ['apps/api/alias.ts', 'apps/api/vendor/db.ts', 'packages/shared/index.ts']);
    assert.deepEqual(tree.warnings, []);
  });

  it('reports an unreadable directory and goes on', { skip: process.getuid?.() === 0 && 'root can read every directory' }, async () => {
    const root = makeTree({ 'a.ts': '', 'locked/b.ts': '' });
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const tree = await walkOnly(root);
      assert.deepEqual(tree.sourceFiles, ['a.ts']);
      assert.deepEqual(warningsOf(tree, 'read').map((warning) => warning.file), ['locked']);
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  });
});

const TWO_GENERATORS = `generator client {
  provider = "prisma-client-js"
}

generator app {
  provider = "prisma-client"
  output   = "../src/generated/prisma"
}
`;

describe('discover: Prisma generators', () => {
  it('reads generators, skips files in their output and counts them', async () => {
    const root = makeTree({
      'prisma/schema.prisma': TWO_GENERATORS,
      'src/generated/prisma/client.ts': '', 'src/generated/prisma/internal/class.ts': '',
      'src/generated/prisma-helpers.ts': '', 'src/db.ts': '',
      'dist/generated/prisma/client.js': '',
    });
    const tree = await walkOnly(root);
    assert.deepEqual(tree.prismaGenerators, [
      { schemaFile: 'prisma/schema.prisma', name: 'client', provider: 'prisma-client-js', output: null },
      { schemaFile: 'prisma/schema.prisma', name: 'app', provider: 'prisma-client', output: 'src/generated/prisma' },
    ]);
    assert.deepEqual(tree.generatedClientDirs, ['src/generated/prisma']);
    assert.deepEqual(tree.sourceFiles, ['src/db.ts', 'src/generated/prisma-helpers.ts']);
    assert.deepEqual(tree.skipped, { buildOutput: 1, generated: 2 });
  });

  it('reports generator outputs even when they are git-ignored, missing or outside the root', async () => {
    const root = makeTree({
      '.gitignore': 'src/generated/\n',
      'prisma/schema.prisma': TWO_GENERATORS,
      'db/schema.prisma': 'generator c {\n  provider = "prisma-client"\n  output = "../../shared/client"\n}\n',
      'src/generated/prisma/client.ts': '',
      'src/app.ts': '',
    });
    initRepo(root);
    const tree = await discover({ root });
    assert.equal(tree.usedGit, true);
    assert.deepEqual(tree.generatedClientDirs, ['../shared/client', 'src/generated/prisma']);
    assert.deepEqual(tree.sourceFiles, ['src/app.ts']);
    // Git never listed the ignored client, so there was nothing to skip.
    assert.deepEqual(tree.skipped, { buildOutput: 0, generated: 0 });
  });

  it("ignores prisma-client-js's copy of the schema inside its output directory", async () => {
    const schema = 'generator client {\n  provider = "prisma-client-js"\n  output = "../generated/client"\n}\n';
    const root = makeTree({ 'prisma/schema.prisma': schema, 'generated/client/schema.prisma': schema, 'generated/client/index.js': '' });
    const tree = await walkOnly(root);
    assert.deepEqual(tree.prismaGenerators, [
      { schemaFile: 'prisma/schema.prisma', name: 'client', provider: 'prisma-client-js', output: 'generated/client' },
    ]);
    assert.deepEqual(tree.skipped, { buildOutput: 0, generated: 1 });
  });

  it('follows prisma.config.ts to a git-ignored multi-file schema folder', async () => {
    const root = makeTree({
      '.gitignore': 'db/\n',
      'apps/api/prisma.config.ts': `import { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: '../../db/schema' });\n`,
      'db/schema/base.prisma': 'generator client {\n  provider = "prisma-client"\n  output = "../../apps/api/src/generated/prisma"\n}\n',
      'db/schema/models/user.prisma': 'model User {\n  id Int @id\n}\n',
      'apps/api/src/generated/prisma/client.ts': '',
      'apps/api/src/main.ts': '',
    });
    initRepo(root);
    const tree = await discover({ root });
    assert.deepEqual(tree.prismaGenerators, [
      { schemaFile: 'db/schema/base.prisma', name: 'client', provider: 'prisma-client', output: 'apps/api/src/generated/prisma' },
    ]);
    assert.deepEqual(tree.sourceFiles, ['apps/api/prisma.config.ts', 'apps/api/src/main.ts']);
    assert.deepEqual(tree.skipped, { buildOutput: 0, generated: 1 });
  });

  it('warns about a config naming a missing schema, a broken schema and an env() output, and goes on', async () => {
    const root = makeTree({
      '.config/prisma.ts': `export default { schema: 'nope.prisma' };\n`,
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\ngenerator client {\n  provider = "prisma-client-js"\n',
      'other/schema.prisma': 'generator client {\n  provider = "prisma-client"\n  output = env("OUT")\n}\n',
      'good/schema.prisma': 'generator client {\n  provider = "prisma-client"\n  output = "gen"\n}\n',
      'src/a.ts': '',
    });
    const tree = await walkOnly(root);
    assert.deepEqual(tree.sourceFiles, ['.config/prisma.ts', 'src/a.ts']);
    assert.deepEqual(tree.generatedClientDirs, ['good/gen']);
    const warnings = tree.warnings.filter((warning) => warning.kind === 'config');
    assert.deepEqual(warnings.map((warning) => [warning.file, warning.line]), [
      ['.config/prisma.ts', undefined],
      ['other/schema.prisma', undefined],
      ['prisma/schema.prisma', 4],
    ]);
    assert.match(warnings[0]!.message, /nope\.prisma.*does not exist/);
    assert.match(warnings[1]!.message, /env\(\)/);
    assert.match(warnings[2]!.message, /unterminated block `generator client`/);
  });
});

describe('discover: heap snapshots', () => {
  it('finds heap snapshots with their sizes, even git-ignored ones, but not in node_modules', async () => {
    const root = makeTree({
      '.gitignore': '*.heapsnapshot\nheapdumps/\nnode_modules/\n',
      'src/a.ts': '',
      'Heap.20240101.heapsnapshot': 'x'.repeat(1234),
      'heapdumps/2024/run.heapsnapshot': 'y'.repeat(10),
      'docs/example.heapsnapshot': 'z'.repeat(7),
      'node_modules/pkg/fixture.heapsnapshot': 'n',
    });
    initRepo(root);
    // A snapshot someone committed on purpose is listed like any tracked file.
    runGit(root, 'add', '-f', 'docs/example.heapsnapshot');
    const expected = [
      { file: 'Heap.20240101.heapsnapshot', bytes: 1234 },
      { file: 'docs/example.heapsnapshot', bytes: 7 },
      { file: 'heapdumps/2024/run.heapsnapshot', bytes: 10 },
    ];
    const withGit = await discover({ root, heapSnapshots: true });
    assert.equal(withGit.usedGit, true);
    assert.deepEqual(await withGit.heapSnapshots, expected);
    assert.deepEqual(await (await discover({ root, useGit: false, heapSnapshots: true })).heapSnapshots, expected);
    assert.deepEqual(await (await discover({ root })).heapSnapshots, [], 'only when asked for');
  });
});
