/**
 * multiple-clients: more than one module-level client of a library in one service (one
 * package). Every client but the keeper (the globalThis singleton, else a cached one, else the
 * first) is a finding that names the others, their connections together and where to import
 * the shared client from.
 */
import { POSTGRES_SCHEMA, code, ruleCases } from '../helpers/rule-cases.js';


/** A service file with its own module-level client on line 3. */
function prismaService(model: string): string {
  return code`
    import { PrismaClient } from '@prisma/client';

    const prisma = new PrismaClient();

    export function list() {
      return prisma.${model}.findMany();
    }
  `;
}

const SHARED_PRISMA = code`
  import { PrismaClient } from '@prisma/client';

  export const prisma = new PrismaClient();
`;

ruleCases('multiple-clients', {
  valid: [
    {
      name: 'one shared client imported by every service and route',
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/services/users.service.ts': code`
          import { prisma } from '../lib/prisma';

          export const listUsers = () => prisma.user.findMany();
        `,
        'src/routes/orders.ts': code`
          import { Router } from 'express';
          import { prisma } from '../lib/prisma';

          export const orders = Router();

          orders.get('/orders', async (_req, res) => {
            res.json(await prisma.order.findMany());
          });
        `,
      },
    },
    {
      name: 'the globalThis singleton is one client however many modules import it',
      files: {
        'lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';

          const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

          export const prisma = globalForPrisma.prisma ?? new PrismaClient();

          if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;
        `,
        'app/api/users/route.ts': code`
          import { prisma } from '../../../lib/prisma';

          export async function GET() {
            return Response.json(await prisma.user.findMany());
          }
        `,
      },
    },
    {
      name: 'clients in tests and one-off scripts (seed, backfill) are not the service',
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'prisma/seed.ts': code`
          import { PrismaClient } from '@prisma/client';

          const prisma = new PrismaClient();

          await prisma.user.create({ data: { email: 'admin@example.com' } });
          await prisma.$disconnect();
        `,
        'scripts/backfill-orders.ts': code`
          import { PrismaClient } from '@prisma/client';

          const prisma = new PrismaClient();

          await prisma.order.updateMany({ data: { archived: false } });
        `,
        'test/setup.ts': SHARED_PRISMA,
        'src/services/users.service.spec.ts': code`
          import { PrismaClient } from '@prisma/client';

          const prisma = new PrismaClient();

          afterAll(() => prisma.$disconnect());
        `,
      },
    },
    {
      name: 'a client built per request is per-call-client, not a second live client',
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { PrismaClient } from '@prisma/client';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            const prisma = new PrismaClient();
            res.json(await prisma.user.findMany());
          });
        `,
      },
    },
    {
      name: 'one client of each library (Prisma, pg, ioredis) is not several of one',
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/lib/pg.ts': code`
          import { Pool } from 'pg';

          export const pool = new Pool({ max: 5 });
        `,
        'src/lib/redis.ts': code`
          import Redis from 'ioredis';

          export const redis = new Redis(process.env.REDIS_URL!);
        `,
      },
    },
    {
      name: 'a monorepo: the api and the worker are separate processes, one client each',
      files: {
        'package.json': '{ "name": "acme", "private": true, "workspaces": ["apps/*"] }',
        'apps/api/package.json': '{ "name": "@acme/api" }',
        'apps/api/src/db.ts': SHARED_PRISMA,
        'apps/worker/package.json': '{ "name": "@acme/worker" }',
        'apps/worker/src/db.ts': SHARED_PRISMA,
      },
    },
    {
      name: 'the rule turned off',
      settings: { rules: { 'multiple-clients': 'off' } },
      files: {
        'src/services/users.service.ts': prismaService('user'),
        'src/services/orders.service.ts': prismaService('order'),
      },
    },
  ],
  invalid: [
    {
      name: 'one PrismaClient per service file: every one but the first is a finding',
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/services/invoices.service.ts': prismaService('invoice'),
        'src/services/orders.service.ts': prismaService('order'),
        'src/services/users.service.ts': prismaService('user'),
      },
      findings: [
        {
          file: 'src/services/orders.service.ts',
          line: 3,
          severity: 'error',
          message:
            /^new PrismaClient\(\) is one of 3 Prisma clients alive at once \(also src\/services\/invoices\.service\.ts:3 and src\/services\/users\.service\.ts:3\); together they may hold 15 connections\. Share one client: import it from src\/services\/invoices\.service\.ts:3\.$/,
        },
        {
          file: 'src/services/users.service.ts',
          line: 3,
          severity: 'error',
          message: /one of 3 Prisma clients .*\(also src\/services\/invoices\.service\.ts:3 and src\/services\/orders\.service\.ts:3\); together they may hold 15 connections/,
        },
      ],
    },
    {
      name: 'the globalThis singleton is the keeper: the stray client is told to import it',
      files: {
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';

          const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

          export const prisma = globalForPrisma.prisma ?? new PrismaClient();

          if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;
        `,
        'src/app/admin/actions.ts': code`
          import { PrismaClient } from '@prisma/client';

          const db = new PrismaClient();

          export async function deleteUser(id: string) {
            await db.user.delete({ where: { id } });
          }
        `,
      },
      findings: [
        {
          file: 'src/app/admin/actions.ts',
          line: 3,
          message: /one of 2 Prisma clients alive at once \(also src\/lib\/prisma\.ts:5\); together they may hold 10 connections\. Share one client: import it from src\/lib\/prisma\.ts:5\./,
        },
      ],
    },
    {
      name: 'the globalThis singleton is the keeper over a lazily cached client that sorts first',
      files: {
        'src/a/reports-db.ts': code`
          import { PrismaClient } from '@prisma/client';

          let client: PrismaClient | undefined;

          export function reportsDb() {
            if (!client) client = new PrismaClient();
            return client;
          }
        `,
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';

          const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

          export const prisma = globalForPrisma.prisma ?? new PrismaClient();

          if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;
        `,
      },
      findings: [{ file: 'src/a/reports-db.ts', line: 6, message: /Share one client: import it from src\/lib\/prisma\.ts:5\./ }],
    },
    {
      name: 'a lazily cached pool is the keeper over a plain module-level one',
      files: {
        'src/a/report-pool.ts': code`
          import { Pool } from 'pg';

          export const reportPool = new Pool({ max: 7 });
        `,
        'src/db.ts': code`
          import { Pool } from 'pg';

          let pool: Pool | undefined;

          export function getPool() {
            if (!pool) pool = new Pool({ max: 5 });
            return pool;
          }
        `,
      },
      findings: [
        {
          file: 'src/a/report-pool.ts',
          line: 3,
          message: /^new Pool\(\) is one of 2 pg pools and clients alive at once \(also src\/db\.ts:6\); together they may hold 12 connections\. Share one client: import it from src\/db\.ts:6\./,
        },
      ],
    },
    {
      name: 'NestJS: PrismaService listed in the providers of two feature modules is two clients',
      files: {
        'src/prisma/prisma.service.ts': code`
          import { Injectable, OnModuleInit } from '@nestjs/common';
          import { PrismaClient } from '@prisma/client';

          @Injectable()
          export class PrismaService extends PrismaClient implements OnModuleInit {
            async onModuleInit() {
              await this.$connect();
            }
          }
        `,
        'src/users/users.module.ts': code`
          import { Module } from '@nestjs/common';
          import { PrismaService } from '../prisma/prisma.service';
          import { UsersService } from './users.service';

          @Module({
            providers: [UsersService, PrismaService],
          })
          export class UsersModule {}
        `,
        'src/orders/orders.module.ts': code`
          import { Module } from '@nestjs/common';
          import { PrismaService } from '../prisma/prisma.service';
          import { OrdersService } from './orders.service';

          @Module({
            providers: [OrdersService, PrismaService],
          })
          export class OrdersModule {}
        `,
        'src/users/users.service.ts': 'export class UsersService {}\n',
        'src/orders/orders.service.ts': 'export class OrdersService {}\n',
      },
      findings: [
        {
          file: 'src/users/users.module.ts',
          line: 6,
          severity: 'error',
          message: /^new PrismaService\(\) is one of 2 Prisma clients alive at once \(also src\/orders\/orders\.module\.ts:6\)/,
        },
      ],
    },
    {
      name: 'Prisma 7 with a generated client and driver adapters: the pools of both adapters add up',
      files: {
        'prisma/schema.prisma': code`
          generator client {
            provider = "prisma-client"
            output   = "../src/generated/prisma"
          }

          datasource db {
            provider = "postgresql"
          }
        `,
        'src/db.ts': code`
          import { PrismaClient } from './generated/prisma/client';
          import { PrismaPg } from '@prisma/adapter-pg';

          export const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
        `,
        'src/worker.ts': code`
          import { PrismaClient } from './generated/prisma/client';
          import { PrismaPg } from '@prisma/adapter-pg';

          const connectionString = process.env.DATABASE_URL;
          const adapter = new PrismaPg({ connectionString, max: 3 });

          export const prisma = new PrismaClient({ adapter });
        `,
      },
      findings: [{ file: 'src/worker.ts', line: 7, message: /one of 2 Prisma clients .*together they may hold 13 connections\. Share one client: import it from src\/db\.ts:4\./ }],
    },
    {
      name: 'connections per client from cpus and from a stated connection_limit',
      settings: { cpus: 4 },
      files: {
        'src/a.ts': code`
          import { PrismaClient } from '@prisma/client';

          export const a = new PrismaClient();
        `,
        'src/b.ts': code`
          import { PrismaClient } from '@prisma/client';

          export const b = new PrismaClient({ datasourceUrl: 'postgresql://app@db:5432/app?connection_limit=2' });
        `,
      },
      // 4 CPUs × 2 + 1 = 9, plus 2.
      findings: [{ file: 'src/b.ts', line: 3, message: /together they may hold 11 connections/ }],
    },
    {
      name: "connection_limit from .env's DATABASE_URL, read through schema.prisma's env(\"DATABASE_URL\")",
      files: {
        '.env': 'DATABASE_URL=postgresql://app:secret@localhost:5432/app?connection_limit=20\n',
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/services/users.service.ts': prismaService('user'),
        'src/services/orders.service.ts': prismaService('order'),
      },
      findings: [{ file: 'src/services/users.service.ts', line: 3, message: /one of 2 Prisma clients .*together they may hold 40 connections/ }],
    },
    {
      name: 'more than three others: the list is cut short',
      files: Object.fromEntries(
        ['a', 'b', 'c', 'd', 'e'].map((name) => [`src/services/${name}.service.ts`, prismaService('user')]),
      ),
      findings: ['b', 'c', 'd', 'e'].map((name) => ({
        file: `src/services/${name}.service.ts`,
        line: 3,
        message: /one of 5 Prisma clients alive at once \(also (src\/services\/\w\.service\.ts:3, ){2}src\/services\/\w\.service\.ts:3 and 1 more\); together they may hold 25 connections\. Share one client: import it from src\/services\/a\.service\.ts:3\./,
      })),
    },
    {
      name: 'pg: a second Pool in one service (the knex instance is another library)',
      files: {
        'src/db/pool.ts': code`
          import { Pool } from 'pg';

          export const pool = new Pool({ max: 20 });
        `,
        'src/db/reports.ts': code`
          import pg from 'pg';

          export const reportPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
        `,
        'src/db/knex.ts': code`
          import knex from 'knex';

          export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
        `,
      },
      findings: [
        {
          file: 'src/db/reports.ts',
          line: 3,
          message: /^new pg\.Pool\(\) is one of 2 pg pools and clients alive at once \(also src\/db\/pool\.ts:3\); together they may hold 25 connections\. Share one client: import it from src\/db\/pool\.ts:3\./,
        },
      ],
    },
    {
      name: 'knex: two instances in one service',
      files: {
        'src/db/knex.ts': code`
          import knex from 'knex';

          export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 8 } });
        `,
        'src/jobs/cleanup.ts': code`
          import Knex from 'knex';

          const db = Knex({ client: 'pg', connection: process.env.DATABASE_URL });

          export const cleanup = () => db('sessions').where('expired', true).del();
        `,
      },
      findings: [{ file: 'src/jobs/cleanup.ts', line: 3, message: /^Knex\(\) is one of 2 knex instances alive at once .*together they may hold 18 connections/ }],
    },
    {
      name: 'mysql2 and Sequelize: a second pool of each',
      files: {
        'src/db/pool.ts': code`
          import mysql from 'mysql2/promise';

          export const pool = mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 15 });
        `,
        'src/jobs/cleanup.job.ts': code`
          import { createPool } from 'mysql2';

          const pool = createPool(process.env.DATABASE_URL!);

          export function cleanup() {
            pool.query('delete from sessions where expired');
          }
        `,
        'src/models/index.ts': code`
          import { Sequelize } from 'sequelize';

          export const sequelize = new Sequelize(process.env.DATABASE_URL!, { dialect: 'mysql', pool: { max: 8 } });
        `,
        'src/models/legacy.ts': code`
          import { Sequelize } from 'sequelize';

          export const legacy = new Sequelize('app', 'root', 'secret', { dialect: 'mysql' });
        `,
      },
      findings: [
        { file: 'src/jobs/cleanup.job.ts', line: 3, message: /^createPool\(\) is one of 2 mysql2 pools and connections alive at once .*together they may hold 25 connections/ },
        { file: 'src/models/legacy.ts', line: 3, message: /^new Sequelize\(\) is one of 2 Sequelize instances alive at once .*together they may hold 13 connections\. Share one client: import it from src\/models\/index\.ts:3\./ },
      ],
    },
    {
      name: 'TypeORM: two DataSources for one database',
      files: {
        'src/data-source.ts': code`
          import { DataSource } from 'typeorm';

          export const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 10 });
        `,
        'src/reports/data-source.ts': code`
          import { DataSource } from 'typeorm';

          export const ReportsDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, extra: { max: 4 } });
        `,
      },
      findings: [{ file: 'src/reports/data-source.ts', line: 3, message: /^new DataSource\(\) is one of 2 TypeORM DataSources alive at once .*together they may hold 14 connections/ }],
    },
    {
      name: 'mongoose: connect() and createConnection() in one service',
      files: {
        'src/db.ts': code`
          import mongoose from 'mongoose';

          await mongoose.connect(process.env.MONGO_URL!);
        `,
        'src/models/events.ts': code`
          import mongoose from 'mongoose';

          export const events = mongoose.createConnection(process.env.MONGO_URL!, { maxPoolSize: 10 });
        `,
      },
      findings: [{ file: 'src/models/events.ts', line: 3, message: /^mongoose\.createConnection\(\) is one of 2 mongoose connections alive at once \(also src\/db\.ts:3\); together they may hold 110 connections/ }],
    },
    {
      name: 'a monorepo: two clients inside one package are still two',
      files: {
        'package.json': '{ "name": "acme", "private": true, "workspaces": ["apps/*"] }',
        'apps/api/package.json': '{ "name": "@acme/api" }',
        'apps/api/src/db.ts': SHARED_PRISMA,
        'apps/api/src/reports/db.ts': SHARED_PRISMA,
        'apps/worker/package.json': '{ "name": "@acme/worker" }',
        'apps/worker/src/db.ts': SHARED_PRISMA,
      },
      findings: [{ file: 'apps/api/src/reports/db.ts', line: 3, message: /one of 2 Prisma clients alive at once \(also apps\/api\/src\/db\.ts:3\)/ }],
    },
    {
      name: 'the rule lowered to warning',
      settings: { rules: { 'multiple-clients': 'warning' } },
      files: {
        'src/services/orders.service.ts': prismaService('order'),
        'src/services/users.service.ts': prismaService('user'),
      },
      findings: [{ file: 'src/services/users.service.ts', line: 3, severity: 'warning', message: /one of 2 Prisma clients/ }],
    },
  ],
});
