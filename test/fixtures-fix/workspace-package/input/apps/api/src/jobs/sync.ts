import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';

export async function syncOrders(): Promise<number> {
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
  const stale = await client.order.findMany({ where: { syncedAt: null } });
  return stale.length;
}
