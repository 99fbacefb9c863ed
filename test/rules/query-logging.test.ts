/**
 * query-logging: query-level logging switched on unconditionally in service code — on the
 * construction (Prisma `log`, knex `debug`, TypeORM `logging`, Sequelize's default) and by
 * calls (`$on('query')`, `mongoose.set('debug', true)`). Development-only logging, tests and
 * scripts stay quiet.
 */
import { ruleCases } from '../helpers/rule-cases.js';

const ONLY_IN_DEVELOPMENT = /in production\. Enable it only when NODE_ENV is development\.$/;

ruleCases('query-logging', {
  valid: [
    {
      name: "Prisma: log: ['query'] only when NODE_ENV is development (ternary)",
      files: {
        'src/lib/prisma.ts': `import { PrismaClient } from '@prisma/client';

export const prisma = new PrismaClient({
  log: process.env.NODE_ENV === 'development' ? ['query', 'error', 'warn'] : ['error'],
});
`,
      },
    },
    {
      name: "Prisma: event logging and $on('query') both behind a development check (if)",
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';

const isDev = process.env.NODE_ENV === 'development';

export const prisma = new PrismaClient({
  log: isDev ? [{ level: 'query', emit: 'event' }] : [],
});

if (process.env.NODE_ENV === 'development') {
  prisma.$on('query', (e) => {
    console.log(\`\${e.query} (\${e.duration} ms)\`);
  });
}
`,
      },
    },
    {
      name: "$on('query') under if (isDev) and under process.env.DEBUG_SQL &&",
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';

const isDev = process.env.NODE_ENV !== 'production';
export const prisma = new PrismaClient();

if (isDev) prisma.$on('query', (e) => console.log(e.query));
process.env.DEBUG_SQL && prisma.$on('query', (e) => console.log(e.params));
`,
      },
    },
    {
      name: "Prisma: warn and error only; $on('error') is not query logging",
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';

export const prisma = new PrismaClient({ log: ['warn', 'error'] });

prisma.$on('error', (e) => console.error(e.message));
`,
      },
    },
    {
      name: 'knex and TypeORM with development-only flags',
      files: {
        'src/db/knex.js': `const knex = require('knex');

module.exports = knex({
  client: 'pg',
  connection: process.env.DATABASE_URL,
  debug: process.env.NODE_ENV === 'development',
});
`,
        'src/data-source.ts': `import { DataSource } from 'typeorm';

export const AppDataSource = new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  logging: process.env.NODE_ENV === 'development' ? 'all' : ['error'],
});
`,
      },
    },
    {
      name: "TypeORM logging: ['error', 'warn']",
      files: {
        'src/data-source.ts': `import { DataSource } from 'typeorm';

export const AppDataSource = new DataSource({ type: 'postgres', logging: ['error', 'warn'] });
`,
      },
    },
    {
      name: 'Sequelize with logging: false or a logger of its own',
      files: {
        'src/models/index.js': `const { Sequelize } = require('sequelize');
const logger = require('../logger');

const main = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres', logging: false });
const audit = new Sequelize(process.env.AUDIT_DATABASE_URL, { dialect: 'postgres', logging: (sql) => logger.debug(sql) });

module.exports = { main, audit };
`,
      },
    },
    {
      name: "mongoose.set('debug') behind a development check, or false",
      files: {
        'src/db.ts': `import mongoose from 'mongoose';

if (process.env.NODE_ENV === 'development') {
  mongoose.set('debug', true);
}
mongoose.set('strictQuery', true);

export const connect = () => mongoose.connect(process.env.MONGO_URL!);
`,
        'src/db-quiet.ts': `import mongoose from 'mongoose';

mongoose.set('debug', false);
`,
      },
    },
    {
      name: "set('debug', true) on the project's own settings store, not on mongoose",
      files: {
        'src/db.ts': `import mongoose from 'mongoose';
import Conf from 'conf';

const mongooseSettings = new Conf<{ debug: boolean }>({ projectName: 'api' });
mongooseSettings.set('debug', true);

export function applySettings() {
  mongoose.set('debug', process.env.NODE_ENV === 'development' && mongooseSettings.get('debug'));
}
`,
      },
    },
    {
      name: "a non-Prisma emitter's 'query' event",
      files: {
        'src/search.ts': `import { EventEmitter } from 'node:events';

export const search = new EventEmitter();
search.on('query', (q: string) => console.log('search for', q));
`,
      },
    },
    {
      name: 'tests log queries as they like',
      files: {
        'test/db.ts': `import { PrismaClient } from '@prisma/client';

export const prisma = new PrismaClient({ log: ['query'] });
prisma.$on('query', (e) => console.log(e.query));
`,
        'src/users.test.ts': `import mongoose from 'mongoose';

mongoose.set('debug', true);
`,
      },
    },
    {
      name: 'scripts and seeds log queries as they like',
      files: {
        'scripts/backfill.ts': `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient({ log: ['query'] });
prisma.$on('query', (e) => console.log(e.query));
`,
        'prisma/seed.ts': `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient({ log: ['query', 'info'] });
`,
      },
    },
  ],
  invalid: [
    {
      name: "Prisma: log: ['query', …] on the shared client",
      files: {
        'src/lib/prisma.ts': `import { PrismaClient } from '@prisma/client';

export const prisma = new PrismaClient({
  log: ['query', 'info', 'warn', 'error'],
});
`,
      },
      findings: [
        {
          file: 'src/lib/prisma.ts',
          line: 3,
          severity: 'warning',
          message: /^new PrismaClient\(\) logs every query \(log: \['query'\]\) in production\. Enable it only when NODE_ENV is development\.$/,
        },
      ],
    },
    {
      name: "Prisma: log: [{ level: 'query', emit: 'event' }] with an unconditional $on('query')",
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';

export const prisma = new PrismaClient({
  log: [{ level: 'query', emit: 'event' }, 'error'],
});

prisma.$on('query', (e) => {
  console.log(\`\${e.query} \${e.duration}ms\`);
});
`,
      },
      findings: [
        { file: 'src/db.ts', line: 3, message: /^new PrismaClient\(\) logs every query/ },
        {
          file: 'src/db.ts',
          line: 7,
          severity: 'warning',
          message: /^prisma\.\$on\('query'\) handles every query, in every environment: put it behind a development check\.$/,
        },
      ],
    },
    {
      name: "Next.js: the globalThis singleton with log: ['query']",
      files: {
        'lib/prisma.ts': `import { PrismaClient } from '@prisma/client';

const globalForPrisma = globalThis as unknown as { prisma: PrismaClient };

export const prisma =
  globalForPrisma.prisma ||
  new PrismaClient({
    log: ['query'],
  });

if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;
`,
      },
      findings: [{ file: 'lib/prisma.ts', line: 7, message: /^new PrismaClient\(\) logs every query/ }],
    },
    {
      name: "NestJS: this.$on('query') in onModuleInit",
      files: {
        'src/prisma.service.ts': `import { Injectable, OnModuleInit } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit {
  async onModuleInit() {
    this.$on('query' as never, (e: { query: string }) => {
      console.log('Query: ' + e.query);
    });
    await this.$connect();
  }
}
`,
      },
      findings: [{ file: 'src/prisma.service.ts', line: 7, message: /^this\.\$on\('query'\) handles every query, in every environment/ }],
    },
    {
      name: 'knex: debug: true',
      files: {
        'src/db/knex.js': `const knex = require('knex');

module.exports = knex({
  client: 'pg',
  connection: process.env.DATABASE_URL,
  debug: true,
});
`,
      },
      findings: [{ file: 'src/db/knex.js', line: 3, message: /^knex\(\) logs every query \(debug: true\) in production/ }],
    },
    {
      name: "TypeORM: logging: true, 'all' and ['query', …]",
      files: {
        'src/data-source.ts': `import { DataSource } from 'typeorm';

export const AppDataSource = new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  logging: true,
  entities: ['dist/entities/*.js'],
});

export const ReportingSource = new DataSource({ type: 'postgres', url: process.env.REPORTING_URL, logging: 'all' });
export const AuditSource = new DataSource({ type: 'postgres', url: process.env.AUDIT_URL, logging: ['query', 'error'] });
`,
      },
      findings: [
        { file: 'src/data-source.ts', line: 3, message: /^new DataSource\(\) logs every query \(logging: true\)/ },
        { file: 'src/data-source.ts', line: 10, message: /^new DataSource\(\) logs every query \(logging: "all"\)/ },
        { file: 'src/data-source.ts', line: 11, message: /^new DataSource\(\) logs every query \(logging: \["query","error"\]\)/ },
      ],
    },
    {
      name: 'Sequelize without a logging option logs to console.log',
      files: {
        'src/models/index.js': `const { Sequelize } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL, {
  dialect: 'postgres',
  pool: { max: 5 },
});

module.exports = sequelize;
`,
      },
      findings: [
        {
          file: 'src/models/index.js',
          line: 3,
          message: /^new Sequelize\(\) logs every statement to console\.log \(Sequelize's default when `logging` is not set\)/,
        },
      ],
    },
    {
      name: 'Sequelize from a URL alone, and from database/user/password',
      files: {
        'src/db.js': `const { Sequelize } = require('sequelize');

const primary = new Sequelize(process.env.DATABASE_URL);
const legacy = new Sequelize('legacy', 'app', process.env.LEGACY_PASSWORD);

module.exports = { primary, legacy };
`,
      },
      findings: [
        { file: 'src/db.js', line: 3, message: /^new Sequelize\(\) logs every statement to console\.log/ },
        { file: 'src/db.js', line: 4, message: /^new Sequelize\(\) logs every statement to console\.log/ },
      ],
    },
    {
      name: 'Sequelize: logging: console.log',
      files: {
        'src/db.js': `const { Sequelize } = require('sequelize');

module.exports = new Sequelize('app', 'app', 'secret', { dialect: 'mysql', logging: console.log });
`,
      },
      findings: [{ file: 'src/db.js', line: 3, message: /^new Sequelize\(\) logs every statement \(logging: console\.log\)/ }],
    },
    {
      name: "mongoose.set('debug', true) at module level",
      files: {
        'src/db.ts': `import mongoose from 'mongoose';

mongoose.set('debug', true);

export async function connect() {
  await mongoose.connect(process.env.MONGO_URL!);
}
`,
      },
      findings: [
        {
          file: 'src/db.ts',
          line: 3,
          severity: 'warning',
          message: /^mongoose\.set\('debug', true\) logs every operation, in every environment: put it behind a development check\.$/,
        },
      ],
    },
    {
      name: 'a route file constructing a logged client is service code too',
      files: {
        'src/routes/users.ts': `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient({ log: ['query'] });
export const users = Router();

users.get('/users', async (req, res) => res.json(await prisma.user.findMany()));
`,
      },
      findings: [{ file: 'src/routes/users.ts', line: 4, message: ONLY_IN_DEVELOPMENT }],
    },
  ],
});
