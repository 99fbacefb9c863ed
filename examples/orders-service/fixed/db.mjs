// The one database client of the service: created once per process (`shared` survives hot
// reloads), its pool sized for this service (5 connections, not 10 per client), query
// metrics kept in bounded buffers instead of an array, and disconnected on SIGTERM/SIGINT.
import { PrismaPg } from '@prisma/adapter-pg';
import { disconnectShared, onShutdown, queryMetrics, shared } from 'leakhound/runtime';
import { PrismaClient } from '../generated/index.js';

export const metrics = queryMetrics({ slowQueryMs: 200 });

export const prisma = shared('prisma', () =>
  new PrismaClient({ adapter: metrics.prismaAdapter(new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 5 })) }),
);

onShutdown(() => disconnectShared());
