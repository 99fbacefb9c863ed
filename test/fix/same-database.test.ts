/**
 * Options written differently that build the same client: the same database, the same other
 * options. What cannot be told from the code is never taken for the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseForFix } from '../../src/fix/syntax.js';
import { clientIdentity, sharesClient } from '../../src/fix/same-database.js';
import type { AnyNode } from '../../src/core/ast.js';

const HARMLESS = new Set(['log']);

/** The identity of the options of the last `new PrismaClient(…)` in `code`. */
function identityOf(code: string) {
  const syntax = parseForFix('x.ts', code);
  let found: AnyNode | null = null;
  const visit = (node: AnyNode) => {
    if (node.type === 'NewExpression' && (node.callee as AnyNode).type === 'Identifier' && (node.callee as AnyNode).name === 'PrismaClient') found = node;
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child === 'object' && typeof (child as AnyNode).type === 'string') visit(child as AnyNode);
    }
  };
  visit(syntax.program);
  assert.ok(found, code);
  return clientIdentity(syntax, ((found as AnyNode).arguments as AnyNode[])[0] ?? null);
}

const defaultDatabase = [
  'new PrismaClient()',
  'new PrismaClient({ datasourceUrl: process.env.DATABASE_URL })',
  "new PrismaClient({ datasourceUrl: process.env['DATABASE_URL'] ?? '' })",
  'new PrismaClient({ datasources: { db: { url: process.env.DATABASE_URL } } })',
  'new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) })',
  "const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL || '' });\nnew PrismaClient({ adapter })",
  'new PrismaClient({ adapter: new PrismaNeon(process.env.DATABASE_URL) })',
];

test('the same database, however it is written, is one shared client', () => {
  for (const a of defaultDatabase) {
    for (const b of defaultDatabase) assert.equal(sharesClient(identityOf(a), identityOf(b), HARMLESS), true, `${a}\n${b}`);
  }
});

test('another database, other options, or what only run time knows, is not', () => {
  const shared = identityOf('new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) })');
  for (const code of [
    'new PrismaClient({ datasourceUrl: process.env.READ_REPLICA_URL })',
    "new PrismaClient({ datasourceUrl: 'postgres://localhost/other' })",
    "new PrismaClient({ log: ['query'] })",
    'new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 50 }) })',
    'new PrismaClient({ adapter: new PrismaPg(pool) })',
    'new PrismaClient({ datasourceUrl: urlFor(tenant) })',
    'new PrismaClient(options)',
    "let adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL });\nnew PrismaClient({ adapter })",
  ]) {
    assert.equal(sharesClient(identityOf(code), shared, HARMLESS), false, code);
  }
});

test('a site with no other options may use a shared client that only adds harmless ones', () => {
  const logging = identityOf("new PrismaClient({ log: ['warn'], datasourceUrl: process.env.DATABASE_URL })");
  assert.equal(sharesClient(identityOf('new PrismaClient()'), logging, HARMLESS), true);
  assert.equal(sharesClient(identityOf("new PrismaClient({ log: ['query'] })"), logging, HARMLESS), false, 'other log levels stay another client');
  const timeouts = identityOf('new PrismaClient({ transactionOptions: { timeout: 60000 } })');
  assert.equal(sharesClient(identityOf('new PrismaClient()'), timeouts, HARMLESS), false);
});
