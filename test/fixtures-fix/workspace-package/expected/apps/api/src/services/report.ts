import { prisma } from '@shop/db';

// The same database as the shared client, spelled another way.

export async function dailyTotals() {
  return prisma.order.groupBy({ by: ['day'], _sum: { total: true } });
}
