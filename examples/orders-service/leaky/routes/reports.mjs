// Reports: "a report is a job, jobs get their own client" — a new PrismaClient (and pool)
// for every request, never disconnected. Each one holds a database connection until its
// pool's idle timeout, so connections pile up with traffic.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/index.js';

export async function dailyReport() {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 20 }) });
  const [orders, revenue] = await Promise.all([
    prisma.order.count(),
    prisma.order.aggregate({ _sum: { totalCents: true } }),
  ]);
  return { orders, revenueCents: revenue._sum.totalCents ?? 0 };
}
