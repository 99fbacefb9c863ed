import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PrismaSchemaError,
  isPrismaConfigFile,
  parsePrismaGenerators,
  parsePrismaSchema,
  readPrismaConfigSchema,
} from '../../src/core/prisma-schema.js';

describe('parsePrismaGenerators', () => {
  it('reads two generators, with and without output, among other blocks', () => {
    const schema = `
// The default client, into node_modules/.prisma/client
generator client {
  provider = "prisma-client-js"
  previewFeatures = ["driverAdapters", "metrics"]
}

/// The new generator writes TypeScript into the source tree.
generator next {
  provider     = "prisma-client"   // trailing comment
  output       = "../src/generated/prisma"
  moduleFormat = "esm"
}

datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique @db.VarChar(255)
  meta  Json   @default("{\\"a\\": {\\"b\\": 1}}")
  @@map("users")
}
`;
    assert.deepEqual(parsePrismaGenerators(schema), [
      { name: 'client', provider: 'prisma-client-js', output: null },
      { name: 'next', provider: 'prisma-client', output: '../src/generated/prisma' },
    ]);
  });

  it('ignores generator-looking text inside comments and strings', () => {
    const schema = `
// generator fake { output = "nowhere" }
model Note {
  body String @default("generator x { output = \\"y\\" }")
}
generator real {
  provider = "prisma-client-js" // output = "commented/out"
  binaryTargets = [
    "native",
    "rhel-openssl-3.0.x"
  ]
  output = "./client" /// doc comment after a value
}
`;
    assert.deepEqual(parsePrismaGenerators(schema), [{ name: 'real', provider: 'prisma-client-js', output: './client' }]);
  });

  it('keeps a URL with // inside a string intact', () => {
    const schema = 'generator docs {\n  provider = "prisma-docs-generator"\n  output = "http://x/y"\n}\n';
    assert.equal(parsePrismaGenerators(schema)[0]?.output, 'http://x/y');
  });

  it('leaves out generators whose output comes from env() and names them', () => {
    const schema = `
generator client {
  provider = "prisma-client-js"
  output   = env("PRISMA_OUTPUT")
}
generator erd {
  provider = env("ERD_PROVIDER")
}
`;
    assert.deepEqual(parsePrismaSchema(schema), {
      generators: [{ name: 'erd', provider: 'env("ERD_PROVIDER")', output: null }],
      datasources: [],
      unknownOutputs: ['client'],
    });
  });

  it('reads datasource blocks: provider and a URL or the env variable holding it, redacted', () => {
    const schema = `
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
datasource other {
  provider = "mysql"
  url      = "mysql://app:hunter2@db:3306/app?connection_limit=7"
}
`;
    assert.deepEqual(parsePrismaSchema(schema).datasources, [
      { provider: 'postgresql', url: { env: 'DATABASE_URL' } },
      { provider: 'mysql', url: { value: 'mysql://app:****@db:3306/app?connection_limit=7' } },
    ]);
  });

  it('throws a PrismaSchemaError with the line of an unterminated block', () => {
    const schema = 'datasource db {\n  provider = "postgresql"\n}\n\ngenerator client {\n  provider = "prisma-client-js"\n';
    assert.throws(
      () => parsePrismaGenerators(schema),
      (error: unknown) =>
        error instanceof PrismaSchemaError && error.line === 5 && /unterminated block `generator client`/.test(error.message),
    );
  });

  it('accepts an empty schema and CRLF line endings', () => {
    assert.deepEqual(parsePrismaGenerators(''), []);
    const crlf = 'generator client {\r\n  provider = "prisma-client"\r\n  output = "../gen"\r\n}\r\n';
    assert.deepEqual(parsePrismaGenerators(crlf), [{ name: 'client', provider: 'prisma-client', output: '../gen' }]);
  });
});

describe('readPrismaConfigSchema', () => {
  it('takes schema from defineConfig({...})', () => {
    const text = `import 'dotenv/config';
import { defineConfig, env } from 'prisma/config';
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: env('DATABASE_URL') },
});`;
    assert.equal(readPrismaConfigSchema('prisma.config.ts', text), 'prisma/schema');
  });

  it('takes schema from a `satisfies` object, a const, module.exports and path.join of literals', () => {
    assert.equal(readPrismaConfigSchema('a.ts', `export default { "schema": "db/schema.prisma" } satisfies PrismaConfig;`), 'db/schema.prisma');
    assert.equal(readPrismaConfigSchema('a.ts', `const config = defineConfig({ schema: 'x.prisma' });\nexport default config;`), 'x.prisma');
    assert.equal(readPrismaConfigSchema('a.cjs', `module.exports = { schema: 'y.prisma' };`), 'y.prisma');
    assert.equal(
      readPrismaConfigSchema('a.ts', `import path from 'node:path';\nexport default defineConfig({ schema: path.join('db', 'schema.prisma') });`),
      'db/schema.prisma',
    );
  });

  it('returns null when schema is absent or computed', () => {
    assert.equal(readPrismaConfigSchema('a.ts', `export default defineConfig({ migrations: {} });`), null);
    assert.equal(readPrismaConfigSchema('a.ts', `export default defineConfig({ schema: process.env.SCHEMA });`), null);
    assert.equal(readPrismaConfigSchema('a.ts', `export const x = 1;`), null);
  });

  it('throws a PrismaSchemaError on a syntax error', () => {
    assert.throws(() => readPrismaConfigSchema('a.ts', 'export default defineConfig({\n  schema: ,\n'), PrismaSchemaError);
  });
});

describe('isPrismaConfigFile', () => {
  it("matches Prisma's two config locations at any depth", () => {
    for (const file of ['prisma.config.ts', 'apps/api/prisma.config.mjs', '.config/prisma.ts', 'pkg/.config/prisma.cjs']) {
      assert.equal(isPrismaConfigFile(file), true, file);
    }
    for (const file of ['myprisma.config.ts', 'prisma.config.json', 'config/prisma.ts', 'src/prisma.ts']) {
      assert.equal(isPrismaConfigFile(file), false, file);
    }
  });
});
