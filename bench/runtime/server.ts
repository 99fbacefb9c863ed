/**
 * The HTTP server under test for bench/runtime-overhead.ts, started as a child process.
 *
 *   MODE=baseline|instrumented  HANDLER=cheap|prisma  [DATABASE_URL, PRISMA_ENTRY for prisma]
 *   FEATURES=monitor,tracker,shutdown,metrics|adapter-metrics (instrumented: default
 *   monitor,tracker,shutdown,metrics; `metrics` is the Prisma client extension,
 *   `adapter-metrics` the driver-adapter wrapper)
 *
 * Both modes serve the same handler. `instrumented` adds everything leakhound/runtime offers a
 * production service: a memory monitor (sampling every second, ten times the default rate),
 * client tracking, graceful-shutdown registration, the Prisma query-metrics extension, and
 * a /metrics endpoint (the load generator scrapes it once a second, in both modes: baseline
 * answers it with an empty body, so the request mix is the same).
 *
 * GET /cpu answers this process's CPU time (µs) and the requests served so far, so the load
 * generator can report CPU per request next to throughput.
 *
 * Prints `port <n>` when listening.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { writeSync } from 'node:fs';
import { disconnectShared, monitorMemory, onShutdown, PROMETHEUS_CONTENT_TYPE, queryMetrics, shared, toPrometheus, trackClients } from '../../src/runtime/index.js';

const instrumented = process.env.MODE === 'instrumented';
const handlerName = process.env.HANDLER ?? 'cheap';
const features = new Set(instrumented ? (process.env.FEATURES ?? 'monitor,tracker,shutdown,metrics').split(',') : []);

if (features.has('tracker')) trackClients();
if (features.has('monitor')) {
  const monitor = monitorMemory({ intervalMs: 1000 });
  if (features.has('shutdown')) onShutdown(() => monitor.stop(), { name: 'monitor' });
}
if (features.has('shutdown')) onShutdown(disconnectShared, { name: 'database' });

type Handler = (n: number) => Promise<unknown> | unknown;

async function makeHandler(): Promise<Handler> {
  if (handlerName === 'cheap') return (n) => ({ ok: true, n });
  const { PrismaClient } = (await import(process.env.PRISMA_ENTRY!)) as { PrismaClient: new (options: unknown) => PrismaLike };
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const metrics = features.has('metrics') || features.has('adapter-metrics') ? queryMetrics({ name: 'bench', slowQueryMs: 100 }) : undefined;
  const adapter = () => {
    const factory = new PrismaPg({ connectionString: process.env.DATABASE_URL!, max: 10 });
    return metrics && features.has('adapter-metrics') ? metrics.prismaAdapter(factory) : factory;
  };
  const make = () => new PrismaClient({ adapter: adapter() });
  // `empty-extension`: a query extension that does nothing but pass the query on — what
  // Prisma's extension machinery alone costs, to set the metrics extension against.
  const passThrough = { query: { $allOperations: ({ args, query }: { args: unknown; query: (args: unknown) => Promise<unknown> }) => query(args) } };
  const withMetrics = () =>
    metrics && features.has('metrics') ? make().$extends(metrics.prismaExtension) : features.has('empty-extension') ? make().$extends(passThrough) : make();
  const prisma: PrismaLike = instrumented ? shared('prisma', withMetrics) : make();
  await prisma.user.findFirst({ where: { id: 1 } }); // first query: connect and compile
  // findFirst, not findUnique: Prisma batches concurrent findUnique calls into one SELECT,
  // which would hide most of the per-query cost. One request, one SQL statement.
  return (n) => prisma.user.findFirst({ where: { id: (n % 100) + 1 } });
}

interface PrismaLike {
  $extends(extension: unknown): PrismaLike;
  user: { findFirst(args: unknown): Promise<unknown> };
}

const handle = await makeHandler();
let served = 0;

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  if (request.url === '/cpu') {
    const usage = process.cpuUsage();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ cpu: usage.user + usage.system, served }));
    return;
  }
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
if (features.has('shutdown')) onShutdown(() => new Promise((resolve) => server.close(() => resolve(undefined))), { name: 'http' });
else process.on('SIGTERM', () => process.exit(0));
