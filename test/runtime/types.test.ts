import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { generatePrismaClient } from '../helpers/prisma-client.js';

// What users write, type-checked against the published declarations (dist/src/runtime/*.d.ts,
// reached as `leakhound/runtime` through package.json's exports) and a real generated Prisma
// client. `@ts-expect-error` lines make the check fail if a type degrades to `any`.

const PRISMA_USER = `
import { PrismaClient } from '__CLIENT__';
import { PrismaPg } from '@prisma/adapter-pg';
import { disconnectShared, onShutdown, queryMetrics, shared, trackClient } from 'leakhound/runtime';

const metrics = queryMetrics();
const adapter = () => new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' });

// shared() returns exactly the factory's type, $extends results included, and the metrics
// extension keeps the client's type through $extends.
export const prisma = shared('prisma', () =>
  new PrismaClient({ adapter: adapter() })
    .$extends(metrics.prismaExtension)
    .$extends({ result: { user: { shout: { needs: { email: true }, compute: (user) => user.email.toUpperCase() } } } }),
);

export async function use(): Promise<number> {
  const user = await prisma.user.findFirstOrThrow();
  const shout: string = user.shout;
  const id: number = user.id;
  // @ts-expect-error: not a field of User
  void user.nope;
  const inside: number = await prisma.$transaction(async (tx) => tx.user.count());
  const [count, posts] = await prisma.$transaction([prisma.user.count(), prisma.post.findMany()]);
  const titles: string[] = posts.map((post) => post.title);
  return shout.length + id + inside + count + titles.length;
}

export const plain: PrismaClient = shared('plain', () => new PrismaClient({ adapter: adapter() }));
export const tracked: PrismaClient = trackClient(new PrismaClient({ adapter: adapter() }), { key: 'analytics' });
// @ts-expect-error: the extended client is a client, not any
export const wrong: string = new PrismaClient({ adapter: adapter() }).$extends(metrics.prismaExtension);
export const promised: Promise<PrismaClient> = shared('async', async () => new PrismaClient({ adapter: adapter() }));

onShutdown(disconnectShared, { name: 'database' });
`;

const METRICS_USER = `
import * as promClient from 'prom-client';
import { metrics } from '@opentelemetry/api';
import { registerOpenTelemetryMetrics, registerPromClientMetrics } from 'leakhound/runtime';

promClient.collectDefaultMetrics();
export const offDefault: () => void = registerPromClientMetrics(promClient);
export const offCustom: () => void = registerPromClientMetrics(promClient, { registry: new promClient.Registry(), processMetrics: false });
export const offOtel: () => void = registerOpenTelemetryMetrics(metrics.getMeter('service'));
`;

function project(files: Record<string, string>, links: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhound-types-'));
  mkdirSync(join(dir, 'node_modules'));
  for (const [name, target] of Object.entries(links)) {
    mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(target, join(dir, 'node_modules', name), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: true },
      files: Object.keys(files),
    }),
  );
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function typeCheck(dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

test('shared(), the Prisma metrics extension and trackClient keep a real generated client’s types', () => {
  assert.ok(existsSync(join(repoRoot, 'dist/src/runtime/index.d.ts')), 'the build wrote the declarations');
  const client = generatePrismaClient();
  const dir = project(
    { 'check.ts': PRISMA_USER.replace('__CLIENT__', join(client.dir, 'generated/index.js')) },
    { '@prisma': join(repoRoot, 'node_modules/@prisma'), '@types': join(repoRoot, 'node_modules/@types'), pg: join(repoRoot, 'node_modules/pg'), leakhound: repoRoot },
  );
  try {
    const result = typeCheck(dir);
    assert.equal(result.status, 0, result.output);
    // The check can fail: break one line and it must.
    writeFileSync(join(dir, 'check.ts'), `${PRISMA_USER.replace('__CLIENT__', join(client.dir, 'generated/index.js'))}\nexport const broken: number = prisma;\n`);
    assert.notEqual(typeCheck(dir).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the prom-client and OpenTelemetry bridges accept the real libraries’ types, when installed', (t) => {
  const require = createRequire(`${repoRoot}package.json`);
  let promClient: string;
  let otelApi: string;
  try {
    promClient = join(require.resolve('prom-client'), '..');
    otelApi = join(require.resolve('@opentelemetry/api'), '../../..');
  } catch {
    return t.skip('prom-client or @opentelemetry/api is not installed');
  }
  const dir = project(
    { 'check.ts': METRICS_USER },
    { 'prom-client': promClient, '@opentelemetry/api': otelApi, '@types': join(repoRoot, 'node_modules/@types'), leakhound: repoRoot },
  );
  try {
    const result = typeCheck(dir);
    assert.equal(result.status, 0, result.output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
