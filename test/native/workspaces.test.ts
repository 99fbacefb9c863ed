import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { workspaceFolders } from '../../src/native/workspaces.js';
import { tempProject, write, writePackage } from './trees.js';

test('workspace globs: *, **, literal folders, exclusions, and folders without package.json ignored', (t) => {
  const root = tempProject(t);
  for (const folder of ['apps/web', 'apps/admin', 'packages/ui', 'packages/tools/cli', 'packages/tools/lint', 'services/billing', 'legacy/old']) {
    writePackage(join(root, folder), folder.replace(/\//g, '-'));
  }
  write(join(root, 'apps/notes/README.md'), 'no package here');
  writePackage(join(root, 'packages/ui/node_modules/dep'), 'dep');
  assert.deepEqual(workspaceFolders(root, { workspaces: ['apps/*', './services/billing/', 'packages/**', '!packages/tools/lint'] }), [
    'apps/admin',
    'apps/web',
    'packages/tools/cli',
    'packages/ui',
    'services/billing',
  ]);
  assert.deepEqual(workspaceFolders(root, { workspaces: { packages: ['apps/w*'] } }), ['apps/web']);
  assert.deepEqual(workspaceFolders(root, { workspaces: 'apps/*' }), [], 'not a list: no workspaces');
  assert.deepEqual(workspaceFolders(root, null), []);
});

test('pnpm-workspace.yaml: block and inline lists, quotes and comments', (t) => {
  const root = tempProject(t);
  for (const folder of ['apps/web', 'packages/db', 'packages/internal']) writePackage(join(root, folder), folder);
  write(join(root, 'pnpm-workspace.yaml'), `packages:\n  - "apps/*" # front ends\n  - 'packages/*'\n  - '!packages/internal'\ncatalog:\n  react: ^19\n`);
  assert.deepEqual(workspaceFolders(root, null), ['apps/web', 'packages/db']);
  write(join(root, 'pnpm-workspace.yaml'), `packages: [apps/*, "packages/db"]\n`);
  assert.deepEqual(workspaceFolders(root, null), ['apps/web', 'packages/db']);
});
