/**
 * The byte-level pre-filters: what they let through must include every file a rule or a client
 * spec could find something in; what they keep out is the speed. The rule tests check the
 * first half end to end; these check both halves directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayHoldRuleFinding } from '../../src/core/rule-triggers.js';
import { importsAnyModule } from '../../src/core/source-reader.js';

const held = (code: string) => mayHoldRuleFinding(Buffer.from(code));

test('a long-lived collection grown in recurring code is let through, however it grows', () => {
  for (const code of [
    "const history = [];\nemitter.on('query', (e) => history.push(e));",
    "export const cache = new Map();\napp.get('/u', (req) => { cache.set(req.id, req.body); });",
    "const seen = new Set();\nsetInterval(() => seen\n  .add(Date.now()), 1000);",
    "let log = [];\nsetInterval(() => { log = log.concat([1]); }, 10);",
    "let log = [];\nsetInterval(() => { log = [...log, 1]; }, 10);",
    "const byId = {};\nbus.on('x', (e) => { byId[e.id] = e; });",
    "const byId: Record<string, E> = {};\nbus.on('x', (e) => { byId![e.id] = e; });",
    "const items = new Map();\nbus.on('x', (e) => { (items as Map<string, E>).set(e.id, e); });",
    "class Recorder {\n  private readonly queries: string[] = [];\n  start() { this.client.$on('query', (e) => this.queries?.push(e.query)); }\n}",
    "class Recorder {\n  constructor() { this.events = []; }\n  start() { emitter.on('x', (e) => this.events.unshift(e)); }\n}",
    "class Recorder {\n  static all = new Set();\n  start() { emitter.on('x', (e) => Recorder.all.add(e)); }\n}",
    // The same name declared twice: one's removal must not hide the other's growth.
    "class A {\n  private entries = new Map();\n  drop(k) { this.entries.delete(k); }\n}\nclass B {\n  private entries = new Map();\n  constructor() { bus.on('x', (e) => this.entries.set(e.id, e)); }\n}",
    "const cache = new Map();\nbus.on('x', (e) => { (cache).set(e.id, e); });",
  ]) {
    assert.equal(held(code), true, code);
  }
});

test('collections that are bounded, not long-lived, or never grown in recurring code are kept out', () => {
  for (const code of [
    // Bounded: something removes from it.
    "const history = [];\nemitter.on('query', (e) => { history.push(e); if (history.length > 100) history.shift(); });",
    "const cache = new Map();\napp.get('/u', (req) => { cache.set(req.id, 1); setTimeout(() => cache.delete(req.id), 1000); });",
    "const byId = {};\nbus.on('x', (e) => { byId[e.id] = e; });\nbus.on('y', (e) => { delete byId[e.id]; });",
    "const log = [];\nsetInterval(() => { log.push(1); if (log.length > 9) log.length = 0; }, 10);",
    // Grown, but nothing recurs.
    'const rows = [];\nfor (const x of input) rows.push(x);\nexport default rows;',
    // Recurs, but the collection is local.
    "emitter.on('x', (e) => {\n  const batch = [];\n  batch.push(e);\n});",
    // Declared, never grown.
    "const LEVELS = ['info', 'warn'];\nemitter.on('x', () => console.log(LEVELS));",
    'export const x = 1;',
  ]) {
    assert.equal(held(code), false, code);
  }
});

test('shutdown, transaction limits, heap snapshots and queues are let through', () => {
  for (const code of [
    "process.on('SIGTERM', () => server.close());",
    'await prisma.$transaction(async (tx) => {}, { timeout: 60000 });',
    "import v8 from 'node:v8';\nsetInterval(() => v8.writeHeapSnapshot(), 60000);",
    "import { Queue } from 'bullmq';\nexport const q = new Queue('mail');",
    "const { Queue } = require('bull');\nmodule.exports = new Queue('x');",
  ]) {
    assert.equal(held(code), true, code);
  }
  assert.equal(held('await prisma.$transaction([a, b]);'), false);
  assert.equal(held("// uses bullmq's Queue one day\nexport const x = 1;"), false);
});

test('importsAnyModule reads only the places a module specifier can stand', () => {
  const names = ['pg', 'drizzle', 'redis', 'sequelize', 'neondatabase'];
  for (const code of [
    "import { Pool } from 'pg';",
    'import pg from "pg";',
    "const { Pool } = require('pg');",
    "const { Pool } = require ( 'pg' );",
    "const pg = await import('pg');",
    "import {\n  Pool,\n} from\n  'pg';",
    "import { drizzle } from 'drizzle-orm/node-postgres';",
    "import { createClient } from '@redis/client';",
    "import { Sequelize } from '@sequelize/core';",
    "import { neon } from '@neondatabase/serverless';",
    'import pg from `pg`;',
    "export { Pool } from 'pg/lib/pool';",
  ]) {
    assert.equal(importsAnyModule(Buffer.from(code), names), true, code);
  }
  for (const code of [
    "import { redisUrl } from './lib/redis.js';",
    "const client = redis.createClient();",
    "import { pgp } from 'pgp';",
    "const s = 'pg';",
    "import { x } from 'pgx';",
    'const from = 1; const pg = from;',
  ]) {
    assert.equal(importsAnyModule(Buffer.from(code), names), false, code);
  }
});
