/**
 * A valid cost file with round figures, for tests whose expectations must not depend on what
 * this machine measures today: one Prisma client costs 0.5 MB and opens 1 connection, one
 * connection costs 64 KB here and 1.25 MB on the server, the first client 50 MB once.
 */
import type { CostFile, CostFit, CostPoint, CostSample, LibraryCost } from '../../src/cost/cost-file.js';

export const MB = 1024 * 1024;
export const PER_CLIENT = 0.5 * MB;
export const PER_CONNECTION_HERE = 64 * 1024;
export const PER_CONNECTION_SERVER = 1.25 * MB;
export const ONE_TIME = 50 * MB;

const BASE = 60 * MB;

function sample(rss: number, connections: number): CostSample {
  return {
    rss,
    heapUsed: rss / 8,
    heapTotal: rss / 4,
    external: 4 * MB,
    arrayBuffers: 64 * 1024,
    connections,
    serverPrivate: connections * PER_CONNECTION_SERVER,
    serverPss: connections * 2 * PER_CONNECTION_SERVER,
  };
}

function point(n: number, value: CostSample): CostPoint {
  return { n, median: value, repeats: [value], failures: [] };
}

function fit(slope: number, intercept: number): CostFit {
  return { slope, intercept, low: slope, high: slope, points: 3 };
}

function library(name: string): LibraryCost {
  const clientAt = (n: number) => sample(BASE + ONE_TIME + n * PER_CLIENT, n);
  const connectionAt = (n: number) => sample(BASE + ONE_TIME + PER_CLIENT + (n - 1) * PER_CONNECTION_HERE, n);
  return {
    library: name,
    version: name === 'prisma' ? '7.10.1' : '8.23.1',
    description: name === 'prisma' ? 'PrismaClient with @prisma/adapter-pg 7.10.1' : 'pg.Pool',
    entry: `node_modules/${name === 'prisma' ? '@prisma/client/default.js' : 'pg/lib/index.js'}`,
    poolMax: 10,
    poolMaxBasis: 'the default max',
    perClient: {
      baseline: point(0, sample(BASE, 0)),
      points: [1, 2, 4].map((n) => point(n, clientAt(n))),
      fits: {
        rss: fit(PER_CLIENT, BASE + ONE_TIME),
        heapUsed: fit(PER_CLIENT / 8, (BASE + ONE_TIME) / 8),
        external: fit(0, 4 * MB),
        arrayBuffers: fit(0, 64 * 1024),
        connections: fit(1, 0),
        serverPrivate: fit(PER_CONNECTION_SERVER, 0),
        serverPss: fit(2 * PER_CONNECTION_SERVER, 0),
      },
      oneTime: { rss: ONE_TIME, heapUsed: ONE_TIME / 8, external: 0, arrayBuffers: 0 },
    },
    perConnection: {
      points: [1, 2, 4].map((n) => point(n, connectionAt(n))),
      fits: {
        rss: fit(PER_CONNECTION_HERE, BASE + ONE_TIME + PER_CLIENT - PER_CONNECTION_HERE),
        heapUsed: fit(PER_CONNECTION_HERE / 8, 0),
        external: fit(0, 4 * MB),
        arrayBuffers: fit(0, 64 * 1024),
        connections: fit(1, 0),
        serverPrivate: fit(PER_CONNECTION_SERVER, 0),
        serverPss: fit(2 * PER_CONNECTION_SERVER, 0),
      },
    },
  };
}

export function syntheticCostFile(libraries: string[] = ['prisma', 'pg']): CostFile {
  return {
    schemaVersion: 1,
    kind: 'leakhound-cost',
    tool: { name: 'leakhound', version: '0.1.0' },
    measuredAt: '2026-03-04T05:06:07.000Z',
    durationMs: 84_000,
    machine: { hostname: 'build-box', node: 'v20.20.2', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'AMD EPYC', totalMemory: 8 * 1024 * MB },
    database: { kind: 'postgres', url: 'postgresql://postgres:****@127.0.0.1:5432/postgres', serverVersion: '18.4', embedded: true, maxConnections: 100 },
    server: { measured: true, reason: null, method: 'smaps_rollup' },
    settings: { points: [1, 2, 4], repeats: 1, timeoutMs: 60_000 },
    libraries: libraries.map(library),
    warnings: [],
  };
}
