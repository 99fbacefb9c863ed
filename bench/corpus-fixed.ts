/**
 * The files of the corpus that are not filler: workspace configuration, the shared clients
 * each app constructs once (true sites), the subclasses other files construct, the in-memory
 * fake that declares its own `PrismaClient` (decoy), the docs (decoys for grep) and the
 * Prisma schema with its committed generated client.
 */
import { DOMAINS, MODELS, sentence, type Rng } from './corpus-words.js';
import { pascal, type FileContext } from './corpus-units.js';
import { generatedClientFiles, prismaSchema } from './corpus-prisma.js';
import type { ContextId, ShapeId } from './generate-corpus.js';

export interface FixedFile {
  path: string;
  content: string;
}

/** The in-memory fake (not Prisma) that `local-class-import` decoys import. */
export const LOCAL_CLASS_TS = 'packages/shared/src/testing/in-memory-prisma';

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function fixedFiles(rng: Rng, addSite: (file: string, shape: ShapeId, context: ContextId, callee: string) => string): FixedFile[] {
  const files: FixedFile[] = [];
  const add = (path: string, content: string) => files.push({ path, content });

  add('package.json', json({
    name: 'acme-platform',
    private: true,
    workspaces: ['apps/*', 'packages/*'],
    scripts: {
      build: 'turbo run build',
      dev: 'turbo run dev --parallel',
      test: 'vitest run',
      'test:e2e': 'playwright test',
      'db:generate': 'prisma generate',
      'db:migrate': 'prisma migrate dev',
      lint: 'eslint .',
    },
    devDependencies: { '@playwright/test': '^1.48.0', prisma: '^7.0.0', turbo: '^2.2.0', typescript: '^5.6.0', vitest: '^2.1.0' },
    prisma: { schema: 'prisma/schema.prisma' },
  }));
  add('tsconfig.json', json({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      esModuleInterop: true,
      jsx: 'react-jsx',
      paths: { '@/db/*': ['./packages/db/src/*'], '@acme/shared/*': ['./packages/shared/src/*'] },
    },
    exclude: ['node_modules', '**/dist', '**/.next'],
  }));
  add('.gitignore', 'node_modules/\ndist/\n.next/\ncoverage/\n.env\n*.log\n');
  add('vitest.config.mts', `import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({\n  test: {\n    include: ['**/*.test.ts', '**/*.test.tsx', '**/*.spec.ts'],\n    exclude: ['**/e2e/**', '**/node_modules/**'],\n    environment: 'node',\n  },\n});\n`);
  add('.eslintrc.cjs', `module.exports = {\n  root: true,\n  extends: ['eslint:recommended'],\n  ignorePatterns: ['dist', '.next', 'packages/db/src/generated'],\n};\n`);

  // apps/api
  add('apps/api/package.json', json({ name: '@acme/api', private: true, type: 'module', main: 'dist/server.js', dependencies: { '@acme/db': '*', '@acme/shared': '*', '@prisma/client': '^6.19.0', express: '^4.21.0', zod: '^3.23.0' } }));
  add('apps/api/tsconfig.json', json({ extends: '../../tsconfig.json', compilerOptions: { outDir: 'dist', rootDir: 'src' } }));
  add('apps/api/src/lib/prisma.ts', `import { PrismaClient } from '@prisma/client';

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const prisma =
  globalForPrisma.prisma ??
  ${addSite('apps/api/src/lib/prisma.ts', 'named-import', 'global-singleton', 'PrismaClient')}new PrismaClient({
    log: process.env.NODE_ENV === 'development' ? ['query', 'warn', 'error'] : ['error'],
  });

if (process.env.NODE_ENV !== 'production') {
  globalForPrisma.prisma = prisma;
}

export async function disconnectPrisma(): Promise<void> {
  await prisma.$disconnect();
}
`);
  add('apps/api/src/lib/app-database.ts', `import { PrismaClient, type Prisma } from '@prisma/client';

/**
 * The API's own client class: logging defaults and a tenant helper. Construct it once
 * (see lib/prisma.ts); every instance holds its own connection pool.
 */
export class AppDatabase extends PrismaClient {
  constructor(options: Prisma.PrismaClientOptions = {}) {
    super({ log: ['warn', 'error'], ...options });
  }

  async withTenant<T>(tenantId: string, work: (db: this) => Promise<T>): Promise<T> {
    await this.$executeRaw\`SELECT set_config('app.tenant_id', \${tenantId}, true)\`;
    return work(this);
  }
}
`);
  add('apps/api/src/middleware/auth.ts', `import type { NextFunction, Request, Response } from 'express';

export function requireAuth(req: Request, res: Response, next: NextFunction): void {
  const header = req.header('authorization') ?? '';
  if (!header.startsWith('Bearer ')) {
    res.status(401).json({ error: 'unauthorized' });
    return;
  }
  next();
}
`);
  add('apps/api/src/server.ts', `import express from 'express';
import { logger } from '@acme/shared';
import { disconnectPrisma } from './lib/prisma.js';

const app = express();
app.use(express.json({ limit: '1mb' }));

const server = app.listen(Number(process.env.PORT ?? 3000), () => logger.info('api listening'));

process.on('SIGTERM', () => {
  server.close(async () => {
    await disconnectPrisma();
    process.exit(0);
  });
});
`);

  // apps/worker
  add('apps/worker/package.json', json({ name: '@acme/worker', private: true, type: 'module', dependencies: { '@acme/db': '*', '@acme/shared': '*', bullmq: '^5.12.0', 'node-cron': '^3.0.3' } }));
  add('apps/worker/src/lib/prisma.ts', `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@acme/db';

let client: PrismaClient | undefined;

/** One client per worker process, created on first use. */
export function getPrisma(): PrismaClient {
  client ??= ${addSite('apps/worker/src/lib/prisma.ts', 'workspace-barrel', 'lazy-singleton', 'PrismaClient')}new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' }) });
  return client;
}

export const prisma = new Proxy({} as PrismaClient, {
  get: (_target, key) => Reflect.get(getPrisma(), key),
});
`);
  add('apps/worker/src/lib/redis.ts', `import { Redis } from 'ioredis';\n\nexport const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });\n`);

  // apps/web
  add('apps/web/package.json', json({ name: '@acme/web', private: true, dependencies: { '@acme/db': '*', '@acme/ui': '*', next: '^15.0.0', react: '^19.0.0', 'react-dom': '^19.0.0' } }));
  add('apps/web/tsconfig.json', json({
    extends: '../../tsconfig.json',
    compilerOptions: {
      module: 'ESNext',
      moduleResolution: 'Bundler',
      jsx: 'preserve',
      paths: { '@/db/*': ['../../packages/db/src/*'], '@/*': ['./src/*'] },
      plugins: [{ name: 'next' }],
    },
    include: ['next-env.d.ts', 'src/**/*.ts', 'src/**/*.tsx', 'e2e/**/*.ts'],
  }));
  add('apps/web/next.config.mjs', `/** @type {import('next').NextConfig} */\nconst nextConfig = {\n  reactStrictMode: true,\n  serverExternalPackages: ['@prisma/client'],\n};\n\nexport default nextConfig;\n`);
  add('apps/web/src/lib/db.ts', `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/db/generated/prisma/client';

const globalForDb = globalThis as unknown as { db: PrismaClient | undefined };

export const db =
  globalForDb.db ??
  ${addSite('apps/web/src/lib/db.ts', 'generated-alias', 'global-singleton', 'PrismaClient')}new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' }) });

if (process.env.NODE_ENV !== 'production') globalForDb.db = db;
`);

  // apps/legacy-admin (CommonJS)
  add('apps/legacy-admin/package.json', json({ name: '@acme/legacy-admin', private: true, main: 'src/server.js', dependencies: { '@prisma/client': '^5.22.0', express: '^4.21.0', react: '^18.3.0' } }));
  add('apps/legacy-admin/src/lib/db.js', `'use strict';

const { PrismaClient } = require('@prisma/client');

const prisma = ${addSite('apps/legacy-admin/src/lib/db.js', 'require-destructure', 'module-const', 'PrismaClient')}new PrismaClient({ log: ['warn', 'error'] });

process.on('beforeExit', async () => {
  await prisma.$disconnect();
});

module.exports = { prisma };
`);
  add('apps/legacy-admin/src/lib/logger.js', `'use strict';\n\nconst levels = ['debug', 'info', 'warn', 'error'];\n\nmodule.exports = Object.fromEntries(\n  levels.map((level) => [level, (...args) => console[level === 'debug' ? 'log' : level](\`[\${level}]\`, ...args)]),\n);\n`);
  add('apps/legacy-admin/src/middleware/auth.js', `'use strict';\n\nfunction requireAuth(req, res, next) {\n  if (!req.session || !req.session.userId) {\n    res.status(401).send('unauthorized');\n    return;\n  }\n  next();\n}\n\nmodule.exports = { requireAuth };\n`);
  add('apps/legacy-admin/jest.config.cjs', `module.exports = {\n  testEnvironment: 'node',\n  roots: ['<rootDir>/test'],\n};\n`);

  // packages/db: the workspace package re-exporting the generated client
  add('packages/db/package.json', json({ name: '@acme/db', private: true, type: 'module', main: './src/index.ts', types: './src/index.ts', exports: { '.': './src/index.ts' }, dependencies: { '@prisma/adapter-pg': '^7.0.0', '@prisma/client': '^7.0.0' } }));
  add('packages/db/src/index.ts', `export * from './generated/prisma/client.js';
export { PrismaClient as DatabaseClient } from './generated/prisma/client.js';
export { prisma } from './client.js';
export { ExtendedPrismaClient } from './extended.js';
`);
  add('packages/db/src/client.ts', `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' });

const globalForPrisma = globalThis as unknown as { __acmePrisma?: PrismaClient };

export const prisma = globalForPrisma.__acmePrisma ?? ${addSite('packages/db/src/client.ts', 'generated-relative', 'global-singleton', 'PrismaClient')}new PrismaClient({ adapter });

if (process.env.NODE_ENV !== 'production') globalForPrisma.__acmePrisma = prisma;
`);
  add('packages/db/src/extended.ts', `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

/** A client with a health check; still one pool per instance. */
export class ExtendedPrismaClient extends PrismaClient {
  constructor(connectionString = process.env.DATABASE_URL ?? '') {
    super({ adapter: new PrismaPg({ connectionString }) });
  }

  async ping(): Promise<boolean> {
    await this.$queryRaw\`SELECT 1\`;
    return true;
  }
}
`);

  // packages/shared
  add('packages/shared/package.json', json({ name: '@acme/shared', private: true, type: 'module', main: './src/index.ts', exports: { '.': './src/index.ts', './*': './src/*.ts' } }));
  add('packages/shared/src/index.ts', `export { logger } from './logger.js';\n`);
  add('packages/shared/src/logger.ts', `type Level = 'debug' | 'info' | 'warn' | 'error';

function write(level: Level, fields: unknown, message?: string): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg: message ?? fields, ...(typeof fields === 'object' ? fields : {}) });
  (level === 'error' ? process.stderr : process.stdout).write(\`\${line}\\n\`);
}

export const logger = {
  debug: (fields: unknown, message?: string) => write('debug', fields, message),
  info: (fields: unknown, message?: string) => write('info', fields, message),
  warn: (fields: unknown, message?: string) => write('warn', fields, message),
  error: (fields: unknown, message?: string) => write('error', fields, message),
};
`);
  add('packages/ui/package.json', json({ name: '@acme/ui', private: true, type: 'module', main: './src/index.ts', peerDependencies: { react: '^19.0.0' } }));

  // The in-memory fake that declares its own PrismaClient (imported by local-class-import decoys).
  add(`${LOCAL_CLASS_TS}.ts`, '');

  // Prisma schema and the committed generated client
  const schema = prismaSchema(MODELS, rng);
  add('prisma/schema.prisma', schema.schema);
  for (const [path, content] of generatedClientFiles(MODELS, schema.fields)) add(path, content);
  return files;
}

export function localClassFile(c: FileContext, marks: string[]): string {
  const t = c.T.bind(c);
  const body = `class PrismaClient {
  ${t('private readonly ')}tables = new Map${t('<string, Array<Record<string, unknown>>>')}();

  constructor(${t('private readonly ')}options${t(': { seed?: number }')} = {}) {${c.ts ? '' : '\n    this.options = options;'}}

  table(name${t(': string')}) {
    let rows = this.tables.get(name);
    if (!rows) {
      rows = [];
      this.tables.set(name, rows);
    }
    return rows;
  }

  async $connect()${t(': Promise<void>')} {}

  async $disconnect()${t(': Promise<void>')} {
    this.tables.clear();
  }
}
`;
  const uses = marks.map((mark, i) =>
    i === 0
      ? `\n${c.cjs ? '' : 'export '}const demoDb = ${mark}new PrismaClient({ seed: ${c.rng.int(1, 9)} });\n`
      : `\n${c.cjs ? '' : 'export '}function freshDemoDb${i}() {\n  return ${mark}new PrismaClient();\n}\n`,
  );
  const doc = `/**\n * In-memory stand-in for the database, used by stories, demos and offline tests.\n * It is NOT Prisma: it only mimics the few methods the demos call.\n */\n`;
  if (c.cjs) {
    return `'use strict';\n\n${doc}${body}${uses.join('')}\nmodule.exports = { PrismaClient, demoDb${marks.slice(1).map((_, i) => `, freshDemoDb${i + 1}`).join('')} };\n`;
  }
  return `${doc}export ${body}${uses.join('')}`;
}

export function markdownFiles(rng: Rng, count: number): FixedFile[] {
  const out: FixedFile[] = [];
  out.push({
    path: 'README.md',
    content: `# Acme platform\n\nMonorepo: \`apps/api\` (express), \`apps/worker\` (BullMQ), \`apps/web\` (Next.js), \`packages/db\` (Prisma).\n\n## Database access\n\nImport the shared client; never construct one yourself:\n\n\`\`\`ts\n// wrong\nconst prisma = new PrismaClient();\n\n// right\nimport { prisma } from '@acme/db';\n\`\`\`\n`,
  });
  out.push({
    path: 'docs/database.md',
    content: `# Database\n\nEvery \`new PrismaClient()\` opens its own connection pool (\`num_cpus * 2 + 1\` connections by default).\nWith 12 route files each doing \`const prisma = new PrismaClient()\` and 4 replicas we hit \`max_connections\`.\n\n## The singleton\n\n\`\`\`ts\nconst globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };\nexport const prisma = globalForPrisma.prisma ?? new PrismaClient();\n\`\`\`\n\n## Scripts\n\nScripts may use \`new PrismaClient()\` but must call \`$disconnect()\`.\n`,
  });
  out.push({ path: 'packages/db/README.md', content: `# @acme/db\n\nRe-exports the generated client (\`src/generated/prisma\`) and the shared \`prisma\` instance.\n\n\`\`\`ts\nimport { prisma } from '@acme/db';\n\`\`\`\n\nDo not write \`new PrismaClient()\` in application code.\n` });
  out.push({ path: 'CHANGELOG.md', content: `# Changelog\n\n## 2.14.0\n\n- Worker: reuse one client per process instead of \`new PrismaClient()\` per job.\n- Web: move to the \`prisma-client\` generator.\n\n## 2.13.2\n\n- API: fix a connection leak in the export route.\n` });
  for (let i = 0; i < count; i++) {
    const d = rng.pick(DOMAINS);
    const withSnippet = rng.chance(0.35);
    out.push({
      path: `docs/${rng.pick(['runbooks', 'adr', 'guides'])}/${String(i + 1).padStart(4, '0')}-${d.kp}.md`,
      content: `# ${pascal(d.kp.replace(/-/g, ' '))}\n\n${sentence(rng, d)} ${sentence(rng, d)}\n\n## Steps\n\n1. ${sentence(rng, d)}\n2. ${sentence(rng, d)}\n3. Check the dashboard for ${d.p}.\n${withSnippet ? `\n\`\`\`ts\nconst db = new PrismaClient({ datasourceUrl: process.env.READ_REPLICA_URL });\nawait db.${rng.pick(MODELS).s}.count();\nawait db.$disconnect();\n\`\`\`\n` : ''}`,
    });
  }
  return out;
}
