// Orders: its own PrismaClient at module level (one client per file is how most services
// start), and a query history "for debugging" that keeps every query and its result forever.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/index.js';

export const queryHistory = [];

export const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) }).$extends({
  query: {
    async $allOperations({ model, operation, args, query }) {
      const started = Date.now();
      const result = await query(args);
      queryHistory.push({ model, operation, args, result, at: new Date(), durationMs: Date.now() - started });
      return result;
    },
  },
});

export async function listOrders() {
  return prisma.order.findMany({ take: 20, orderBy: { id: 'desc' }, include: { customer: true } });
}

export async function placeOrder() {
  const customerId = 1 + Math.floor(Math.random() * 50);
  return prisma.order.create({ data: { customerId, totalCents: 100 + Math.floor(Math.random() * 10_000) } });
}
