import { PrismaClient } from '@prisma/client';

/**
 * The one PrismaClient this service should create. Import `prisma` from here (`@/lib/prisma`)
 * instead of writing `new PrismaClient()` in a service file: every instance opens its own
 * connection pool and, with Prisma 6, loads its own query engine.
 *
 * Cached on globalThis so that `tsx watch` reloads reuse it instead of opening another pool.
 */
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const prisma = globalForPrisma.prisma ?? new PrismaClient({ log: ['warn', 'error'] });

if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;
