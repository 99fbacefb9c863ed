/**
 * per-call-client: a client built inside a handler, job, timer, listener, constructor or helper
 * opens a new pool on every call. Never disconnected, or disconnected outside a `finally`, it
 * is an error; disconnected in a `finally` it stays a finding at the rule's level (warning).
 */
import { POSTGRES_SCHEMA, code, ruleCases } from '../helpers/rule-cases.js';


/** An Express router whose GET /users handler builds its own client (line 7). */
const USERS_ROUTE = code`
  import { Router } from 'express';
  import { PrismaClient } from '@prisma/client';

  export const router = Router();

  router.get('/users', async (_req, res) => {
    const prisma = new PrismaClient();
    res.json(await prisma.user.findMany());
  });
`;

const SHARED_PRISMA = code`
  import { PrismaClient } from '@prisma/client';

  export const prisma = new PrismaClient();
`;

ruleCases('per-call-client', {
  valid: [
    {
      name: "leakhound/runtime's shared(): the factory runs once per process, even when shared() is called in a handler",
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { PrismaClient } from '@prisma/client';
          import { shared } from 'leakhound/runtime';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            const prisma = shared('prisma', () => new PrismaClient());
            res.json(await prisma.user.findMany());
          });
        `,
      },
    },
    {
      name: 'Express: one module-level client shared by every handler',
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { prisma } from '../lib/prisma';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            res.json(await prisma.user.findMany());
          });

          router.post('/users', async (req, res) => {
            res.status(201).json(await prisma.user.create({ data: req.body }));
          });
        `,
      },
    },
    {
      name: 'Next.js: the globalThis singleton, used by a route handler',
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA,
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
      name: "Prisma's Next.js guide: a factory called only from module level, cached on globalThis",
      files: {
        'lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';

          const prismaClientSingleton = () => {
            return new PrismaClient();
          };

          const globalForPrisma = globalThis as unknown as { prismaGlobal?: PrismaClient };

          const prisma = globalForPrisma.prismaGlobal ?? prismaClientSingleton();

          export default prisma;

          if (process.env.NODE_ENV !== 'production') globalForPrisma.prismaGlobal = prisma;
        `,
      },
    },
    {
      name: 'lazily cached clients: if (!pool), ??= and a static getter',
      files: {
        'src/db/pg.ts': code`
          import { Pool } from 'pg';

          let pool: Pool | undefined;

          export function getPool(): Pool {
            if (!pool) pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
            return pool;
          }
        `,
        'src/db/mysql.ts': code`
          import mysql, { type Pool } from 'mysql2/promise';

          let pool: Pool | null = null;

          export const getPool = () => (pool ??= mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 5 }));
        `,
        'src/db/knex.ts': code`
          import knex, { type Knex } from 'knex';

          export class Database {
            private static instance: Knex | undefined;

            static get(): Knex {
              if (!Database.instance) {
                Database.instance = knex({ client: 'pg', connection: process.env.DATABASE_URL });
              }
              return Database.instance;
            }
          }
        `,
      },
    },
    {
      name: 'runs once: a module-level IIFE and a static class field',
      files: {
        'src/db/mysql.ts': code`
          import mysql from 'mysql2/promise';

          export const db = (() => mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 5 }))();
        `,
        'src/models/repo.ts': code`
          import { Sequelize } from 'sequelize';

          export class Repo {
            static sequelize = new Sequelize(process.env.DATABASE_URL!, { dialect: 'postgres' });
          }
        `,
      },
    },
    {
      name: 'NestJS: a PrismaService provider is built by the framework, once per module listing',
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
        'src/prisma/prisma.module.ts': code`
          import { Global, Module } from '@nestjs/common';
          import { PrismaService } from './prisma.service';

          @Global()
          @Module({ providers: [PrismaService], exports: [PrismaService] })
          export class PrismaModule {}
        `,
        'src/users/users.service.ts': code`
          import { Injectable } from '@nestjs/common';
          import { PrismaService } from '../prisma/prisma.service';

          @Injectable()
          export class UsersService {
            constructor(private readonly prisma: PrismaService) {}

            findAll() {
              return this.prisma.user.findMany();
            }
          }
        `,
      },
    },
    {
      name: 'clients built per test in test files (test/, *.spec.ts, __tests__/)',
      files: {
        'test/users.test.ts': code`
          import { test } from 'node:test';
          import { PrismaClient } from '@prisma/client';

          test('creates a user', async () => {
            const prisma = new PrismaClient();
            await prisma.user.create({ data: { email: 'a@example.com' } });
          });
        `,
        'src/users.spec.ts': code`
          import { Pool } from 'pg';

          describe('users', () => {
            it('connects', async () => {
              const pool = new Pool();
              await pool.query('select 1');
            });
          });
        `,
        'src/__tests__/orders.ts': code`
          import { PrismaClient } from '@prisma/client';

          beforeEach(async () => {
            const prisma = new PrismaClient();
            await prisma.order.deleteMany();
          });
        `,
      },
    },
    {
      name: "a seed script's main(), called once from module level",
      files: {
        'prisma/seed.ts': code`
          import { PrismaClient } from '@prisma/client';

          async function main() {
            const prisma = new PrismaClient();
            try {
              await prisma.user.create({ data: { email: 'admin@example.com' } });
            } finally {
              await prisma.$disconnect();
            }
          }

          main().catch((error) => {
            console.error(error);
            process.exit(1);
          });
        `,
      },
    },
    {
      name: 'the rule turned off',
      settings: { rules: { 'per-call-client': 'off' } },
      files: { 'src/routes/users.ts': USERS_ROUTE },
    },
  ],
  invalid: [
    {
      name: 'a shared() of your own is not leakhound/runtime’s: its callback is still per call',
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { PrismaClient } from '@prisma/client';
          import { shared } from './cache';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            const prisma = shared('prisma', () => new PrismaClient());
            res.json(await prisma.user.findMany());
          });
        `,
      },
      findings: [{ file: 'src/routes/users.ts', line: 8, severity: 'error', message: /^new PrismaClient\(\) builds a new Prisma client on every request of GET \/users/ }],
    },
    {
      name: 'Express: a PrismaClient per request, never disconnected, is an error',
      files: { 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/routes/users.ts': USERS_ROUTE },
      findings: [
        {
          file: 'src/routes/users.ts',
          line: 7,
          severity: 'error',
          message:
            /^new PrismaClient\(\) builds a new Prisma client on every request of GET \/users \(up to 5 connections each\), and it is never disconnected, so every call leaves its connections open\. Build it once at module level/,
        },
      ],
    },
    {
      name: 'disconnected in a finally: still a finding, but only a warning',
      files: {
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { PrismaClient } from '@prisma/client';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            const prisma = new PrismaClient();
            try {
              res.json(await prisma.user.findMany());
            } finally {
              await prisma.$disconnect();
            }
          });
        `,
      },
      findings: [
        {
          file: 'src/routes/users.ts',
          line: 7,
          severity: 'warning',
          message: /on every request of GET \/users .*even though it is disconnected in a `finally`, every call pays for a new pool/,
        },
      ],
    },
    {
      name: 'disconnected after the query but outside a finally: an error (a throw skips it)',
      files: {
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { PrismaClient } from '@prisma/client';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            const prisma = new PrismaClient();
            const users = await prisma.user.findMany();
            await prisma.$disconnect();
            res.json(users);
          });
        `,
      },
      findings: [
        {
          file: 'src/routes/users.ts',
          line: 7,
          severity: 'error',
          message: /disconnected outside a `finally`, so every call that throws leaves its connections open/,
        },
      ],
    },
    {
      name: "disconnecting another client in the finally does not dispose of this one",
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { PrismaClient } from '@prisma/client';
          import { prisma as shared } from '../lib/prisma';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            const prisma = new PrismaClient();
            try {
              res.json(await prisma.user.findMany());
            } finally {
              await shared.$disconnect();
            }
          });
        `,
      },
      findings: [{ file: 'src/routes/users.ts', line: 8, severity: 'error', message: /never disconnected/ }],
    },
    {
      name: 'Next.js app router: GET builds a client on every request',
      files: {
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'app/api/orders/route.ts': code`
          import { PrismaClient } from '@prisma/client';

          export async function GET() {
            const prisma = new PrismaClient();
            const orders = await prisma.order.findMany();
            return Response.json(orders);
          }
        `,
      },
      findings: [
        {
          file: 'app/api/orders/route.ts',
          line: 4,
          severity: 'error',
          message: /^new PrismaClient\(\) builds a new Prisma client on every request of GET \/api\/orders \(up to 5 connections each\)/,
        },
      ],
    },
    {
      name: 'cross-file: a subclass of PrismaClient from lib/ built in a route handler',
      files: {
        'src/lib/db.ts': code`
          import { PrismaClient } from '@prisma/client';

          export class Db extends PrismaClient {
            usersNamed(name: string) {
              return this.user.findMany({ where: { name } });
            }
          }
        `,
        'src/routes/search.ts': code`
          import { Router } from 'express';
          import { Db } from '../lib/db';

          const router = Router();

          router.post('/users/search', async (req, res) => {
            const db = new Db();
            res.json(await db.usersNamed(req.body.name));
          });

          export default router;
        `,
      },
      findings: [
        {
          file: 'src/routes/search.ts',
          line: 7,
          severity: 'error',
          message: /^new Db\(\) builds a new Prisma client on every request of POST \/users\/search/,
        },
      ],
    },
    {
      name: 'cross-file: a helper that builds a client per call, called from handlers',
      files: {
        'src/lib/db.ts': code`
          import { PrismaClient } from '@prisma/client';

          export function createClient() {
            return new PrismaClient({ log: ['error'] });
          }
        `,
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { createClient } from '../lib/db';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            const prisma = createClient();
            res.json(await prisma.user.findMany());
          });
        `,
      },
      findings: [{ file: 'src/lib/db.ts', line: 4, severity: 'error', message: /on every call of createClient \(up to 5 connections each\), and it is never disconnected/ }],
    },
    {
      name: 'NestJS: a client built in a service constructor, one per instance',
      files: {
        'src/users/users.service.ts': code`
          import { Injectable } from '@nestjs/common';
          import { PrismaClient } from '@prisma/client';

          @Injectable()
          export class UsersService {
            private readonly prisma: PrismaClient;

            constructor() {
              this.prisma = new PrismaClient();
            }

            findAll() {
              return this.prisma.user.findMany();
            }
          }
        `,
      },
      findings: [{ file: 'src/users/users.service.ts', line: 9, severity: 'error', message: /for every instance \(UsersService\.constructor\)/ }],
    },
    {
      name: 'NestJS: a client built in a @Get handler of a controller',
      files: {
        'src/orders/orders.controller.ts': code`
          import { Controller, Get, Param } from '@nestjs/common';
          import { PrismaClient } from '@prisma/client';

          @Controller('orders')
          export class OrdersController {
            @Get(':id')
            async findOne(@Param('id') id: string) {
              const prisma = new PrismaClient();
              return prisma.order.findUnique({ where: { id } });
            }
          }
        `,
      },
      findings: [
        {
          file: 'src/orders/orders.controller.ts',
          line: 8,
          severity: 'error',
          message: /on every request of GET \/orders\/:id \(OrdersController\.findOne\)/,
        },
      ],
    },
    {
      name: 'Bull: a pg Pool per job, ended outside a finally',
      files: {
        'src/jobs/email.ts': code`
          import Queue from 'bull';
          import { Pool } from 'pg';

          const emailQueue = new Queue('email', process.env.REDIS_URL!);

          emailQueue.process('send', async (job) => {
            const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
            await pool.query('insert into sent_emails(id) values ($1)', [job.data.id]);
            await pool.end();
          });
        `,
      },
      findings: [
        {
          file: 'src/jobs/email.ts',
          line: 7,
          severity: 'error',
          message: /^new Pool\(\) builds a new pg pool or client for every job of process 'send' \(up to 4 connections each\), and it is disconnected outside a `finally`/,
        },
      ],
    },
    {
      name: "BullMQ: a PrismaClient per job of a Worker",
      files: {
        'src/workers/invoices.ts': code`
          import { Worker } from 'bullmq';
          import { PrismaClient } from '@prisma/client';

          export const worker = new Worker('invoices', async (job) => {
            const prisma = new PrismaClient();
            await prisma.invoice.update({ where: { id: job.data.id }, data: { sent: true } });
          });
        `,
      },
      findings: [{ file: 'src/workers/invoices.ts', line: 5, severity: 'error', message: /for every job of worker 'invoices'/ }],
    },
    {
      name: 'a timer: knex per tick, destroyed in a finally (warning)',
      files: {
        'src/cron.ts': code`
          import knex from 'knex';

          setInterval(async () => {
            const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { max: 3 } });
            try {
              await db('sessions').where('expires_at', '<', new Date()).del();
            } finally {
              await db.destroy();
            }
          }, 60_000);
        `,
      },
      findings: [
        {
          file: 'src/cron.ts',
          line: 4,
          severity: 'warning',
          message: /^knex\(\) builds a new knex instance on every tick of setInterval \(up to 3 connections each\), even though it is disconnected in a `finally`/,
        },
      ],
    },
    {
      name: 'mysql2: a connection per call of a query helper, ended outside a finally',
      files: {
        'src/lib/db.ts': code`
          import mysql from 'mysql2/promise';

          export async function query(sql: string) {
            const connection = await mysql.createConnection(process.env.DATABASE_URL!);
            const [rows] = await connection.query(sql);
            await connection.end();
            return rows;
          }
        `,
      },
      findings: [
        {
          file: 'src/lib/db.ts',
          line: 4,
          severity: 'error',
          message: /^mysql\.createConnection\(\) builds a new mysql2 pool or connection on every call of query \(up to 1 connection/,
        },
      ],
    },
    {
      name: 'Sequelize per event, TypeORM per method call (destroyed in a finally), mongoose per request',
      files: {
        'src/listeners/audit.ts': code`
          import { EventEmitter } from 'node:events';
          import { Sequelize } from 'sequelize';

          export const bus = new EventEmitter();

          bus.on('audit', async (entry) => {
            const sequelize = new Sequelize(process.env.DATABASE_URL!, { dialect: 'postgres', pool: { max: 2 } });
            await sequelize.query('insert into audit values (?)', { replacements: [entry] });
          });
        `,
        'src/reports/report.service.ts': code`
          import { DataSource } from 'typeorm';

          export class ReportService {
            async monthly() {
              const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 6 });
              await dataSource.initialize();
              try {
                return await dataSource.query('select 1');
              } finally {
                await dataSource.destroy();
              }
            }
          }
        `,
        'src/routes/health.ts': code`
          import express from 'express';
          import mongoose from 'mongoose';

          export const app = express();

          app.get('/health', async (_req, res) => {
            const conn = await mongoose.createConnection(process.env.MONGO_URL!).asPromise();
            res.json({ ok: conn.readyState === 1 });
          });
        `,
      },
      findings: [
        {
          file: 'src/listeners/audit.ts',
          line: 7,
          severity: 'error',
          message: /^new Sequelize\(\) builds a new Sequelize instance on every event of bus\.on\('audit'\) \(up to 2 connections each\), and it is never disconnected/,
        },
        {
          file: 'src/reports/report.service.ts',
          line: 5,
          severity: 'warning',
          message: /^new DataSource\(\) builds a new TypeORM DataSource on every call of ReportService\.monthly \(up to 6 connections each\), even though/,
        },
        {
          file: 'src/routes/health.ts',
          line: 7,
          severity: 'error',
          message: /^mongoose\.createConnection\(\) builds a new mongoose connection on every request of GET \/health \(up to 100 connections each\)/,
        },
      ],
    },
    {
      name: 'CommonJS: require("pg") and an Express router',
      files: {
        'package.json': '{ "name": "legacy-api", "main": "app.js" }',
        'routes/users.js': code`
          const express = require('express');
          const { Pool } = require('pg');

          const router = express.Router();

          router.get('/', async function (req, res) {
            const pool = new Pool();
            const result = await pool.query('SELECT * FROM users');
            res.json(result.rows);
          });

          module.exports = router;
        `,
      },
      findings: [{ file: 'routes/users.js', line: 7, severity: 'error', message: /on every request of GET \/ \(up to 10 connections each\)/ }],
    },
    {
      name: "the pool size per call comes from connection_limit in .env's DATABASE_URL (schema.prisma: env(\"DATABASE_URL\"))",
      files: {
        '.env': 'DATABASE_URL="postgresql://app:secret@db.internal:5432/app?connection_limit=3&pool_timeout=10"\n',
        'prisma/schema.prisma': POSTGRES_SCHEMA,
        'src/routes/users.ts': USERS_ROUTE,
      },
      findings: [{ file: 'src/routes/users.ts', line: 7, severity: 'error', message: /\(up to 3 connections each\)/ }],
    },
    {
      name: "cpus: Prisma's default pool is cpus × 2 + 1 (8 CPUs → 17)",
      settings: { cpus: 8 },
      files: { 'prisma/schema.prisma': POSTGRES_SCHEMA, 'src/routes/users.ts': USERS_ROUTE },
      findings: [{ file: 'src/routes/users.ts', line: 7, severity: 'error', message: /\(up to 17 connections each\)/ }],
    },
    {
      name: 'Prisma 7: a driver adapter built per request with max: 20',
      files: {
        'app/api/users/route.ts': code`
          import { PrismaClient } from '@prisma/client';
          import { PrismaPg } from '@prisma/adapter-pg';

          export async function GET() {
            const connectionString = process.env.DATABASE_URL;
            const adapter = new PrismaPg({ connectionString, max: 20 });
            const prisma = new PrismaClient({ adapter });
            return Response.json(await prisma.user.findMany());
          }
        `,
      },
      findings: [{ file: 'app/api/users/route.ts', line: 7, severity: 'error', message: /on every request of GET \/api\/users \(up to 20 connections each\)/ }],
    },
    {
      name: 'a level set by the user is kept: never disconnected stays a warning when the rule is set to warning',
      settings: { rules: { 'per-call-client': 'warning' } },
      files: { 'src/routes/users.ts': USERS_ROUTE },
      findings: [{ file: 'src/routes/users.ts', line: 7, severity: 'warning', message: /never disconnected/ }],
    },
    {
      name: 'the rule set to error: a client disconnected in a finally is an error too',
      settings: { rules: { 'per-call-client': 'error' } },
      files: {
        'src/routes/users.ts': code`
          import { Router } from 'express';
          import { PrismaClient } from '@prisma/client';

          export const router = Router();

          router.get('/users', async (_req, res) => {
            const prisma = new PrismaClient();
            try {
              res.json(await prisma.user.findMany());
            } finally {
              await prisma.$disconnect();
            }
          });
        `,
      },
      findings: [{ file: 'src/routes/users.ts', line: 7, severity: 'error', message: /disconnected in a `finally`/ }],
    },
  ],
});
