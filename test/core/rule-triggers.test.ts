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

test('fields are judged within their own class, found by indentation', () => {
  const lru = (name: string) =>
    `export class ${name} {\n  private readonly entries = new Map();\n  set(k, v) {\n    if (this.entries.size > 100) this.entries.delete(this.entries.keys().next().value);\n    this.entries.set(k, v);\n  }\n}\n`;
  const sleep = 'const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));\n';
  // Kept out: each class bounds its own field, and what recurs (a timer) lies outside the class
  // whose cache grows in a plain method.
  for (const code of [
    lru('A') + lru('B') + "emitter.on('x', () => {});\n",
    `${sleep}export class Service {\n  private readonly cache = new Map();\n  async find(id) {\n    const row = await db.get(id);\n    if (row) this.cache.set(id, row);\n    return row;\n  }\n}\n`,
  ]) {
    assert.equal(held(code), false, code);
  }
  // Let through: whatever could make the region wrong falls back to the whole file.
  for (const code of [
    // Another class's field, or a module variable, of the same name is another collection.
    `${lru('A')}export class B {\n  private readonly entries = new Map();\n  start() {\n    bus.on('x', (e) => this.entries.set(e.id, e));\n  }\n}\n`,
    "export class A {\n  cache = new Map();\n  start() {\n    bus.on('x', (e) => this.cache.set(e.id, e));\n  }\n}\nconst cache = new Map();\nexport function drop(k) {\n  cache.delete(k);\n}\n",
    // A static field grown from a listener outside its class.
    "export class Recorder {\n  static all = new Set();\n}\nemitter.on('x', (e) => Recorder.all.add(e));\n",
    // The recurring context is a class decorator, above the class.
    "@Processor('mail')\nexport class MailProcessor {\n  private sent = [];\n  handle(job) {\n    this.sent.push(job.id);\n  }\n}\n",
    // A class declared inside a handler: what encloses it recurs.
    "app.get('/x', () => {\n  class Batch {\n    items = [];\n    add(e) {\n      this.items.push(e);\n    }\n  }\n});\nfunction drop() {\n  this.items.shift();\n}\n",
    // A closing brace at the class's indentation inside a template literal: not the class's end.
    "export class Report {\n  rows = [];\n  template() {\n    return `\n}\n`;\n  }\n  start() {\n    bus.on('x', (e) => this.rows.push(e));\n  }\n}\n",
    // A nested class: its `this` is another object.
    "export class Outer {\n  log = [];\n  start() {\n    bus.on('x', (e) => this.log.push(e));\n    return class Inner {\n      log = [];\n      drop() {\n        this.log.shift();\n      }\n    };\n  }\n}\n",
  ]) {
    assert.equal(held(code), true, code);
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
