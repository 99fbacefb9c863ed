/**
 * pool-config: a stated pool larger than max_connections ÷ replicas, a pool that waits forever
 * for a free connection, idle connections kept longer than `ruleOptions['pool-config']
 * .idleTimeoutMs`. Every problem is its own finding on the construction's line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POSTGRES_SCHEMA, code, findingsOf, ruleCases } from '../helpers/rule-cases.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';


const SHARED_PRISMA = code`
  import { PrismaClient } from '@prisma/client';

  export const prisma = new PrismaClient();
`;

/** A pg Pool on line 3 with the given options (written as they would be in the code). */
function pgPool(options: string): string {
  return code`
    import { Pool } from 'pg';

    export const pool = new Pool({ connectionString: process.env.DATABASE_URL, ${options} });
  `;
}

const IDLE_LIMIT_20_S = { ...DEFAULT_SETTINGS.ruleOptions, 'pool-config': { idleTimeoutMs: 20_000 } };
const IDLE_LIMIT_10_MIN = { ...DEFAULT_SETTINGS.ruleOptions, 'pool-config': { idleTimeoutMs: 600_000 } };

ruleCases('pool-config', {
  valid: [
    {
      name: 'pg: a sized pool with an acquire timeout and a short idle timeout',
      files: {
        'src/db.ts': code`
          import { Pool } from 'pg';

          export const pool = new Pool({
            connectionString: process.env.DATABASE_URL,
            max: 20,
            connectionTimeoutMillis: 5_000,
            idleTimeoutMillis: 30_000,
          });
        `,
      },
    },
    {
      name: "Prisma's defaults: cpus × 2 + 1 connections, pool_timeout 10 s",
      files: { 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/lib/prisma.ts': SHARED_PRISMA },
    },
    {
      name: 'Prisma: connection_limit and pool_timeout in .env within the budget',
      settings: { replicas: 4 },
      files: {
        '.env': 'DATABASE_URL="postgresql://app:secret@db:5432/app?connection_limit=25&pool_timeout=20"\n',
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/lib/prisma.ts': SHARED_PRISMA,
      },
    },
    {
      name: 'a single pg Client has no pool to wait on',
      files: {
        'src/db.ts': code`
          import { Client } from 'pg';

          export const client = new Client({ connectionString: process.env.DATABASE_URL });
        `,
      },
    },
    {
      name: "knex and Sequelize defaults time out acquiring (60 s) and release idle connections",
      files: {
        'src/db/knex.ts': code`
          import knex from 'knex';

          export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
        `,
        'src/db/sequelize.ts': code`
          import { Sequelize } from 'sequelize';

          export const sequelize = new Sequelize(process.env.DATABASE_URL!, { dialect: 'postgres' });
        `,
      },
    },
    {
      name: 'a default pool size is not judged against the share (connection-budget counts it)',
      settings: { replicas: 20 },
      files: {
        'src/db/knex.ts': code`
          import knex from 'knex';

          export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
        `,
      },
    },
    {
      name: 'exactly the share: max_connections 100 ÷ 4 replicas = 25',
      settings: { replicas: 4 },
      files: { 'src/db.ts': pgPool('max: 25, connectionTimeoutMillis: 3000') },
    },
    {
      name: 'a MongoDB pool is not judged against max_connections',
      files: {
        'src/db.ts': code`
          import mongoose from 'mongoose';

          await mongoose.connect(process.env.MONGO_URL!, { maxPoolSize: 200 });
        `,
      },
    },
    {
      name: 'Prisma 7: new PrismaPg({ connectionString, max: 20, connectionTimeoutMillis }) within the budget',
      files: {
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';
          import { PrismaPg } from '@prisma/adapter-pg';

          const connectionString = process.env.DATABASE_URL;
          const adapter = new PrismaPg({ connectionString, max: 20, connectionTimeoutMillis: 2_000 });

          export const prisma = new PrismaClient({ adapter });
        `,
      },
    },
    {
      name: 'tests and a seed script may size their pools as they like',
      files: {
        'test/db.ts': pgPool('max: 500, idleTimeoutMillis: 999_999'),
        'prisma/seed.ts': code`
          import { Pool } from 'pg';

          const pool = new Pool({ max: 500 });
          await pool.query('insert into plans(name) values ($1)', ['free']);
          await pool.end();
        `,
      },
    },
    {
      name: 'an idle timeout of exactly the limit (60 s) is not over it',
      files: { 'src/db.ts': pgPool('max: 10, connectionTimeoutMillis: 3000, idleTimeoutMillis: 60_000') },
    },
    {
      name: 'ruleOptions: a 5 minute idle timeout under a limit raised to 10 minutes',
      settings: { ruleOptions: IDLE_LIMIT_10_MIN },
      files: { 'src/db.ts': pgPool('max: 10, connectionTimeoutMillis: 3000, idleTimeoutMillis: 5 * 60 * 1000') },
    },
    {
      name: 'the rule turned off',
      settings: { rules: { 'pool-config': 'off' } },
      files: { 'src/db.ts': pgPool('max: 500') },
    },
  ],
  invalid: [
    {
      name: "Prisma: connection_limit=40 in .env (schema.prisma's env(\"DATABASE_URL\")) over 100 ÷ 4 replicas",
      settings: { replicas: 4 },
      files: {
        '.env': 'DATABASE_URL="postgresql://app:secret@db:5432/app?connection_limit=40&pool_timeout=10"\n',
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/lib/prisma.ts': SHARED_PRISMA,
      },
      findings: [
        {
          file: 'src/lib/prisma.ts',
          line: 3,
          severity: 'warning',
          message: /^new PrismaClient\(\) asks for 40 connections \(connection_limit=40 in DATABASE_URL in \.env\), more than max_connections 100 ÷ 4 replicas = 25\.$/,
        },
      ],
    },
    {
      name: 'Prisma: a .env beside the schema (prisma/.env) is read too',
      files: {
        'prisma/.env': 'DATABASE_URL=postgresql://app:secret@db:5432/app?connection_limit=150\n',
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/lib/prisma.ts': SHARED_PRISMA,
      },
      findings: [{ file: 'src/lib/prisma.ts', line: 3, message: /asks for 150 connections \(connection_limit=150 in DATABASE_URL in prisma\/\.env\), more than max_connections 100 ÷ 1 replica = 100\./ }],
    },
    {
      name: 'Prisma: datasourceUrl read from another variable of .env (export, quotes, comment)',
      settings: { maxConnections: 151 },
      files: {
        '.env': "# local development\nexport APP_DB_URL='mysql://app:secret@db:3306/app?connection_limit=160' # like production\n",
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';

          export const prisma = new PrismaClient({ datasourceUrl: process.env.APP_DB_URL });
        `,
      },
      findings: [{ file: 'src/lib/prisma.ts', line: 3, message: /asks for 160 connections \(connection_limit=160 in APP_DB_URL in \.env\), more than max_connections 151 ÷ 1 replica = 151\./ }],
    },
    {
      name: 'Prisma: pool_timeout=0 waits forever',
      files: {
        '.env': 'DATABASE_URL=postgresql://app:secret@db:5432/app?connection_limit=5&pool_timeout=0\n',
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/lib/prisma.ts': SHARED_PRISMA,
      },
      findings: [
        {
          file: 'src/lib/prisma.ts',
          line: 3,
          severity: 'warning',
          message: /^new PrismaClient\(\) waits forever for a free connection \(pool_timeout=0\): when the pool is exhausted, requests queue in memory/,
        },
      ],
    },
    {
      name: 'Prisma: a connection string in the datasources option',
      files: {
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';

          export const prisma = new PrismaClient({
            datasources: { db: { url: 'postgresql://app@db:5432/app?connection_limit=101' } },
          });
        `,
      },
      findings: [{ file: 'src/lib/prisma.ts', line: 3, message: /asks for 101 connections \(connection_limit=101 in the code\)/ }],
    },
    {
      name: 'Prisma 7: an adapter pool (max: 20 in PrismaPg) over 100 ÷ 10 replicas',
      settings: { replicas: 10 },
      files: {
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';
          import { PrismaPg } from '@prisma/adapter-pg';

          const connectionString = process.env.DATABASE_URL;
          const adapter = new PrismaPg({ connectionString, max: 20, connectionTimeoutMillis: 2_000 });

          export const prisma = new PrismaClient({ adapter });
        `,
      },
      findings: [{ file: 'src/lib/prisma.ts', line: 7, message: /^new PrismaClient\(\) asks for 20 connections \(max: 20 in PrismaPg's options\), more than max_connections 100 ÷ 10 replicas = 10\.$/ }],
    },
    {
      name: "Prisma 7: an adapter without connectionTimeoutMillis waits forever (pg's default)",
      files: {
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';
          import { PrismaPg } from '@prisma/adapter-pg';

          export const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
        `,
      },
      findings: [{ file: 'src/lib/prisma.ts', line: 4, message: /^new PrismaClient\(\) waits forever for a free connection \(no connectionTimeoutMillis\)/ }],
    },
    {
      name: "pg: new Pool() without connectionTimeoutMillis waits forever",
      files: {
        'src/db.ts': code`
          import { Pool } from 'pg';

          export const pool = new Pool();
        `,
      },
      findings: [{ file: 'src/db.ts', line: 3, severity: 'warning', message: /^new Pool\(\) waits forever for a free connection \(no connectionTimeoutMillis\)/ }],
    },
    {
      name: 'pg: connectionTimeoutMillis: 0 is waiting forever too',
      files: { 'src/db.ts': pgPool('max: 10, connectionTimeoutMillis: 0') },
      findings: [{ file: 'src/db.ts', line: 3, message: /waits forever for a free connection/ }],
    },
    {
      name: 'pg: idleTimeoutMillis: 5 * 60 * 1000 is read as 300 s, over the 60 s default limit',
      files: {
        'src/db.ts': code`
          import { Pool } from 'pg';

          export const pool = new Pool({
            connectionString: process.env.DATABASE_URL,
            max: 20,
            connectionTimeoutMillis: 5_000,
            idleTimeoutMillis: 5 * 60 * 1000,
          });
        `,
      },
      findings: [
        {
          file: 'src/db.ts',
          line: 3,
          severity: 'warning',
          message: /^new Pool\(\) keeps idle connections open for 300 s \(over 60 s\): connections the service no longer needs count against max_connections\.$/,
        },
      ],
    },
    {
      name: 'ruleOptions: idleTimeoutMs lowered to 20 s makes 30 s too long',
      settings: { ruleOptions: IDLE_LIMIT_20_S },
      files: { 'src/db.ts': pgPool('max: 5, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000') },
      findings: [{ file: 'src/db.ts', line: 3, message: /keeps idle connections open for 30 s \(over 20 s\)/ }],
    },
    {
      name: 'maxConnections and replicas: knex pool.max 30 over 50 ÷ 2 = 25, a second knex idles 10 minutes',
      settings: { maxConnections: 50, replicas: 2 },
      files: {
        'src/db/knex.ts': code`
          import knex from 'knex';

          export const db = knex({
            client: 'pg',
            connection: process.env.DATABASE_URL,
            pool: { min: 2, max: 30 },
          });
        `,
        'src/db/reporting.ts': code`
          import knex from 'knex';

          export const reporting = knex({
            client: 'pg',
            connection: process.env.REPORTING_URL,
            pool: { max: 5, idleTimeoutMillis: 600000 },
          });
        `,
      },
      findings: [
        { file: 'src/db/knex.ts', line: 3, message: /^knex\(\) asks for 30 connections \(pool\.max: 30 in the code\), more than max_connections 50 ÷ 2 replicas = 25\.$/ },
        { file: 'src/db/reporting.ts', line: 3, message: /^knex\(\) keeps idle connections open for 600 s \(over 60 s\)/ },
      ],
    },
    {
      name: 'Sequelize: pool.max 40 over the share; pool.idle 2 minutes',
      settings: { maxConnections: 50, replicas: 2 },
      files: {
        'src/models/index.ts': code`
          import { Sequelize } from 'sequelize';

          export const sequelize = new Sequelize(process.env.DATABASE_URL!, {
            dialect: 'mysql',
            pool: { max: 40, acquire: 30_000 },
          });
        `,
        'src/models/legacy.ts': code`
          import { Sequelize } from 'sequelize';

          export const legacy = new Sequelize('legacy', 'app', 'secret', { dialect: 'mysql', pool: { max: 5, idle: 2 * 60 * 1000 } });
        `,
      },
      findings: [
        { file: 'src/models/index.ts', line: 3, message: /^new Sequelize\(\) asks for 40 connections \(pool\.max: 40 in the code\), more than max_connections 50 ÷ 2 replicas = 25\./ },
        { file: 'src/models/legacy.ts', line: 3, message: /^new Sequelize\(\) keeps idle connections open for 120 s \(over 60 s\)/ },
      ],
    },
    {
      name: 'mysql2: the share is rounded down (100 ÷ 3 replicas = 33), connectionLimit 34 is over',
      settings: { replicas: 3 },
      files: {
        'src/db.ts': code`
          import mysql from 'mysql2/promise';

          export const pool = mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 34 });
        `,
      },
      findings: [{ file: 'src/db.ts', line: 3, message: /^mysql\.createPool\(\) asks for 34 connections \(connectionLimit: 34 in the code\), more than max_connections 100 ÷ 3 replicas = 33\.$/ }],
    },
    {
      name: 'TypeORM on PostgreSQL without extra.connectionTimeoutMillis waits forever',
      files: {
        'src/data-source.ts': code`
          import { DataSource } from 'typeorm';

          export const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 10 });
        `,
      },
      findings: [{ file: 'src/data-source.ts', line: 3, message: /^new DataSource\(\) waits forever for a free connection/ }],
    },
    {
      name: 'a pool built per request is judged too',
      files: {
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { Pool } from 'pg';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            const pool = new Pool({ max: 200, connectionTimeoutMillis: 2_000 });
            res.json((await pool.query('select * from users')).rows);
          });
        `,
      },
      findings: [{ file: 'src/routes/users.ts', line: 7, message: /^new Pool\(\) asks for 200 connections \(max: 200 in the code\), more than max_connections 100 ÷ 1 replica = 100\./ }],
    },
  ],
});

// The helper matches one finding per file and line; a pool with every problem gets three there.
test('pool-config invalid: one pg Pool with all three problems gets three findings on its line', async () => {
  const findings = await findingsOf('pool-config', {
    name: 'all three',
    settings: { replicas: 4 },
    files: { 'src/db.ts': pgPool('max: 30, idleTimeoutMillis: 120_000') },
  });
  assert.deepEqual(
    findings.map((finding) => `${finding.file}:${finding.line} ${finding.severity}`),
    ['src/db.ts:3 warning', 'src/db.ts:3 warning', 'src/db.ts:3 warning'],
  );
  const messages = findings.map((finding) => finding.message).sort();
  assert.match(messages[0]!, /^new Pool\(\) asks for 30 connections \(max: 30 in the code\), more than max_connections 100 ÷ 4 replicas = 25\.$/);
  assert.match(messages[1]!, /^new Pool\(\) keeps idle connections open for 120 s \(over 60 s\)/);
  assert.match(messages[2]!, /^new Pool\(\) waits forever for a free connection \(no connectionTimeoutMillis\)/);
});
