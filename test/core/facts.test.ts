/**
 * Inline cases for the per-file analysis: scope, enclosing context, singleton patterns,
 * options and exports. Cross-file binding is covered by the fixture projects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSource } from '../../src/core/parse.js';
import { extractFacts, type ConstructionFact } from '../../src/core/facts.js';
import type { AnyNode } from '../../src/core/ast.js';

function sites(code: string, file = 'src/a.ts'): ConstructionFact[] {
  const { program, errors } = parseSource(file, code);
  assert.deepEqual(errors, [], 'fixture code must parse');
  return extractFacts(file, code, program as unknown as AnyNode).constructions;
}

function only(code: string, file?: string): ConstructionFact {
  const found = sites(code, file);
  assert.equal(found.length, 1, `expected one site, got ${found.length}`);
  return found[0]!;
}

const IMPORT = "import { PrismaClient } from '@prisma/client';\n";

test('module level: runs once', () => {
  const site = only(`${IMPORT}export const prisma = new PrismaClient();`);
  assert.equal(site.scope, 'module');
  assert.equal(site.context.kind, 'module');
  assert.equal(site.assignedTo, 'prisma');
  assert.deepEqual([site.line, site.column], [2, 23]);
});

test('express handler: per request, named by method and path', () => {
  const site = only(`${IMPORT}router.post('/:id/reschedule', async (req, res) => { const p = new PrismaClient(); });`);
  assert.equal(site.scope, 'function');
  assert.deepEqual(site.context, { kind: 'route-handler', name: 'POST /:id/reschedule', line: 2 });
});

test('app.route(path).get(handler) takes the path from the chain', () => {
  const site = only(`${IMPORT}app.route('/tasks').get((req, res) => new PrismaClient());`);
  assert.equal(site.context.name, 'GET /tasks');
});

test('the nearest handler names the context even inside nested callbacks', () => {
  const site = only(`${IMPORT}app.get('/x', (req, res) => { [1].map(() => new PrismaClient()); });`);
  assert.equal(site.context.kind, 'route-handler');
});

test('queue processor, timer and listener', () => {
  const found = sites(
    `${IMPORT}queue.process('send', async (job) => new PrismaClient());\n` +
      `setInterval(() => new PrismaClient(), 1000);\n` +
      `emitter.on('tick', () => new PrismaClient());\n` +
      `new Worker('mail', async () => new PrismaClient());\n`,
  );
  assert.deepEqual(
    found.map((s) => [s.context.kind, s.context.name]),
    [
      ['queue-processor', "process 'send'"],
      ['timer', 'setInterval'],
      ['event-listener', "emitter.on('tick')"],
      ['queue-processor', "worker 'mail'"],
    ],
  );
});

test('class members: constructor and instance field run per instance, static field once', () => {
  const found = sites(
    `${IMPORT}export class A {\n  static shared = new PrismaClient();\n  field = new PrismaClient();\n  constructor() { this.p = new PrismaClient(); }\n}`,
  );
  assert.deepEqual(
    found.map((s) => [s.scope, s.context.kind, s.context.name, s.assignedTo]),
    [
      ['module', 'static-field', 'A.shared', 'static shared'],
      ['function', 'instance-field', 'A.field', 'this.field'],
      ['function', 'constructor', 'A.constructor', 'this.p'],
    ],
  );
});

test('a class declared inside a function: its static field runs per call', () => {
  const site = only(`${IMPORT}function f() { return class { static c = new PrismaClient(); }; }`);
  assert.equal(site.scope, 'function');
});

test('NestJS decorators make handlers and timers', () => {
  const found = sites(
    `${IMPORT}class C {\n  @Get('users') list() { return new PrismaClient(); }\n  @Cron('* * * * *') sweep() { return new PrismaClient(); }\n}`,
  );
  assert.deepEqual(found.map((s) => s.context.kind), ['route-handler', 'timer']);
  const routed = only(`${IMPORT}@Controller('orders')\nclass O {\n  @Post(':id/refund') refund() { return new PrismaClient(); }\n}`);
  assert.equal(routed.context.name, 'POST /orders/:id/refund (O.refund)');
});

test('Next.js route handlers are named by method and route path', () => {
  const site = only(`${IMPORT}export async function GET() { return new PrismaClient(); }`, 'app/api/tasks/[id]/route.ts');
  assert.deepEqual([site.context.kind, site.context.name], ['route-handler', 'GET /api/tasks/[id]']);
  const arrow = only(`${IMPORT}export const POST = async () => new PrismaClient();`, 'src/app/api/x/route.ts');
  assert.equal(arrow.context.name, 'POST /api/x');
});

test('module-level IIFE runs once', () => {
  assert.equal(only(`${IMPORT}(() => { new PrismaClient(); })();`).scope, 'module');
  assert.equal(only(`${IMPORT}function f() { (() => new PrismaClient())(); }`).scope, 'function');
});

test('globalThis singleton forms', () => {
  const forms = [
    `const g = globalThis as unknown as { prisma?: PrismaClient };\nexport const prisma = g.prisma ?? new PrismaClient();`,
    `const g = global as any;\nexport const prisma = g.prisma || new PrismaClient();`,
    `export const prisma = (globalThis as any).prisma ??= new PrismaClient();`,
    `if (!globalThis.prisma) { globalThis.prisma = new PrismaClient(); }`,
    `export function get() { return globalThis.__db ??= new PrismaClient(); }`,
  ];
  for (const form of forms) {
    const site = only(`${IMPORT}${form}`);
    assert.equal(site.singleton, 'globalThis', form);
    assert.equal(site.scope, 'module', form);
  }
});

test("Prisma's Next.js guide pattern: a factory called once behind globalThis", () => {
  const site = only(
    `${IMPORT}const prismaClientSingleton = () => {\n  return new PrismaClient();\n};\n` +
      `const prisma = globalThis.prismaGlobal ?? prismaClientSingleton();\nexport default prisma;`,
  );
  assert.deepEqual([site.scope, site.singleton], ['module', 'globalThis']);
});

test('a factory that is exported or called from a handler runs per call', () => {
  assert.equal(only(`${IMPORT}export function make() { return new PrismaClient(); }`).scope, 'function');
  assert.equal(only(`${IMPORT}function make() { return new PrismaClient(); }\nexport { make };`).scope, 'function');
  assert.equal(only(`${IMPORT}const make = () => new PrismaClient();\napp.get('/', () => make());`).scope, 'function');
  assert.equal(only(`${IMPORT}const make = () => new PrismaClient();\nexport const db = make();`).scope, 'module');
});

test('lazy singletons on a module variable or static field', () => {
  const forms = [
    `let client: PrismaClient | undefined;\nexport function get() { if (!client) client = new PrismaClient(); return client; }`,
    `let client;\nexport const get = () => client ?? (client = new PrismaClient());`,
    `export class Db { static instance: PrismaClient;\n static get() { if (!Db.instance) { Db.instance = new PrismaClient(); } return Db.instance; } }`,
    `export class Db { static i;\n static get() { if (!this.i) this.i = new PrismaClient(); return this.i; } }`,
  ];
  for (const form of forms) {
    const site = only(`${IMPORT}${form}`);
    assert.deepEqual([site.singleton, site.scope], ['lazy', 'module'], form);
  }
});

test('not lazy: unguarded assignment, or a per-instance cache', () => {
  assert.equal(only(`${IMPORT}let c;\nexport function reset() { c = new PrismaClient(); }`).singleton, null);
  const perInstance = only(`${IMPORT}class S { get() { if (!this.c) this.c = new PrismaClient(); return this.c; } }`);
  assert.deepEqual([perInstance.singleton, perInstance.scope], [null, 'function']);
});

test('options: literals kept, expressions described, credentials redacted, local consts followed', () => {
  const [adapterSite, site] = sites(
    `${IMPORT}import { PrismaPg } from '@prisma/adapter-pg';\n` +
      `const adapter = new PrismaPg({ connectionString: 'postgresql://app:hunter2@db:5432/app', max: 5 });\n` +
      `export const p = new PrismaClient({ adapter, log: ['query', 'error'], datasourceUrl: process.env.DATABASE_URL, transactionOptions: { maxWait: 5000, timeout: -1 } });`,
  );
  // Every `new` of an imported class is recorded here; the binder later keeps the clients.
  assert.equal(adapterSite!.calleeText, 'PrismaPg');
  assert.ok(site);
  assert.deepEqual(site.options, {
    adapter: { $new: 'PrismaPg', args: [{ connectionString: 'postgresql://app:****@db:5432/app', max: 5 }] },
    log: ['query', 'error'],
    datasourceUrl: { $expr: 'process.env.DATABASE_URL' },
    transactionOptions: { maxWait: 5000, timeout: -1 },
  });
});

test('exports: named, renamed re-export, star, default class, CommonJS', () => {
  const code =
    `import { PrismaClient } from '@prisma/client';\n` +
    `export class Db extends PrismaClient {}\n` +
    `export { PrismaClient as Client } from './gen';\n` +
    `export * from './other';\n` +
    `export * as ns from './ns';\n` +
    `export default class extends Db {}\n`;
  const { program } = parseSource('a.ts', code);
  const facts = extractFacts('a.ts', code, program as unknown as AnyNode);
  assert.deepEqual([...facts.exports.keys()].sort(), ['Client', 'Db', 'default', 'ns']);
  assert.deepEqual(facts.starExports, ['./other']);
  assert.deepEqual(facts.exports.get('Client'), { t: 'module', source: './gen', path: ['PrismaClient'] });

  const cjs = `const m = require('./gen');\nmodule.exports = { Client: m.PrismaClient };\nexports.Other = m.Other;\n`;
  const cjsFacts = extractFacts('b.cjs', cjs, parseSource('b.cjs', cjs).program as unknown as AnyNode);
  assert.deepEqual(cjsFacts.exports.get('Client'), { t: 'module', source: './gen', path: ['*', 'PrismaClient'] });
  assert.ok(cjsFacts.exports.has('Other'));
});

test("import('…').then(({ PrismaClient }) => …) binds the module", () => {
  const found = sites(
    "export const a = import('@prisma/client').then(({ PrismaClient }) => new PrismaClient());\n" +
      "export const b = import('@prisma/client').then((m) => new m.PrismaClient());\n" +
      "export const c = load().then(({ PrismaClient }) => new PrismaClient());\n",
  );
  assert.deepEqual(
    found.map((s) => s.callee),
    [
      { t: 'module', source: '@prisma/client', path: ['*', 'PrismaClient'] },
      { t: 'module', source: '@prisma/client', path: ['*', 'PrismaClient'] },
    ],
  );
});

test('type-only imports and exports bind no value (read from the source text)', () => {
  assert.equal(sites("import type { PrismaClient } from '@prisma/client';\nnew PrismaClient();").length, 0);
  assert.equal(sites("import { type PrismaClient, Prisma } from '@prisma/client';\nnew PrismaClient();").length, 0);
  assert.equal(sites("import { type as PrismaClient } from '@prisma/client';\nnew PrismaClient();").length, 1);
  const code = "export type { PrismaClient } from '@prisma/client';\nexport { PrismaClient as Db } from '@prisma/client';\n";
  const facts = extractFacts('a.ts', code, parseSource('a.ts', code).program as unknown as AnyNode);
  assert.deepEqual([...facts.exports.keys()], ['Db']);
});

test('scoping: params, locals and unrelated classes do not count', () => {
  assert.equal(sites(`${IMPORT}function f(PrismaClient) { return new PrismaClient(); }`).length, 0);
  assert.equal(sites(`${IMPORT}{ class PrismaClient {} new PrismaClient(); }`).length, 0);
  assert.equal(sites(`class PrismaClient {}\nnew PrismaClient();`).length, 0);
  assert.equal(sites(`new Map(); new Date(); new globalThis.Thing();`).length, 0);
  // var hoists out of blocks: the hoisted local shadows the import in the whole function.
  assert.equal(sites(`${IMPORT}function f() { new PrismaClient(); if (x) { var PrismaClient = 1; } }`).length, 0);
});
