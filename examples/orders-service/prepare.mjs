// Generates the Prisma client of the example (once; ~3 s) from schema.prisma into ./generated.
// Run before the services: `node examples/orders-service/prepare.mjs`. The services create
// their tables themselves at start-up, so any empty PostgreSQL database will do.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const schema = readFileSync(join(here, 'schema.prisma'), 'utf8');
const stamp = join(here, 'generated', '.schema');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === schema) process.exit(0);

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', join(here, 'schema.prisma')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    // `generate` does not need Prisma's schema engine, but the CLI downloads it at start-up
    // unless this names an existing file (offline machines, locked-down CI).
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, schema);
