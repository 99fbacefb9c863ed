import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

await prisma.order.create({ data: { customerId: 'c1', total: 10 } });
