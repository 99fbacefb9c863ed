// Customers: a second module, a second PrismaClient — and a second connection pool.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/index.js';

const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });

export async function listCustomers() {
  return prisma.customer.findMany({ take: 20, include: { _count: { select: { orders: true } } } });
}
