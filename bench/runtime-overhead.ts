/**
 * What leakhound/runtime costs a real service: requests per second of the same HTTP server
 * without and with the runtime (memory monitor, client tracking, shutdown hooks, Prisma query
 * metrics, Prometheus scrapes — see bench/runtime/server.ts), under the same load.
 *
 *   npm run build && node dist/bench/runtime-overhead.js [--duration 5] [--rounds 5]
 *       [--concurrency 32] [--handlers cheap,prisma] [--json]
 *
 * Handlers: `cheap` answers a small JSON document (the runtime's overhead is at its most
 * visible); `prisma` runs one real Prisma 7 query per request against an embedded
 * PostgreSQL started here (the realistic case).
 *
 * Method: the server runs in a child process, the load comes from this process over
 * keep-alive connections (`http.Agent({ keepAlive: true })`, `--concurrency` requests in
 * flight). Each round measures both modes, alternating which goes first, after a warm-up;
 * the ratio is instrumented ÷ baseline of the median throughputs. A shared machine is noisy:
 * the per-round ratios are printed so the spread can be judged. Figures, not assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../test/helpers/postgres.js';
import { createDatabase, generatePrismaClient } from '../test/helpers/prisma-client.js';

type Mode = 'baseline' | 'instrumented';
type HandlerName = 'cheap' | 'prisma';

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    handlers: { type: 'string', default: 'cheap,prisma' },
    json: { type: 'boolean', default: false },
  },
});
const durationMs = Number(options.duration) * 1000;
const warmupMs = Number(options.warmup) * 1000;
const rounds = Number(options.rounds);
const concurrency = Number(options.concurrency);
const handlers = options.handlers.split(',') as HandlerName[];
const serverScript = join(dirname(fileURLToPath(import.meta.url)), 'runtime/server.js');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Server {
  port: number;
  child: ChildProcess;
}

function startServer(mode: Mode, handler: HandlerName, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [serverScript], { env: { ...process.env, ...env, MODE: mode, HANDLER: handler }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      const match = /port (\d+)/.exec(output);
      if (match) resolve({ port: Number(match[1]), child });
    });
    child.on('exit', (code) => reject(new Error(`server (${mode}, ${handler}) exited with ${code} before listening`)));
  });
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** Keeps `concurrency` requests in flight for `ms`; scrapes /metrics once a second. Returns requests/s. */
async function load(port: number, ms: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency + 1 });
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode} for ${path}`));
        response.resume();
        response.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
  let completed = 0;
  const started = performance.now();
  const deadline = started + ms;
  const worker = async () => {
    while (performance.now() < deadline) {
      await get('/');
      completed++;
    }
  };
  const scraper = setInterval(() => void get('/metrics').catch(() => undefined), 1000);
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    clearInterval(scraper);
    agent.destroy();
  }
  return completed / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function measure(handler: HandlerName, env: Record<string, string>) {
  const throughput: Record<Mode, number[]> = { baseline: [], instrumented: [] };
  for (let round = 0; round < rounds; round++) {
    const order: Mode[] = round % 2 === 0 ? ['baseline', 'instrumented'] : ['instrumented', 'baseline'];
    for (const mode of order) {
      const server = await startServer(mode, handler, env);
      try {
        await load(server.port, warmupMs);
        const rate = await load(server.port, durationMs);
        throughput[mode].push(rate);
        log(`  ${handler} round ${round + 1} ${mode.padEnd(12)} ${rate.toFixed(0).padStart(7)} req/s`);
      } finally {
        await stopServer(server);
      }
    }
  }
  const perRound = throughput.baseline.map((base, i) => throughput.instrumented[i]! / base);
  return {
    handler,
    baseline: median(throughput.baseline),
    instrumented: median(throughput.instrumented),
    ratio: median(throughput.instrumented) / median(throughput.baseline),
    perRoundRatios: perRound,
    throughput,
  };
}

let database: PostgresServer | undefined;
try {
  const env: Record<string, string> = {};
  if (handlers.includes('prisma')) {
    log('starting PostgreSQL and generating the Prisma client…');
    database = await startPostgres({ settings: { max_connections: '200' } });
    const url = await createDatabase(database.url, 'bench');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`INSERT INTO "User" (email, name) SELECT 'user' || i || '@example.com', 'User ' || i FROM generate_series(1, 100) AS i`);
    await client.end();
    env.DATABASE_URL = url;
    env.PRISMA_ENTRY = generatePrismaClient().entry;
  }
  const results = [];
  for (const handler of handlers) results.push(await measure(handler, env));
  const machine = { node: process.version, cpus: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown' };
  if (options.json) {
    console.log(JSON.stringify({ machine, durationMs, warmupMs, rounds, concurrency, results }, null, 2));
  } else {
    console.log(`leakhound/runtime overhead — Node ${machine.node}, ${machine.cpus} CPUs (${machine.cpu})`);
    console.log(`${rounds} rounds × ${durationMs / 1000} s per mode, ${concurrency} requests in flight, keep-alive\n`);
    console.log('handler | baseline req/s | instrumented req/s | ratio | per-round ratios');
    console.log('--- | --- | --- | --- | ---');
    for (const result of results) {
      console.log(
        `${result.handler} | ${result.baseline.toFixed(0)} | ${result.instrumented.toFixed(0)} | ${result.ratio.toFixed(3)} | ${result.perRoundRatios.map((ratio) => ratio.toFixed(3)).join(', ')}`,
      );
    }
  }
} finally {
  await database?.stop();
}
