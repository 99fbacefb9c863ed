// The orders service as it is before the fix. Run it under leakhound:
//   node bin/leakhound.js watch -o before.json --load 'node examples/orders-service/load.mjs' \
//     --wait-for http://127.0.0.1:3000/health -- node examples/orders-service/leaky/server.mjs
import { serve } from '../http.mjs';
import { ensureTables } from '../tables.mjs';
import { listCustomers } from './routes/customers.mjs';
import { listOrders, placeOrder, prisma, queryHistory } from './routes/orders.mjs';
import { dailyReport } from './routes/reports.mjs';

await ensureTables(prisma);

serve(
  {
    'GET /health': async () => ({ ok: true, queriesRemembered: queryHistory.length }),
    'GET /orders': listOrders,
    'POST /orders': placeOrder,
    'GET /customers': listCustomers,
    'GET /reports/daily': dailyReport,
  },
  { name: 'orders-service (leaky)' },
);
