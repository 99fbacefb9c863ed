/**
 * connection-budget: per database, the live clients' pools × replicas against max_connections
 * (a finding from 80 % on, "over" past 100 %); a client built per call makes the sum
 * unbounded. Tests, scripts, and MongoDB / Redis / SQLite pools do not count.
 */
import { POSTGRES_SCHEMA, code, ruleCases } from '../helpers/rule-cases.js';


/** `connection_limit=10` for every Prisma client reading DATABASE_URL. */
const ENV_LIMIT_10 = 'DATABASE_URL="postgresql://app:secret@db.internal:5432/app?connection_limit=10&pool_timeout=10"\n';

const SHARED_PRISMA = code`
  import { PrismaClient } from '@prisma/client';

  export const prisma = new PrismaClient();
`;

function pgPool(max: number): string {
  return code`
    import { Pool } from 'pg';

    export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: ${max} });
  `;
}

const USERS_ROUTE_PER_REQUEST = code`
  import { Router } from 'express';
  import { PrismaClient } from '@prisma/client';

  export const router = Router();

  router.get('/users', async (_req, res) => {
    const prisma = new PrismaClient();
    res.json(await prisma.user.findMany());
  });
`;

ruleCases('connection-budget', {
  valid: [
    {
      name: "one Prisma client with its default pool: 5 of 100",
      files: { 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/lib/prisma.ts': SHARED_PRISMA },
    },
    {
      name: 'replicas: connection_limit=10 × 7 replicas = 70, under 80 % of 100',
      settings: { replicas: 7 },
      files: { '.env': ENV_LIMIT_10, 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/lib/prisma.ts': SHARED_PRISMA },
    },
    {
      name: 'just under the warning line: 79 of 100',
      files: { 'src/db.ts': pgPool(79) },
    },
    {
      name: 'maxConnections: 150 connections against a database that allows 500',
      settings: { maxConnections: 500 },
      files: { 'src/db.ts': pgPool(150) },
    },
    {
      name: 'clients in tests and in seed / backfill scripts are not the service',
      settings: { maxConnections: 20 },
      files: {
        'src/db.ts': pgPool(5),
        'prisma/seed.ts': code`
          import { Pool } from 'pg';

          const pool = new Pool({ max: 50 });
          await pool.query('insert into plans(name) values ($1)', ['free']);
          await pool.end();
        `,
        'scripts/backfill.ts': code`
          import { Pool } from 'pg';

          async function backfill(batch: number) {
            const pool = new Pool({ max: 50 });
            await pool.query('update users set plan = $1 where id % 10 = $2', ['free', batch]);
            await pool.end();
          }

          export { backfill };
        `,
        'test/db.ts': pgPool(500),
        'src/users.test.ts': code`
          import { Pool } from 'pg';

          test('users', async () => {
            const pool = new Pool({ max: 50 });
            await pool.query('select 1');
          });
        `,
      },
    },
    {
      name: 'MongoDB, Redis and SQLite pools are not counted against max_connections',
      settings: { maxConnections: 10 },
      files: {
        'src/db/mongo.ts': code`
          import mongoose from 'mongoose';

          await mongoose.connect(process.env.MONGO_URL!, { maxPoolSize: 200 });
        `,
        'src/db/redis.ts': code`
          import Redis from 'ioredis';

          export const redis = new Redis(process.env.REDIS_URL!);
        `,
        'src/db/knex.ts': code`
          import knex from 'knex';

          export const db = knex({ client: 'sqlite3', connection: { filename: './dev.db' }, pool: { max: 50 } });
        `,
      },
    },
    {
      name: 'drizzle over a pg Pool is counted once, where the pool is built (75 of 100)',
      files: {
        'src/db.ts': code`
          import { Pool } from 'pg';
          import { drizzle } from 'drizzle-orm/node-postgres';

          const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 75 });

          export const db = drizzle(pool);
        `,
      },
    },
    {
      name: 'PostgreSQL and MySQL have a budget each: 60 + 60 is not 120 on one server',
      files: {
        'src/db/pg.ts': pgPool(60),
        'src/db/mysql.ts': code`
          import mysql from 'mysql2/promise';

          export const pool = mysql.createPool({ uri: process.env.MYSQL_URL, connectionLimit: 60 });
        `,
      },
    },
    {
      name: 'the rule turned off',
      settings: { replicas: 20, rules: { 'connection-budget': 'off' } },
      files: { '.env': ENV_LIMIT_10, 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/lib/prisma.ts': SHARED_PRISMA },
    },
  ],
  invalid: [
    {
      name: "replicas: connection_limit=10 in .env × 12 replicas = 120, over max_connections 100",
      settings: { replicas: 12 },
      files: { '.env': ENV_LIMIT_10, 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/lib/prisma.ts': SHARED_PRISMA },
      findings: [
        {
          file: 'src/lib/prisma.ts',
          line: 3,
          severity: 'error',
          message:
            /^PostgreSQL connections: 1 live Prisma client may open 10 × 12 replicas = 120, over max_connections 100; new connections will be refused\. Share one client and size its pool to max_connections ÷ replicas\.$/,
        },
      ],
    },
    {
      name: 'close to the limit: 10 × 9 replicas = 90 of 100',
      settings: { replicas: 9 },
      files: { '.env': ENV_LIMIT_10, 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/lib/prisma.ts': SHARED_PRISMA },
      findings: [{ file: 'src/lib/prisma.ts', line: 3, severity: 'warning', message: /may open 10 × 9 replicas = 90, close to max_connections 100\. Share one client/ }],
    },
    {
      name: 'a level set by the user wins: close to the limit is an error when the rule is set to error',
      settings: { replicas: 9, rules: { 'connection-budget': 'error' } },
      files: { '.env': ENV_LIMIT_10, 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/lib/prisma.ts': SHARED_PRISMA },
      findings: [{ file: 'src/lib/prisma.ts', line: 3, severity: 'error', message: /= 90, close to max_connections 100/ }],
    },
    {
      name: 'a level set by the user wins: over the limit stays a warning when the rule is set to warning',
      settings: { replicas: 12, rules: { 'connection-budget': 'warning' } },
      files: { '.env': ENV_LIMIT_10, 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/lib/prisma.ts': SHARED_PRISMA },
      findings: [{ file: 'src/lib/prisma.ts', line: 3, severity: 'warning', message: /= 120, over max_connections 100/ }],
    },
    {
      name: 'the warning line itself: 80 of 100 is close',
      files: { 'src/db.ts': pgPool(80) },
      findings: [{ file: 'src/db.ts', line: 3, severity: 'warning', message: /^PostgreSQL connections: 1 live pg pool or client may open 80, close to max_connections 100\./ }],
    },
    {
      name: 'one over the limit: 101 of 100',
      files: { 'src/db.ts': pgPool(101) },
      findings: [{ file: 'src/db.ts', line: 3, severity: 'error', message: /may open 101, over max_connections 100; new connections will be refused/ }],
    },
    {
      name: 'drizzle over a pg Pool is not a second live client (90 from one pool)',
      files: {
        'src/db.ts': code`
          import { Pool } from 'pg';
          import { drizzle } from 'drizzle-orm/node-postgres';

          const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 90 });

          export const db = drizzle(pool);
        `,
      },
      findings: [{ file: 'src/db.ts', line: 4, message: /^PostgreSQL connections: 1 live pg pool or client may open 90, close to max_connections 100/ }],
    },
    {
      name: 'maxConnections: clients of two libraries on one database, 20 + 10 = 30 over 25',
      settings: { maxConnections: 25 },
      files: {
        'src/db/pool.ts': pgPool(20),
        'src/db/knex.ts': code`
          import knex from 'knex';

          export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
        `,
      },
      // Anchored at the biggest pool.
      findings: [
        {
          file: 'src/db/pool.ts',
          line: 3,
          severity: 'error',
          message: /^PostgreSQL connections: 2 live clients may open 30, over max_connections 25; new connections will be refused\./,
        },
      ],
    },
    {
      name: 'cpus: three Prisma clients of 8 × 2 + 1 = 17 connections × 2 replicas = 102',
      settings: { cpus: 8, replicas: 2 },
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/services/users.service.ts': SHARED_PRISMA,
        'src/services/orders.service.ts': SHARED_PRISMA,
        'src/services/invoices.service.ts': SHARED_PRISMA,
      },
      findings: [{ file: 'src/services/invoices.service.ts', line: 3, message: /^PostgreSQL connections: 3 live Prisma clients may open 51 × 2 replicas = 102, over max_connections 100/ }],
    },
    {
      name: 'Prisma 7: new PrismaPg({ connectionString, max: 20 }) × 6 replicas = 120',
      settings: { replicas: 6 },
      files: {
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';
          import { PrismaPg } from '@prisma/adapter-pg';

          const connectionString = process.env.DATABASE_URL;
          const adapter = new PrismaPg({ connectionString, max: 20 });

          export const prisma = new PrismaClient({ adapter });
        `,
      },
      findings: [{ file: 'src/lib/prisma.ts', line: 7, message: /^PostgreSQL connections: 1 live Prisma client may open 20 × 6 replicas = 120, over max_connections 100/ }],
    },
    {
      name: 'drizzle opening its own pool (connection.max: 85) is counted',
      files: {
        'src/db.ts': code`
          import { drizzle } from 'drizzle-orm/node-postgres';

          export const db = drizzle({ connection: { connectionString: process.env.DATABASE_URL, max: 85 } });
        `,
      },
      findings: [{ file: 'src/db.ts', line: 3, message: /1 live drizzle instance may open 85, close to max_connections 100/ }],
    },
    {
      name: 'PostgreSQL and MySQL are judged apart: only the MySQL pool is close to its limit',
      files: {
        'src/db/pg.ts': pgPool(40),
        'src/db/mysql.ts': code`
          import mysql from 'mysql2/promise';

          export const pool = mysql.createPool({ uri: process.env.MYSQL_URL, connectionLimit: 90 });
        `,
      },
      findings: [{ file: 'src/db/mysql.ts', line: 3, message: /^MySQL connections: 1 live mysql2 pool or connection may open 90, close to max_connections 100/ }],
    },
    {
      name: 'a client built per request makes the sum unbounded (anchored at the live client)',
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/routes/users.ts': USERS_ROUTE_PER_REQUEST,
      },
      findings: [
        {
          file: 'src/lib/prisma.ts',
          line: 3,
          severity: 'error',
          message:
            /^PostgreSQL connections are unbounded: 1 site builds a new client on every call \(up to 5 connections each\), on top of 5 from live clients; max_connections is 100\.$/,
        },
      ],
    },
    {
      name: 'per-call clients only, no live client: unbounded, anchored at the first per-call site',
      files: { 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/routes/users.ts': USERS_ROUTE_PER_REQUEST },
      findings: [
        {
          file: 'src/routes/users.ts',
          line: 7,
          severity: 'error',
          message: /^PostgreSQL connections are unbounded: 1 site builds a new client on every call \(up to 5 connections each\), on top of 0 from live clients/,
        },
      ],
    },
    {
      name: 'Bull processor and timer: two per-call sites, with replicas in the message',
      settings: { replicas: 3 },
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA.replace('postgresql', 'mysql'),
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/jobs/sync.ts': code`
          import Queue from 'bull';
          import { PrismaClient } from '@prisma/client';

          const syncQueue = new Queue('sync', process.env.REDIS_URL!);

          syncQueue.process(async (job) => {
            const prisma = new PrismaClient();
            await prisma.account.update({ where: { id: job.data.id }, data: { syncedAt: new Date() } });
          });

          setInterval(() => {
            const prisma = new PrismaClient({ datasourceUrl: 'mysql://app@db:3306/app?connection_limit=1' });
            return prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
          }, 60_000);
        `,
      },
      findings: [
        {
          file: 'src/lib/prisma.ts',
          line: 3,
          message: /^MySQL connections are unbounded: 2 sites build a new client on every call \(up to 5 connections each\), on top of 5 from live clients × 3 replicas; max_connections is 100\.$/,
        },
      ],
    },
  ],
});
