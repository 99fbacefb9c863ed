/**
 * Where a project's generated Prisma client is, when its schema says: a generator with an
 * `output` writes the client there, and the application imports it from there rather than from
 * `@prisma/client`. Only JavaScript that Node can load is returned (`prisma-client-js` writes
 * `index.js`; the `prisma-client` generator writes TypeScript, which is found once compiled
 * next to it as `client.js`). The schema is looked for where Prisma looks: the path a
 * `prisma.config.*` names, `prisma/schema.prisma`, `schema.prisma`, or a `prisma/` folder of
 * `.prisma` files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parsePrismaGenerators, readPrismaConfigSchema } from '../core/prisma-schema.js';

// Prisma's two config locations, each in every module flavour.
const CONFIG_FILES = ['prisma.config', '.config/prisma'].flatMap((base) => ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((extension) => `${base}.${extension}`));
const ENTRIES: Record<string, string[]> = { 'prisma-client-js': ['index.js'], 'prisma-client': ['client.js', 'client.mjs'] };

/** The generated client module the project's schema points at, or null. */
export function findGeneratedPrismaClient(projectDir: string): string | null {
  for (const schemaFile of schemaFiles(projectDir)) {
    let generators;
    try {
      generators = parsePrismaGenerators(readFileSync(schemaFile, 'utf8'));
    } catch {
      // A schema Prisma itself would reject: nothing to find in it.
      continue;
    }
    for (const generator of generators) {
      if (generator.output === null) continue;
      const output = resolve(dirname(schemaFile), generator.output);
      for (const entry of ENTRIES[generator.provider] ?? []) {
        if (existsSync(join(output, entry))) return join(output, entry);
      }
    }
  }
  return null;
}

function schemaFiles(projectDir: string): string[] {
  for (const name of CONFIG_FILES) {
    const config = join(projectDir, name);
    if (!existsSync(config)) continue;
    try {
      const named = readPrismaConfigSchema(name, readFileSync(config, 'utf8'));
      if (named !== null) return prismaFilesAt(resolve(projectDir, named));
    } catch {
      // An unreadable config: fall back to the default places, as a missing one would.
    }
  }
  const candidates = [join(projectDir, 'prisma/schema.prisma'), join(projectDir, 'schema.prisma')].filter((file) => existsSync(file));
  return candidates.length > 0 ? candidates : prismaFilesAt(join(projectDir, 'prisma'));
}

/** A schema file, or the `.prisma` files directly in a schema folder. */
function prismaFilesAt(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.prisma'))
    .sort()
    .map((name) => join(path, name));
}
