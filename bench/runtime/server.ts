/**
 * The HTTP server under test for bench/runtime-overhead.ts, started as a child process.
 *
 *   MODE=baseline|instrumented  HANDLER=cheap|prisma  [DATABASE_URL, PRISMA_ENTRY for prisma]
 *
 * Both modes serve the same handler. `instrumented` adds everything leakhound/runtime offers a
 * production service: a memory monitor (sampling every second, ten times the default rate),
 * client tracking, graceful-shutdown registration, the Prisma query-metrics extension, and
 * a /metrics endpoint (the load generator scrapes it once a second, in both modes: baseline
 * answers it with an empty body, so the request mix is the same).
 *
 * Prints `port <n>` when listening.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { writeSync } from 'node:fs';
import { disconnectShared, monitorMemory, onShutdown, PROMETHEUS_CONTENT_TYPE, queryMetrics, shared, toPrometheus, trackClients } from '../../src/runtime/index.js';

const instrumented = process.env.MODE === 'instrumented';
const handlerName = process.env.HANDLER ?? 'cheap';

if (instrumented) {
  trackClients();
  const monitor = monitorMemory({ intervalMs: 1000 });
  onShutdown(() => monitor.stop(), { name: 'monitor' });
  onShutdown(disconnectShared, { name: 'database' });
}

type Handler = (n: number) => Promise<unknown> | unknown;

async function makeHandler(): Promise<Handler> {
  if (handlerName === 'cheap') return (n) => ({ ok: true, n });
  const { PrismaClient } = (await import(process.env.PRISMA_ENTRY!)) as { PrismaClient: new (options: unknown) => PrismaLike };
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const make = () => new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL!, max: 10 }) });
  const prisma: PrismaLike = instrumented ? shared('prisma', () => make().$extends(queryMetrics({ name: 'bench', slowQueryMs: 100 }).prismaExtension)) : make();
  await prisma.user.findUnique({ where: { id: 1 } }); // first query: connect and compile
  return (n) => prisma.user.findUnique({ where: { id: (n % 100) + 1 } });
}

interface PrismaLike {
  $extends(extension: unknown): PrismaLike;
  user: { findUnique(args: unknown): Promise<unknown> };
}

const handle = await makeHandler();
let served = 0;

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  if (request.url === '/metrics') {
    const body = instrumented ? toPrometheus() : '';
    response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) }).end(body);
    return;
  }
  Promise.resolve(handle(served++)).then(
    (result) => {
      const body = JSON.stringify(result);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    },
    (error: unknown) => {
      response.writeHead(500).end(String(error));
    },
  );
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  writeSync(1, `port ${typeof address === 'object' && address ? address.port : 0}\n`);
});
if (instrumented) onShutdown(() => new Promise((resolve) => server.close(() => resolve(undefined))), { name: 'http' });
else process.on('SIGTERM', () => process.exit(0));
