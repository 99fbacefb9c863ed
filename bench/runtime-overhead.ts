/**
 * What leakhound/runtime costs a real service: requests per second of the same HTTP server
 * without and with the runtime (memory monitor, client tracking, shutdown hooks, Prisma query
 * metrics, Prometheus scrapes — see bench/runtime/server.ts), under the same load.
 *
 *   npm run build && node dist/bench/runtime-overhead.js [--slices 30] [--slice 2]
 *       [--concurrency 32] [--handlers cheap,prisma] [--features monitor,tracker,shutdown,metrics] [--json]
 *
 * Handlers: `cheap` answers a small JSON document (the runtime's overhead is at its most
 * visible); `prisma` runs one real Prisma 7 query per request (`findFirst` by id: one SQL
 * statement) against an embedded PostgreSQL started here (the realistic case).
 *
 * `--features` picks what the instrumented server runs: `monitor` (memory monitor sampling
 * every second), `tracker` (trackClients), `shutdown` (onShutdown + disconnectShared), and
 * the query metrics, either `metrics` (the Prisma client extension) or `adapter-metrics`
 * (the driver-adapter wrapper), or `empty-extension` (a pass-through Prisma query extension:
 * the cost of Prisma's extension machinery alone); both modes serve /metrics, scraped once a second. `watch`
 * instead runs the instrumented server as `leakhound watch` would: its preload in
 * NODE_OPTIONS (memory every 500 ms, every client recorded), pg_stat_activity counted.
 *
 * Method: both servers run side by side in child processes; the load comes from this process
 * over keep-alive connections (`http.Agent({ keepAlive: true })`, `--concurrency` requests in
 * flight) and goes to one server at a time, in short slices that alternate between them
 * (A B, B A, A B, …) after a warm-up of both. Alternating slices cancel the drift a shared
 * machine has over seconds (other work, CPU frequency), which sequential runs of several
 * seconds each do not. The ratio is instrumented ÷ baseline over all slices; the spread of
 * the per-pair ratios is printed so the noise can be judged.
 *
 * Next to throughput, the server's own CPU time per request (process.cpuUsage, read before
 * and after each slice) is reported: on a machine shared with other work, throughput moves
 * with the neighbours, CPU per request much less. `cpu ratio` = baseline ÷ instrumented CPU
 * per request, the throughput ratio a CPU-bound server would see.
 *
 * On Linux with `taskset` (util-linux) and 2+ CPUs, the servers are pinned to the last CPU
 * and this process (load generator, and the PostgreSQL it starts) to the others, so that
 * the server under test does not share its CPU with the load (`--no-pin` to turn it off).
 * `--features none` runs two identical servers (an A/A test): its ratio shows the method's
 * own noise on the machine at hand. Figures, not assertions.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openConnectionSampler } from '../src/db/connection-sampler.js';
import { WATCH_ENV } from '../src/watch/probe-records.js';
import { startPostgres, type PostgresServer } from '../test/helpers/postgres.js';
import { createDatabase, generatePrismaClient } from '../test/helpers/prisma-client.js';

type Mode = 'baseline' | 'instrumented';
type HandlerName = 'cheap' | 'prisma';

const { values: options } = parseArgs({
  options: {
    slices: { type: 'string', default: '30' },
    slice: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    handlers: { type: 'string', default: 'cheap,prisma' },
    features: { type: 'string', default: 'monitor,tracker,shutdown,metrics' },
    json: { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
  },
});
const slices = Number(options.slices);
const sliceMs = Number(options.slice) * 1000;
const warmupMs = Number(options.warmup) * 1000;
const concurrency = Number(options.concurrency);
const handlers = options.handlers.split(',') as HandlerName[];
const serverScript = join(dirname(fileURLToPath(import.meta.url)), 'runtime/server.js');
const cpuCount = availableParallelism();
const pin = !options['no-pin'] && process.platform === 'linux' && cpuCount >= 2 && spawnSync('taskset', ['-V']).status === 0;
const serverCpu = String(cpuCount - 1);
if (pin) {
  // -a: every thread of this process (libuv and V8 threads included); children inherit it.
  spawnSync('taskset', ['-a', '-p', '-c', `0-${cpuCount - 2}`, String(process.pid)], { stdio: 'ignore' });
}
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Server {
  port: number;
  child: ChildProcess;
}

const watchFeature = options.features.split(',').includes('watch');
const watchReports = watchFeature ? mkdtempSync(join(tmpdir(), 'leakhound-bench-watch-')) : '';

/** What `leakhound watch` gives the program it runs: its preload, sampling at the CLI's default interval. */
function watchEnv(): Record<string, string> {
  const preload = fileURLToPath(new URL('../bundle/watch-preload.js', import.meta.url));
  return { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}`, [WATCH_ENV.dir]: watchReports, [WATCH_ENV.interval]: '500', [WATCH_ENV.origin]: String(Date.now()) };
}

function startServer(mode: Mode, handler: HandlerName, env: Record<string, string>): Promise<Server> {
  const command = pin ? ['taskset', '-c', serverCpu, process.execPath, serverScript] : [process.execPath, serverScript];
  const extra = mode === 'instrumented' && watchFeature ? watchEnv() : {};
  const child = spawn(command[0]!, command.slice(1), { env: { ...process.env, ...env, ...extra, MODE: mode, HANDLER: handler, FEATURES: options.features }, stdio: ['ignore', 'pipe', 'inherit'] });
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

interface Target {
  get(path: string): Promise<void>;
  cpu(): Promise<{ cpu: number; served: number }>;
  close(): void;
}

/** Keep-alive connections to one server, reused across slices. */
function target(port: number): Target {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency + 1 });
  const fetchText = (path: string) =>
    new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode} for ${path}`));
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
  return {
    get: async (path) => void (await fetchText(path)),
    cpu: async () => JSON.parse(await fetchText('/cpu')) as { cpu: number; served: number },
    close: () => agent.destroy(),
  };
}

/**
 * Keeps `concurrency` requests in flight for `ms`, scraping /metrics once a second. Returns
 * requests/s and the server's CPU µs per request.
 */
async function load(server: Target, ms: number): Promise<{ rate: number; cpuPerRequest: number }> {
  const before = await server.cpu();
  let completed = 0;
  const started = performance.now();
  const deadline = started + ms;
  const worker = async () => {
    while (performance.now() < deadline) {
      await server.get('/');
      completed++;
    }
  };
  const scrape = () => void server.get('/metrics').catch(() => undefined);
  scrape();
  const scraper = setInterval(scrape, 1000);
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    clearInterval(scraper);
  }
  const rate = completed / ((performance.now() - started) / 1000);
  const after = await server.cpu();
  return { rate, cpuPerRequest: (after.cpu - before.cpu) / Math.max(1, after.served - before.served) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

async function measure(handler: HandlerName, env: Record<string, string>) {
  const servers = { baseline: await startServer('baseline', handler, env), instrumented: await startServer('instrumented', handler, env) };
  const targets = { baseline: target(servers.baseline.port), instrumented: target(servers.instrumented.port) };
  // `watch` also counts the database's connections at its interval, from outside the server.
  const sampler = watchFeature && env.DATABASE_URL ? await openConnectionSampler(env.DATABASE_URL) : undefined;
  const sampling = sampler ? setInterval(() => void sampler.sample().catch(() => undefined), 500) : undefined;
  try {
    for (const mode of ['baseline', 'instrumented'] as const) await load(targets[mode], warmupMs);
    const rates: Record<Mode, number[]> = { baseline: [], instrumented: [] };
    const cpu: Record<Mode, number[]> = { baseline: [], instrumented: [] };
    for (let pair = 0; pair < slices; pair++) {
      const order: Mode[] = pair % 2 === 0 ? ['baseline', 'instrumented'] : ['instrumented', 'baseline'];
      for (const mode of order) {
        const slice = await load(targets[mode], sliceMs);
        rates[mode].push(slice.rate);
        cpu[mode].push(slice.cpuPerRequest);
      }
      log(
        `  ${handler} pair ${String(pair + 1).padStart(2)}: baseline ${rates.baseline[pair]!.toFixed(0).padStart(6)} req/s ${cpu.baseline[pair]!.toFixed(1).padStart(6)} µs CPU/req` +
          ` | instrumented ${rates.instrumented[pair]!.toFixed(0).padStart(6)} req/s ${cpu.instrumented[pair]!.toFixed(1).padStart(6)} µs CPU/req`,
      );
    }
    const total = (mode: Mode) => rates[mode].reduce((sum, rate) => sum + rate, 0);
    const pairRatios = rates.baseline.map((base, i) => rates.instrumented[i]! / base);
    const cpuPerRequest = (mode: Mode) => median(cpu[mode]);
    return {
      handler,
      baseline: total('baseline') / slices,
      instrumented: total('instrumented') / slices,
      ratio: total('instrumented') / total('baseline'),
      medianPairRatio: median(pairRatios),
      pairRatioP10: quantile(pairRatios, 0.1),
      pairRatioP90: quantile(pairRatios, 0.9),
      cpuPerRequestBaseline: cpuPerRequest('baseline'),
      cpuPerRequestInstrumented: cpuPerRequest('instrumented'),
      cpuRatio: cpuPerRequest('baseline') / cpuPerRequest('instrumented'),
      rates,
      cpu,
    };
  } finally {
    clearInterval(sampling);
    await sampler?.close();
    targets.baseline.close();
    targets.instrumented.close();
    await Promise.all([stopServer(servers.baseline), stopServer(servers.instrumented)]);
  }
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
    console.log(JSON.stringify({ machine, slices, sliceMs, warmupMs, concurrency, features: options.features, pinned: pin, results }, null, 2));
  } else {
    console.log(`leakhound/runtime overhead — Node ${machine.node}, ${machine.cpus} CPUs (${machine.cpu})`);
    console.log(`${slices} alternating pairs of ${sliceMs / 1000} s slices per handler, ${concurrency} requests in flight, keep-alive${pin ? `, servers pinned to CPU ${serverCpu}` : ''}\n`);
    console.log(`instrumented: ${options.features}\n`);
    console.log('handler | baseline req/s | instrumented req/s | throughput ratio | median pair ratio (p10–p90) | server CPU µs/req baseline → instrumented | cpu ratio');
    console.log('--- | --- | --- | --- | --- | --- | ---');
    for (const result of results) {
      console.log(
        `${result.handler} | ${result.baseline.toFixed(0)} | ${result.instrumented.toFixed(0)} | ${result.ratio.toFixed(3)} | ${result.medianPairRatio.toFixed(3)} (${result.pairRatioP10.toFixed(3)}–${result.pairRatioP90.toFixed(3)}) | ${result.cpuPerRequestBaseline.toFixed(1)} → ${result.cpuPerRequestInstrumented.toFixed(1)} | ${result.cpuRatio.toFixed(3)}`,
      );
    }
  }
} finally {
  await database?.stop();
}
