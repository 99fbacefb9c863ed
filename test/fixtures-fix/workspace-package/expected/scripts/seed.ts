import { prisma } from '../packages/db/src/client.js';

await prisma.order.create({ data: { customerId: 'c1', total: 10 } });
