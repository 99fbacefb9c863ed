// The orders service after the fix: one shared client (./db.mjs) for every route.
//   node bin/leakhound.js watch -o after.json --load 'node examples/orders-service/load.mjs' \
//     --wait-for http://127.0.0.1:3000/health -- node examples/orders-service/fixed/server.mjs
import { serve } from '../http.mjs';
import { ensureTables } from '../tables.mjs';
import { metrics, prisma } from './db.mjs';

await ensureTables(prisma);

serve(
  {
    'GET /health': async () => ({ ok: true, queries: metrics.snapshot().queries.reduce((sum, q) => sum + q.count, 0) }),
    'GET /orders': () => prisma.order.findMany({ take: 20, orderBy: { id: 'desc' }, include: { customer: true } }),
    'POST /orders': () =>
      prisma.order.create({ data: { customerId: 1 + Math.floor(Math.random() * 50), totalCents: 100 + Math.floor(Math.random() * 10_000) } }),
    'GET /customers': () => prisma.customer.findMany({ take: 20, include: { _count: { select: { orders: true } } } }),
    'GET /reports/daily': async () => {
      const [orders, revenue] = await Promise.all([prisma.order.count(), prisma.order.aggregate({ _sum: { totalCents: true } })]);
      return { orders, revenueCents: revenue._sum.totalCents ?? 0 };
    },
  },
  { name: 'orders-service (fixed)' },
);
