/**
 * A real Prisma 7 client for tests, generated from a small schema (User 1—n Post) by the
 * repository's own `prisma` devDependency, plus the SQL that creates its tables (migrations
 * cannot run here: no schema engine, see /work/shared/notes).
 *
 * ```ts
 * const prisma = await generatePrismaClient();             // prisma-client-js, CommonJS
 * const esm = await generatePrismaClient({ generator: 'prisma-client' }); // ESM, compiled
 * const { PrismaClient } = await import(prisma.entry);
 * await createTables(databaseUrl);
 * ```
 *
 * Generation takes ~2 s, so the output is cached under the OS temp dir, keyed by the schema,
 * generator and Prisma version, and shared by test files and runs. A cache entry appears
 * atomically (generated elsewhere, then renamed into place), so concurrent test processes
 * never see half of one.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { repoRoot } from './paths.js';

export type PrismaGenerator = 'prisma-client-js' | 'prisma-client';

export interface GeneratedPrismaClient {
  /** Directory of the generated client (with a `node_modules` link to the repository's). */
  dir: string;
  /** `file:` URL of the module that exports `PrismaClient`: `import(entry)`. */
  entry: string;
  generator: PrismaGenerator;
}

/** The models of {@link SCHEMA}, as the SQL that creates their tables. */
export const SCHEMA_SQL = `
CREATE TABLE "User" (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text);
CREATE TABLE "Post" (id serial PRIMARY KEY, title text NOT NULL, "authorId" integer NOT NULL REFERENCES "User"(id));
`;

const MODELS = `
datasource db {
  provider = "postgresql"
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}
`;

/** Generates (or reuses) a client for the test schema with the given generator. */
export function generatePrismaClient(options: { generator?: PrismaGenerator } = {}): GeneratedPrismaClient {
  const generator = options.generator ?? 'prisma-client-js';
  const prismaVersion = (JSON.parse(readFileSync(join(repoRoot, 'node_modules/prisma/package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(`${generator}\n${prismaVersion}\n${MODELS}\n${repoRoot}`).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `leakhound-prisma-${key}`);
  const entry = pathToFileURL(join(dir, generator === 'prisma-client-js' ? 'generated/index.js' : 'compiled/client.js')).href;
  if (!existsSync(join(dir, 'complete'))) build(dir, generator);
  return { dir, entry, generator };
}

function build(finalDir: string, generator: PrismaGenerator): void {
  const work = mkdtempSync(`${finalDir}-work-`);
  try {
    symlinkSync(join(repoRoot, 'node_modules'), join(work, 'node_modules'), 'dir');
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'leakhound-test-prisma', private: true, type: generator === 'prisma-client' ? 'module' : 'commonjs' }));
    const block =
      generator === 'prisma-client-js'
        ? 'generator client {\n  provider = "prisma-client-js"\n  output   = "./generated"\n}\n'
        : 'generator client {\n  provider     = "prisma-client"\n  output       = "./generated"\n  moduleFormat = "esm"\n}\n';
    writeFileSync(join(work, 'schema.prisma'), block + MODELS);
    run(work, [join(repoRoot, 'node_modules/prisma/build/index.js'), 'generate', '--schema', 'schema.prisma'], {
      // The schema engine cannot be downloaded here and `generate` does not need it.
      PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      PRISMA_GENERATE_SKIP_AUTOINSTALL: '1',
    });
    if (generator === 'prisma-client') {
      // The `prisma-client` generator writes TypeScript with .ts import specifiers.
      writeFileSync(
        join(work, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', rewriteRelativeImportExtensions: true, skipLibCheck: true, noCheck: true, types: [], outDir: 'compiled', rootDir: 'generated' },
          include: ['generated/**/*.ts'],
        }),
      );
      run(work, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {});
    }
    writeFileSync(join(work, 'complete'), '');
    try {
      renameSync(work, finalDir);
    } catch (error) {
      // Another process finished first: its copy is as good as ours.
      if (!existsSync(join(finalDir, 'complete'))) throw error;
      rmSync(work, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

function run(cwd: string, args: string[], env: Record<string, string>): void {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${args.slice(0, 2).join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** Creates the schema's tables in the database at `url`. */
export async function createTables(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(SCHEMA_SQL);
  } finally {
    await client.end();
  }
}

/** A fresh database on the server, with the schema's tables: one per test file keeps them apart. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  await createTables(url.href);
  return url.href;
}
