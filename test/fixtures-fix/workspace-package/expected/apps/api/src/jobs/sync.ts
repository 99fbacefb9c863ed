import { prisma } from '@shop/db';

export async function syncOrders(): Promise<number> {
  const client = prisma;
  const stale = await client.order.findMany({ where: { syncedAt: null } });
  return stale.length;
}
