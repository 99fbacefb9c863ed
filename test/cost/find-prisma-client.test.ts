/** Finding the generated client a project's schema points at, the way Prisma finds the schema. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { findGeneratedPrismaClient } from '../../src/cost/find-prisma-client.js';

function project(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'leakhound-find-prisma-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

const generator = (provider: string, output: string) => `generator client {\n  provider = "${provider}"\n  output   = "${output}"\n}\n`;

test('prisma-client-js with an output: its index.js, resolved from the schema folder', (t) => {
  const root = project(t, { 'prisma/schema.prisma': generator('prisma-client-js', '../src/generated/db'), 'src/generated/db/index.js': '' });
  assert.equal(findGeneratedPrismaClient(root), join(root, 'src/generated/db/index.js'));
});

test('the prisma-client generator: found once compiled to client.js, not as TypeScript', (t) => {
  const typescript = project(t, { 'schema.prisma': generator('prisma-client', './generated'), 'generated/client.ts': '' });
  assert.equal(findGeneratedPrismaClient(typescript), null);
  const compiled = project(t, { 'schema.prisma': generator('prisma-client', './generated'), 'generated/client.ts': '', 'generated/client.js': '' });
  assert.equal(findGeneratedPrismaClient(compiled), join(compiled, 'generated/client.js'));
});

test('a schema folder named by prisma.config.ts', (t) => {
  const root = project(t, {
    'prisma.config.ts': "import { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: 'db/schema' });\n",
    'db/schema/models.prisma': 'model User {\n  id Int @id\n}\n',
    'db/schema/main.prisma': generator('prisma-client-js', '../../out'),
    'out/index.js': '',
  });
  assert.equal(findGeneratedPrismaClient(root), join(root, 'out/index.js'));
});

test('no output, no schema, or a broken schema: null (then @prisma/client is tried)', (t) => {
  assert.equal(findGeneratedPrismaClient(project(t, { 'prisma/schema.prisma': 'generator client {\n  provider = "prisma-client-js"\n}\n' })), null);
  assert.equal(findGeneratedPrismaClient(project(t, { 'package.json': '{}' })), null);
  assert.equal(findGeneratedPrismaClient(project(t, { 'prisma/schema.prisma': 'generator client {' })), null);
});
