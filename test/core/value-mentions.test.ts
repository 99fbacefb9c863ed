import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mentionsAsValue } from '../../src/core/value-mentions.js';

const W = 'PrismaClient';

test('type-only mentions are not values', () => {
  for (const code of [
    "import type { PrismaClient } from '@prisma/client';\nexport function f(db: PrismaClient) { return db; }",
    "import type { PrismaClient, Prisma } from '@prisma/client';\ntype A = Pick<PrismaClient, 'user'>;\nlet x: Promise<PrismaClient> | null;",
    "import { type PrismaClient, Prisma } from '@prisma/client';\nconst f = (p: PrismaClient): void => {};",
    "import {\n  type PrismaClient,\n} from '@prisma/client';\nexport class S { constructor(private readonly prisma: PrismaClient) {} }",
    "import type { PrismaClient } from '@prisma/client';\nconst a = b as PrismaClient; const c = d satisfies PrismaClient; type T = typeof PrismaClient | keyof PrismaClient;",
    'const x = 1; // nothing here',
    "// TODO: stop doing new PrismaClient() in every file\nexport const x = 1;",
    "/**\n * @example\n * const prisma = new PrismaClient();\n */\nexport function f() {}",
    "/* new PrismaClient({ log: ['query'] }) */\nexport const y = 2;",
    'new PrismaClientKnownRequestError()',
  ]) {
    assert.equal(mentionsAsValue(code, W), false, code);
  }
});

test('every way to use it as a value is a value', () => {
  for (const code of [
    "import { PrismaClient } from '@prisma/client';\nexport const p = new PrismaClient();",
    "import { PrismaClient as Db } from '@prisma/client';\nexport const p = new Db();",
    "import * as P from '@prisma/client';\nnew P.PrismaClient();",
    "const { PrismaClient } = require('@prisma/client');",
    "const { PrismaClient: Client } = require('@prisma/client');",
    "import pkg from '@prisma/client';\nconst { PrismaClient } = pkg;",
    "import { PrismaClient } from '@prisma/client';\nexport class Db extends PrismaClient {}",
    "export { PrismaClient } from '@prisma/client';",
    "export { PrismaClient as Db } from './generated';",
    "import { PrismaClient } from '@prisma/client';\nexport default PrismaClient;",
    "import { PrismaClient } from '@prisma/client';\nexport const Client = PrismaClient;",
    "const Client = require('@prisma/client').PrismaClient;",
    "const Client = mod['PrismaClient'];",
    // A type import at the top and a value from a dynamic import in a handler: both in one file.
    "import type { PrismaClient } from '@prisma/client';\napp.post('/', async () => { const { PrismaClient } = await import('@prisma/client'); new PrismaClient(); });",
    "import type { PrismaClient } from '@prisma/client';\nimport('@prisma/client').then(({ PrismaClient }) => new PrismaClient());",
    "const url = 'http://example.test'; const p = new PrismaClient(); // a // before it on the line",
    "foo(); // new PrismaClient() after code: kept, the // could be inside a string",
    // Without a type-only import, an object value or a ternary branch may be the constructor.
    "import { PrismaClient } from '@prisma/client';\nconst C = edge ? EdgeClient : PrismaClient;",
    // A value import used only in annotations is still parsed (only type imports are dropped).
    "import { PrismaClient } from '@prisma/client';\nexport class S { constructor(private prisma: PrismaClient) {} }",
  ]) {
    assert.equal(mentionsAsValue(code, W), true, code);
  }
});

test('learned words go through the same judgement', () => {
  assert.equal(mentionsAsValue("import type { Db } from './db';\nfunction f(d: Db) {}", 'Db'), false);
  assert.equal(mentionsAsValue("import { Db } from './db';\nconst d = new Db();", 'Db'), true);
  const nest = "import { PrismaService } from './prisma.service';\n@Module({ providers: [{ provide: 'DB', useClass: PrismaService }] })";
  assert.equal(mentionsAsValue(nest, 'PrismaService'), true);
});
