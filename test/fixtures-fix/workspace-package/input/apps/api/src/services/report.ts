import { PrismaClient } from '@prisma/client';

// The same database as the shared client, spelled another way.
const prisma = new PrismaClient({ datasourceUrl: process.env.DATABASE_URL });

export async function dailyTotals() {
  return prisma.order.groupBy({ by: ['day'], _sum: { total: true } });
}
