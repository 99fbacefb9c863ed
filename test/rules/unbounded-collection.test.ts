/**
 * unbounded-collection: a long-lived collection that a listener, timer, handler or job grows
 * while nothing in its file removes from it. The finding sits on the declaration and names the
 * first recurring growth site.
 */
import { ruleCases } from '../helpers/rule-cases.js';

/** The field report: every query event kept forever. */
const PRISMA_QUERY_HISTORY = `import { PrismaClient, type Prisma } from '@prisma/client';

export const prisma = new PrismaClient({ log: [{ level: 'query', emit: 'event' }] });
const queryHistory: Prisma.QueryEvent[] = [];

prisma.$on('query', (e) => {
  queryHistory.push(e);
});

export function recentQueries() {
  return queryHistory.slice(-20);
}
`;

/** An events module whose `message` listener appends to `received`; `extra` runs in the same listener. */
function messageLog(extra: string): string {
  return `import { EventEmitter } from 'node:events';

export const bus = new EventEmitter();
const received: string[] = [];

bus.on('message', (msg: string) => {
  received.push(msg);
  ${extra}
});
`;
}

ruleCases('unbounded-collection', {
  valid: [
    {
      name: 'shift() in the listener bounds the history',
      files: { 'src/events.ts': messageLog('if (received.length > 100) received.shift();') },
    },
    {
      name: 'splice() keeps the last entries',
      files: { 'src/events.ts': messageLog('if (received.length > 1000) received.splice(0, 500);') },
    },
    {
      name: 'length = 0 on a timer empties it',
      files: { 'src/events.ts': `${messageLog('')}\nsetInterval(() => {\n  received.length = 0;\n}, 60_000).unref();\n` },
    },
    {
      name: 'reassigned with slice() after every push',
      files: { 'src/events.ts': messageLog('received = received.slice(-100);').replace('const received', 'let received') },
    },
    {
      name: 'Map of in-flight requests deleted in finally',
      files: {
        'src/routes/users.ts': `import express from 'express';
import { prisma } from '../db.js';

const app = express();
const inflight = new Map<string, Promise<unknown>>();

app.get('/users/:id', async (req, res) => {
  const pending = prisma.user.findUnique({ where: { id: req.params.id } });
  inflight.set(req.params.id, pending);
  try {
    res.json(await pending);
  } finally {
    inflight.delete(req.params.id);
  }
});
`,
      },
    },
    {
      name: 'Map cache cleared by a timer',
      files: {
        'src/routes/products.ts': `import { Router } from 'express';

export const products = Router();
const cache = new Map<string, unknown>();

products.get('/products/:sku', (req, res) => {
  cache.set(req.params.sku, { at: Date.now() });
  res.json(cache.get(req.params.sku));
});

setInterval(() => cache.clear(), 5 * 60_000).unref();
`,
      },
    },
    {
      name: 'object of sessions: login adds, logout deletes',
      files: {
        'src/server.js': `const express = require('express');

const app = express();
const sessions = {};

app.post('/login', (req, res) => {
  sessions[req.body.token] = req.body.user;
  res.end();
});

app.post('/logout', (req, res) => {
  delete sessions[req.body.token];
  res.end();
});

app.listen(3000);
`,
      },
    },
    {
      name: 'pop() in another listener',
      files: {
        'src/undo.ts': `import { EventEmitter } from 'node:events';

export const editor = new EventEmitter();
const undoStack: string[] = [];

editor.on('change', (patch: string) => undoStack.push(patch));
editor.on('undo', () => undoStack.pop());
`,
      },
    },
    {
      name: 'grown only at module level (a route table built once)',
      files: {
        'src/server.ts': `import express from 'express';

const app = express();
const publicPaths: string[] = [];
for (const path of ['/health', '/ready']) publicPaths.push(path);
publicPaths.push('/metrics');

app.get('/paths', (req, res) => {
  res.json(publicPaths);
});
`,
      },
    },
    {
      name: 'grown in a plain helper (a registry filled at start-up)',
      files: {
        'src/registry.ts': `const handlers = new Map<string, () => void>();

export function register(name: string, fn: () => void) {
  handlers.set(name, fn);
}

export function handler(name: string) {
  return handlers.get(name);
}
`,
      },
    },
    {
      name: 'collections local to the handler die with the request',
      files: {
        'src/routes/report.ts': `import express from 'express';

const app = express();

app.get('/report', (req, res) => {
  const rows: number[] = [];
  for (let i = 0; i < 10; i++) rows.push(i);
  const seen = new Set<unknown>();
  seen.add(req.query.id);
  const byId: Record<string, number> = {};
  byId[String(req.query.id)] = rows.length;
  res.json({ rows, seen: seen.size, byId });
});
`,
      },
    },
    {
      name: 'a handler-local variable shadows the module collection',
      files: {
        'src/routes/audit.ts': `import express from 'express';

const app = express();
const entries: string[] = [];

app.post('/audit', (req, res) => {
  const entries: string[] = [];
  entries.push(req.body.event);
  res.json(entries);
});
`,
      },
    },
    {
      name: 'test files and test folders are not the service',
      files: {
        'src/db.test.ts': PRISMA_QUERY_HISTORY,
        'test/helpers/db.ts': PRISMA_QUERY_HISTORY,
        'src/__tests__/events.ts': messageLog(''),
      },
    },
  ],
  invalid: [
    {
      name: 'this.x = [] assigned in a constructor and grown by a timer',
      files: {
        'src/metrics.ts': `export class Sampler {
  private samples: number[];
  constructor() {
    this.samples = [];
    setInterval(() => {
      this.samples.push(Date.now());
    }, 10_000).unref();
  }
}
`,
      },
      findings: [{ file: 'src/metrics.ts', line: 4, message: /^Sampler\.samples \(instance field array\) grows with push\(\) on every tick/ }],
    },
    {
      name: 'Object.create(null) and new Array() grown in a route handler',
      files: {
        'src/login.ts': `import express from 'express';
const sessions = Object.create(null);
const logins = new Array();
export const app = express();
app.post('/login', (req, res) => {
  sessions[req.body.user] = Date.now();
  logins.push(req.body.user);
  res.end();
});
`,
      },
      findings: [
        { file: 'src/login.ts', line: 2, message: /^sessions \(module-level object\) grows with an indexed assignment on every request to POST \/login/ },
        { file: 'src/login.ts', line: 3, message: /^logins \(module-level array\) grows with push\(\)/ },
      ],
    },
    {
      name: "the field report: prisma.$on('query', e => history.push(e))",
      files: { 'src/db.ts': PRISMA_QUERY_HISTORY },
      findings: [
        {
          file: 'src/db.ts',
          line: 4,
          severity: 'warning',
          message: /^queryHistory \(module-level array\) grows with push\(\) on every event of prisma\.\$on\('query'\) \(line 7\) and nothing in this file ever removes from it/,
        },
      ],
    },
    {
      name: 'Express: a Map cache keyed by req.params.id',
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n`,
        'src/routes/users.ts': `import express from 'express';
import { prisma } from '../db.js';

const router = express.Router();
const userCache = new Map<string, unknown>();

router.get('/users/:id', async (req, res) => {
  const cached = userCache.get(req.params.id);
  if (cached) return res.json(cached);
  const user = await prisma.user.findUnique({ where: { id: req.params.id } });
  userCache.set(req.params.id, user);
  res.json(user);
});

export default router;
`,
      },
      findings: [
        {
          file: 'src/routes/users.ts',
          line: 5,
          message: /^userCache \(module-level Map\) grows with set\(\) on every request to GET \/users\/:id \(line 11\)/,
        },
      ],
    },
    {
      name: 'NestJS service: a class field array pushed in setInterval',
      files: {
        'src/metrics/metrics.service.ts': `import { Injectable } from '@nestjs/common';

@Injectable()
export class MetricsService {
  private readonly samples: { at: number; rss: number }[] = [];

  constructor() {
    setInterval(() => {
      this.samples.push({ at: Date.now(), rss: process.memoryUsage().rss });
    }, 10_000);
  }

  latest() {
    return this.samples[this.samples.length - 1];
  }
}
`,
      },
      findings: [
        {
          file: 'src/metrics/metrics.service.ts',
          line: 5,
          message: /^MetricsService\.samples \(instance field array\) grows with push\(\) on every tick of setInterval \(line 9\)/,
        },
      ],
    },
    {
      name: 'a field assigned new Map() in the constructor, set in a NestJS @Get handler',
      files: {
        'src/orders/orders.controller.ts': `import { Controller, Get, Param } from '@nestjs/common';

@Controller('orders')
export class OrdersController {
  private readonly lookups: Map<string, number>;

  constructor() {
    this.lookups = new Map();
  }

  @Get(':id')
  findOne(@Param('id') id: string) {
    this.lookups.set(id, (this.lookups.get(id) ?? 0) + 1);
    return { id };
  }
}
`,
      },
      findings: [
        {
          file: 'src/orders/orders.controller.ts',
          line: 8,
          message: /^OrdersController\.lookups \(instance field Map\) grows with set\(\) on every request to GET \/orders\/:id \(OrdersController\.findOne\) \(line 13\)/,
        },
      ],
    },
    {
      name: 'a static Set grown by a NestJS @OnEvent handler',
      files: {
        'src/audit/audit.listener.ts': `import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

@Injectable()
export class AuditListener {
  static seenOrders = new Set<string>();

  @OnEvent('order.created')
  handleOrderCreated(payload: { id: string }) {
    AuditListener.seenOrders.add(payload.id);
  }
}
`,
      },
      findings: [
        {
          file: 'src/audit/audit.listener.ts',
          line: 6,
          message: /^AuditListener\.seenOrders \(static Set\) grows with add\(\) on every event of AuditListener\.handleOrderCreated \(line 10\)/,
        },
      ],
    },
    {
      name: 'cache[key] = v on a module object in an Express handler (CommonJS)',
      files: {
        'src/server.js': `const express = require('express');

const app = express();
const sessions = {};

app.post('/login', (req, res) => {
  const token = Math.random().toString(36).slice(2);
  sessions[token] = { user: req.body.user, at: Date.now() };
  res.json({ token });
});

app.listen(3000);
`,
      },
      findings: [
        {
          file: 'src/server.js',
          line: 4,
          message: /^sessions \(module-level object\) grows with an indexed assignment on every request to POST \/login \(line 8\)/,
        },
      ],
    },
    {
      name: 'arr = [...arr, x] in a listener',
      files: {
        'src/events.ts': `import { EventEmitter } from 'node:events';

export const bus = new EventEmitter();
let received: string[] = [];

bus.on('message', (msg: string) => {
  received = [...received, msg];
});
`,
      },
      findings: [
        { file: 'src/events.ts', line: 4, message: /^received \(module-level array\) grows with concat\(\) on every event of bus\.on\('message'\) \(line 7\)/ },
      ],
    },
    {
      name: 'log = log.concat(x) in an Express handler',
      files: {
        'src/server.js': `const express = require('express');

const app = express();
let accessLog = [];

app.get('/ping', (req, res) => {
  accessLog = accessLog.concat({ at: Date.now(), ip: req.ip });
  res.send('pong');
});

app.listen(3000);
`,
      },
      findings: [{ file: 'src/server.js', line: 4, message: /^accessLog \(module-level array\) grows with concat\(\) on every request to GET \/ping \(line 7\)/ }],
    },
    {
      name: 'Next.js route handler adds to a module Set',
      files: {
        'app/api/track/route.ts': `import { NextResponse } from 'next/server';

const visitors = new Set<string>();

export async function POST(request: Request) {
  const { visitorId } = await request.json();
  visitors.add(visitorId);
  return NextResponse.json({ unique: visitors.size });
}
`,
      },
      findings: [{ file: 'app/api/track/route.ts', line: 3, message: /^visitors \(module-level Set\) grows with add\(\) on every request to POST \/api\/track \(line 7\)/ }],
    },
    {
      name: 'Bull processor unshifts into a module array',
      files: {
        'src/jobs/email.ts': `import Queue from 'bull';

const emailQueue = new Queue('email', process.env.REDIS_URL);
const sentTo: string[] = [];

emailQueue.process(async (job) => {
  sentTo.unshift(job.data.to);
  return { ok: true };
});
`,
      },
      findings: [{ file: 'src/jobs/email.ts', line: 4, message: /^sentTo \(module-level array\) grows with unshift\(\) on every job of process 'default' \(line 7\)/ }],
    },
    {
      name: 'BullMQ worker indexes into an Object.create(null) map',
      files: {
        'src/workers/thumbnail.ts': `import { Worker } from 'bullmq';

const processed = Object.create(null);

export const worker = new Worker(
  'thumbnail',
  async (job) => {
    processed[job.id!] = { done: Date.now() };
  },
  { connection: { host: 'redis' } },
);
`,
      },
      findings: [{ file: 'src/workers/thumbnail.ts', line: 3, message: /^processed \(module-level object\) grows with an indexed assignment on every job of worker 'thumbnail' \(line 8\)/ }],
    },
    {
      name: 'one finding per unbounded collection; the bounded neighbour stays quiet',
      files: {
        'src/events.ts': `import { EventEmitter } from 'node:events';

export const bus = new EventEmitter();
const all: string[] = [];
const recent: string[] = [];
const errors = new Map<string, Error>();

bus.on('message', (msg: string) => {
  all.push(msg);
  recent.push(msg);
  if (recent.length > 50) recent.shift();
});

bus.on('error', (error: Error) => {
  errors.set(error.message, error);
});
`,
      },
      findings: [
        { file: 'src/events.ts', line: 4, message: /^all \(module-level array\) grows with push\(\) on every event of bus\.on\('message'\) \(line 9\)/ },
        { file: 'src/events.ts', line: 6, message: /^errors \(module-level Map\) grows with set\(\) on every event of bus\.on\('error'\) \(line 15\)/ },
      ],
    },
    {
      name: 'grown by several handlers: the message names the first, the finding sits on the declaration',
      files: {
        'src/routes/feedback.ts': `import { Router } from 'express';

export const feedback = Router();
const submissions: { id: string; text: string }[] = [];

feedback.get('/feedback', (req, res) => {
  res.json(submissions);
});

feedback.post('/feedback', (req, res) => {
  submissions.push({ id: crypto.randomUUID(), text: req.body.text });
  res.status(201).end();
});

feedback.post('/feedback/bulk', (req, res) => {
  submissions.push(...req.body.items);
  res.status(201).end();
});
`,
      },
      findings: [
        {
          file: 'src/routes/feedback.ts',
          line: 4,
          message: /^submissions \(module-level array\) grows with push\(\) on every request to POST \/feedback \(line 11\)/,
        },
      ],
    },
    {
      name: 'the rule level from the settings applies',
      settings: { rules: { 'unbounded-collection': 'error' } },
      files: { 'src/events.ts': messageLog('') },
      findings: [{ file: 'src/events.ts', line: 4, severity: 'error', message: /grows for as long as the process lives/ }],
    },
  ],
});
