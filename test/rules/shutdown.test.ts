/**
 * shutdown: live clients with no SIGTERM/SIGINT handler that disconnects them (one finding per
 * project, a warning), and the shared client disconnected inside a handler or job (an error at
 * each call).
 */
import { ruleCases } from '../helpers/rule-cases.js';

const PRISMA_DB = `import { PrismaClient } from '@prisma/client';

export const prisma = new PrismaClient();
`;

/** The shared client with a SIGTERM handler that disconnects it: the first half of the rule is quiet. */
const PRISMA_DB_WITH_SHUTDOWN = `import { PrismaClient } from '@prisma/client';

export const prisma = new PrismaClient();

process.on('SIGTERM', async () => {
  await prisma.$disconnect();
  process.exit(0);
});
`;

const EXPRESS_SERVER = `import express from 'express';
import { prisma } from './db.js';

const app = express();

app.get('/users', async (req, res) => {
  res.json(await prisma.user.findMany());
});

app.listen(3000);
`;

const NEST_PRISMA_SERVICE = `import { Injectable, OnModuleInit, OnModuleDestroy } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  async onModuleInit() {
    await this.$connect();
  }

  async onModuleDestroy() {
    await this.$disconnect();
  }
}
`;

const NEST_APP_MODULE = `import { Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { UsersController } from './users/users.controller';

@Module({
  controllers: [UsersController],
  providers: [PrismaService],
})
export class AppModule {}
`;

function nestMain(enableShutdownHooks: boolean): string {
  return `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  ${enableShutdownHooks ? 'app.enableShutdownHooks();' : '// shutdown hooks are off'}
  await app.listen(3000);
}
bootstrap();
`;
}

const NEST_USERS_CONTROLLER = `import { Controller, Get } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

@Controller('users')
export class UsersController {
  constructor(private readonly prisma: PrismaService) {}

  @Get()
  findAll() {
    return this.prisma.user.findMany();
  }
}
`;

const PG_POOL = `import { Pool } from 'pg';

export const pool = new Pool({ max: 10 });
`;

ruleCases('shutdown', {
  valid: [
    {
      name: 'closeWithGrace with options first, then the handler that disconnects',
      files: {
        'src/server.ts': `import closeWithGrace from 'close-with-grace';
import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient();
closeWithGrace({ delay: 500 }, async () => {
  await prisma.$disconnect();
});
`,
      },
    },
    {
      name: 'SIGTERM and SIGINT call a local shutdown() that disconnects',
      files: {
        'src/db.ts': PRISMA_DB,
        'src/server.ts': `import express from 'express';
import { prisma } from './db.js';

const app = express();
const server = app.listen(3000);

async function shutdown(signal: string) {
  console.log(\`\${signal} received, closing\`);
  server.close();
  await prisma.$disconnect();
  process.exit(0);
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
`,
      },
    },
    {
      name: 'a named handler function passed to process.once disconnects',
      files: {
        'src/db.ts': PRISMA_DB,
        'src/server.ts': `import { prisma } from './db.js';

async function handleSignal(signal: NodeJS.Signals) {
  console.log('received', signal);
  await prisma.$disconnect();
  process.exit(0);
}

process.once('SIGTERM', handleSignal);
`,
      },
    },
    {
      name: 'NestJS: onModuleDestroy disconnects and main.ts enables shutdown hooks',
      files: {
        'src/prisma.service.ts': NEST_PRISMA_SERVICE,
        'src/app.module.ts': NEST_APP_MODULE,
        'src/users/users.controller.ts': NEST_USERS_CONTROLLER,
        'src/main.ts': nestMain(true),
      },
    },
    {
      name: "createTerminus with onSignal ending the pool (not a handler's disconnect)",
      files: {
        'src/db.ts': PG_POOL,
        'src/server.ts': `import http from 'node:http';
import { createTerminus } from '@godaddy/terminus';
import { pool } from './db.js';

const server = http.createServer((req, res) => res.end('ok'));

createTerminus(server, {
  signals: ['SIGTERM', 'SIGINT'],
  onSignal: () => pool.end(),
});

server.listen(3000);
`,
      },
    },
    {
      name: 'close-with-grace callback disconnects',
      files: {
        'src/db.ts': PRISMA_DB,
        'src/server.ts': `import closeWithGrace from 'close-with-grace';
import { prisma } from './db.js';

closeWithGrace(async ({ err }) => {
  if (err) console.error(err);
  await prisma.$disconnect();
});
`,
      },
    },
    {
      name: 'a per-request pg client ended in its own finally',
      files: {
        'src/db.ts': PRISMA_DB_WITH_SHUTDOWN,
        'src/routes/export.ts': `import express from 'express';
import { Client } from 'pg';

export const app = express();

app.get('/export', async (req, res) => {
  const client = new Client({ connectionString: process.env.REPORTS_URL });
  await client.connect();
  try {
    const { rows } = await client.query('select * from report');
    res.json(rows);
  } finally {
    await client.end();
  }
});
`,
      },
    },
    {
      name: 'res.end() and stream.destroy() are not client disconnects',
      files: {
        'src/db.ts': PRISMA_DB_WITH_SHUTDOWN,
        'src/routes/health.ts': `import express from 'express';
import { createReadStream } from 'node:fs';
import { prisma } from '../db.js';

export const app = express();

app.get('/health', async (req, res) => {
  await prisma.$queryRaw\`select 1\`;
  res.status(200).end();
});

app.get('/logo', (req, res) => {
  const stream = createReadStream('logo.png');
  req.on('close', () => stream.destroy());
  stream.pipe(res);
});
`,
      },
    },
    {
      name: 'a seed script disconnects when it is done',
      files: {
        'src/db.ts': PRISMA_DB_WITH_SHUTDOWN,
        'scripts/seed-users.ts': `import { prisma } from '../src/db.js';

async function seedUsers() {
  await prisma.user.create({ data: { email: 'admin@example.com' } });
  await prisma.$disconnect();
}

seedUsers();
`,
      },
    },
    {
      name: 'clients built only in tests need no shutdown handler',
      files: {
        'test/db.ts': PRISMA_DB,
        'src/users.spec.ts': `import { PrismaClient } from '@prisma/client';\n\nconst prisma = new PrismaClient();\n`,
      },
    },
  ],
  invalid: [
    {
      name: 'a beforeExit handler is no shutdown path: Node does not emit it on signals',
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient();
process.on('beforeExit', async () => {
  await prisma.$disconnect();
});
`,
      },
      findings: [{ file: 'src/db.ts', line: 3, message: /^The beforeExit handler at src\/db\.ts:3 never runs on SIGTERM\/SIGINT/ }],
    },
    {
      name: 'an Express app with a live client and no signal handler at all',
      files: { 'src/db.ts': PRISMA_DB, 'src/server.ts': EXPRESS_SERVER },
      findings: [
        {
          file: 'src/db.ts',
          line: 3,
          severity: 'warning',
          message: /^1 live Prisma client \(src\/db\.ts:3\) but nothing handles SIGTERM\/SIGINT to disconnect them/,
        },
      ],
    },
    {
      name: 'a pg pool and an ioredis client: one finding for the project',
      files: {
        'src/db.js': `const { Pool } = require('pg');
const Redis = require('ioredis');

const pool = new Pool({ max: 10 });
const redis = new Redis(process.env.REDIS_URL);

module.exports = { pool, redis };
`,
      },
      findings: [{ file: 'src/db.js', line: 4, message: /^2 live database clients \(src\/db\.js:4, src\/db\.js:5\) but nothing handles SIGTERM\/SIGINT/ }],
    },
    {
      name: 'a SIGTERM handler that exits without disconnecting',
      files: {
        'src/db.ts': PRISMA_DB,
        'src/server.ts': `import express from 'express';
import { prisma } from './db.js';

const app = express();
app.get('/users', async (req, res) => res.json(await prisma.user.findMany()));
app.listen(3000);

process.on('SIGTERM', () => {
  console.log('bye');
  process.exit(0);
});
`,
      },
      findings: [
        {
          file: 'src/server.ts',
          line: 8,
          severity: 'warning',
          message: /^The SIGTERM handler at src\/server\.ts:8 does not disconnect the 1 live Prisma client/,
        },
      ],
    },
    {
      name: 'a SIGTERM handler calling a local stop() that does not disconnect',
      files: {
        'src/db.ts': PRISMA_DB,
        'src/server.ts': `import { prisma } from './db.js';

function stop() {
  console.log('stopping');
  process.exit(0);
}

process.on('SIGTERM', stop);
`,
      },
      findings: [{ file: 'src/server.ts', line: 8, message: /^The SIGTERM handler at src\/server\.ts:8 does not disconnect/ }],
    },
    {
      name: 'a SIGUSR2 heap-snapshot handler is not a shutdown handler',
      files: {
        'src/db.ts': PRISMA_DB,
        'src/server.ts': `import v8 from 'node:v8';

process.on('SIGUSR2', () => {
  v8.writeHeapSnapshot();
});
`,
      },
      findings: [{ file: 'src/db.ts', line: 3, message: /^1 live Prisma client \(src\/db\.ts:3\) but nothing handles SIGTERM\/SIGINT/ }],
    },
    {
      name: 'NestJS: onModuleDestroy without app.enableShutdownHooks() never runs on a signal',
      files: {
        'src/prisma.service.ts': NEST_PRISMA_SERVICE,
        'src/app.module.ts': NEST_APP_MODULE,
        'src/users/users.controller.ts': NEST_USERS_CONTROLLER,
        'src/main.ts': nestMain(false),
      },
      findings: [
        {
          // The client is the provider listing: NestJS constructs PrismaService there.
          file: 'src/app.module.ts',
          line: 7,
          message: /nothing handles SIGTERM\/SIGINT.*NestJS runs onModuleDestroy on signals only after app\.enableShutdownHooks\(\)/,
        },
      ],
    },
    {
      name: 'NestJS: shutdown hooks on, but the service has no onModuleDestroy',
      files: {
        'src/prisma.service.ts': `import { Injectable, OnModuleInit } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit {
  async onModuleInit() {
    await this.$connect();
  }
}
`,
        'src/app.module.ts': NEST_APP_MODULE,
        'src/users/users.controller.ts': NEST_USERS_CONTROLLER,
        'src/main.ts': nestMain(true),
      },
      findings: [{ file: 'src/app.module.ts', line: 7, message: /^1 live Prisma client \(src\/app\.module\.ts:7\) but nothing handles SIGTERM\/SIGINT/ }],
    },
    {
      name: 'createTerminus with only health checks leaves the pool open',
      files: {
        'src/db.ts': PG_POOL,
        'src/server.ts': `import http from 'node:http';
import { createTerminus } from '@godaddy/terminus';

const server = http.createServer((req, res) => res.end('ok'));

createTerminus(server, {
  signals: ['SIGTERM'],
  healthChecks: { '/healthz': async () => 'ok' },
});

server.listen(3000);
`,
      },
      findings: [{ file: 'src/db.ts', line: 3, message: /^1 live pg pool or client \(src\/db\.ts:3\) but nothing handles SIGTERM\/SIGINT/ }],
    },
    {
      name: 'prisma.$disconnect() in the finally of an Express handler',
      files: {
        'src/db.ts': PRISMA_DB_WITH_SHUTDOWN,
        'src/routes/users.ts': `import { Router } from 'express';
import { prisma } from '../db.js';

export const users = Router();

users.get('/users', async (req, res) => {
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
          line: 10,
          severity: 'error',
          message: /^prisma\.\$disconnect\(\) inside GET \/users closes the shared client after every call/,
        },
      ],
    },
    {
      name: 'pool.end() at the end of a Bull processor',
      files: {
        'src/db.js': `const { Pool } = require('pg');

const pool = new Pool();
process.on('SIGTERM', () => pool.end());

module.exports = { pool };
`,
        'src/jobs/report.js': `const Queue = require('bull');
const { pool } = require('../db');

const reports = new Queue('reports', process.env.REDIS_URL);

reports.process(async (job) => {
  const { rows } = await pool.query('select * from orders where day = $1', [job.data.day]);
  await pool.end();
  return rows.length;
});
`,
      },
      findings: [
        {
          file: 'src/jobs/report.js',
          line: 8,
          severity: 'error',
          message: /^pool\.end\(\) inside process 'default' closes the shared client after every call/,
        },
      ],
    },
    {
      name: 'this.prisma.$disconnect() in a NestJS controller',
      files: {
        'src/prisma.service.ts': NEST_PRISMA_SERVICE,
        'src/app.module.ts': NEST_APP_MODULE,
        'src/main.ts': nestMain(true),
        'src/users/users.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

@Controller('users')
export class UsersController {
  constructor(private readonly prisma: PrismaService) {}

  @Get()
  async findAll() {
    const users = await this.prisma.user.findMany();
    await this.prisma.$disconnect();
    return users;
  }
}
`,
      },
      findings: [
        {
          file: 'src/users/users.controller.ts',
          line: 11,
          severity: 'error',
          message: /^this\.prisma\.\$disconnect\(\) inside GET \/users \(UsersController\.findAll\) closes the shared client/,
        },
      ],
    },
    {
      name: 'both halves at once: no handler, and a disconnect in a handler',
      files: {
        'src/db.ts': PRISMA_DB,
        'src/routes/users.ts': `import { Router } from 'express';
import { prisma } from '../db.js';

export const users = Router();

users.post('/users', async (req, res) => {
  const user = await prisma.user.create({ data: req.body });
  await prisma.$disconnect();
  res.status(201).json(user);
});
`,
      },
      findings: [
        { file: 'src/db.ts', line: 3, severity: 'warning', message: /nothing handles SIGTERM\/SIGINT/ },
        { file: 'src/routes/users.ts', line: 8, severity: 'error', message: /^prisma\.\$disconnect\(\) inside POST \/users/ },
      ],
    },
  ],
});
