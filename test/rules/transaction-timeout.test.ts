/**
 * transaction-timeout: interactive transactions allowed to wait (`maxWait`) or run (`timeout`)
 * longer than `ruleOptions['transaction-timeout']` (10 s / 20 s by default), set for a whole
 * Prisma client (`transactionOptions`) or for one `$transaction(fn, options)` call.
 */
import { code, ruleCases } from '../helpers/rule-cases.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';

const SHARED_PRISMA = code`
  import { PrismaClient } from '@prisma/client';

  export const prisma = new PrismaClient();
`;

/** A Prisma client on line 3 with the given client options. */
function prismaWith(options: string): string {
  return code`
    import { PrismaClient } from '@prisma/client';

    export const prisma = new PrismaClient(${options});
  `;
}

/** A service whose checkout runs an interactive transaction (the call on line 4) with `options`. */
function checkoutService(options: string): string {
  return code`
    import { prisma } from '../lib/prisma';

    export async function checkout(orderId: string) {
      return prisma.$transaction(
        async (tx) => {
          const order = await tx.order.update({ where: { id: orderId }, data: { status: 'paid' } });
          await tx.invoice.create({ data: { orderId } });
          return order;
        },
        ${options},
      );
    }
  `;
}

function limits(maxWaitMs: number, timeoutMs: number) {
  return { ...DEFAULT_SETTINGS.ruleOptions, 'transaction-timeout': { maxWaitMs, timeoutMs } };
}

ruleCases('transaction-timeout', {
  valid: [
    {
      name: "Prisma's defaults: interactive and batch transactions without options",
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/services/orders.service.ts': code`
          import { prisma } from '../lib/prisma';

          export const pay = (id: string) =>
            prisma.$transaction(async (tx) => tx.order.update({ where: { id }, data: { status: 'paid' } }));

          export const counts = () => prisma.$transaction([prisma.order.count(), prisma.invoice.count()]);
        `,
      },
    },
    {
      name: 'timeouts within the limits, and exactly at them (10 s wait, 20 s run)',
      files: {
        'src/lib/prisma.ts': prismaWith('{ transactionOptions: { maxWait: 10_000, timeout: 20_000 } }'),
        'src/services/orders.service.ts': checkoutService('{ maxWait: 5_000, timeout: 15_000, isolationLevel: "Serializable" }'),
      },
    },
    {
      name: 'values computed at run time are not guessed',
      files: {
        'src/lib/prisma.ts': prismaWith('{ transactionOptions: { timeout: Number(process.env.TX_TIMEOUT_MS) } }'),
        'src/services/orders.service.ts': checkoutService('{ timeout: config.transactionTimeoutMs }'),
      },
    },
    {
      name: 'ruleOptions: a 2 minute timeout under a limit raised to 2 minutes',
      settings: { ruleOptions: limits(60_000, 120_000) },
      files: {
        'src/lib/prisma.ts': prismaWith('{ transactionOptions: { maxWait: 30_000, timeout: 2 * 60 * 1000 } }'),
      },
    },
    {
      name: 'tests may run long transactions',
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'test/checkout.test.ts': code`
          import { PrismaClient } from '@prisma/client';
          import { prisma } from '../src/lib/prisma';

          const slow = new PrismaClient({ transactionOptions: { timeout: 600_000 } });

          test('checkout', async () => {
            await prisma.$transaction(async (tx) => tx.order.deleteMany(), { timeout: 600_000 });
            await slow.$disconnect();
          });
        `,
      },
    },
    {
      name: 'a seed script and a backfill script may run long transactions',
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'prisma/seed.ts': code`
          import { PrismaClient } from '@prisma/client';

          const prisma = new PrismaClient({ transactionOptions: { timeout: 600_000 } });

          await prisma.$transaction(async (tx) => {
            await tx.plan.createMany({ data: [{ name: 'free' }, { name: 'pro' }] });
          }, { timeout: 600_000 });
        `,
        'scripts/backfill-invoices.ts': code`
          import { prisma } from '../src/lib/prisma';

          await prisma.$transaction(async (tx) => {
            await tx.invoice.updateMany({ data: { currency: 'EUR' } });
          }, { maxWait: 60_000, timeout: 30 * 60 * 1000 });
        `,
      },
    },
    {
      name: 'the rule turned off',
      settings: { rules: { 'transaction-timeout': 'off' } },
      files: { 'src/lib/prisma.ts': prismaWith('{ transactionOptions: { timeout: 600_000 } }') },
    },
  ],
  invalid: [
    {
      name: 'transactionOptions on the client: maxWait 15 s and timeout 2 * 60 * 1000',
      files: {
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';

          export const prisma = new PrismaClient({
            transactionOptions: { maxWait: 15_000, timeout: 2 * 60 * 1000 },
          });
        `,
      },
      findings: [
        {
          file: 'src/lib/prisma.ts',
          line: 3,
          severity: 'warning',
          message:
            /^Every interactive transaction of this client \(transactionOptions\) may wait 15 s for a connection \(maxWait over 10 s\) and run for 120 s \(timeout over 20 s\), holding a pooled connection all along\. Keep transactions short/,
        },
      ],
    },
    {
      name: 'cross-file: one $transaction call of the shared client with timeout: 60_000',
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/services/orders.service.ts': checkoutService('{ timeout: 60_000 }'),
      },
      findings: [
        {
          file: 'src/services/orders.service.ts',
          line: 4,
          severity: 'warning',
          message: /^This interactive \$transaction may run for 60 s \(timeout over 20 s\), holding a pooled connection all along\./,
        },
      ],
    },
    {
      name: 'only the call over the limit, among several in one file',
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/services/orders.service.ts': code`
          import { prisma } from '../lib/prisma';

          export const quick = (id: string) =>
            prisma.$transaction(async (tx) => tx.order.findUnique({ where: { id } }), { maxWait: 5000, timeout: 10000 });

          export const batch = () => prisma.$transaction([prisma.order.count(), prisma.invoice.count()]);

          export const slow = (id: string) =>
            prisma.$transaction(async (tx) => tx.order.delete({ where: { id } }), { maxWait: 12_000 });
        `,
      },
      findings: [{ file: 'src/services/orders.service.ts', line: 9, message: /^This interactive \$transaction may wait 12 s for a connection \(maxWait over 10 s\), holding/ }],
    },
    {
      name: 'a module-level constant: timeout: FIVE_MINUTES (5 * 60 * 1000) in a Bull job',
      files: {
        'src/lib/prisma.ts': SHARED_PRISMA,
        'src/jobs/import.ts': code`
          import Queue from 'bull';
          import { prisma } from '../lib/prisma';

          const FIVE_MINUTES = 5 * 60 * 1000;
          const imports = new Queue('imports', process.env.REDIS_URL!);

          imports.process(async (job) => {
            await prisma.$transaction(async (tx) => {
              for (const row of job.data.rows) await tx.order.create({ data: row });
            }, { timeout: FIVE_MINUTES });
          });
        `,
      },
      findings: [{ file: 'src/jobs/import.ts', line: 8, message: /may run for 300 s \(timeout over 20 s\)/ }],
    },
    {
      name: 'NestJS: this.prisma.$transaction in a service, with maxWait: 20_000',
      files: {
        'src/orders/orders.service.ts': code`
          import { Injectable } from '@nestjs/common';
          import { PrismaService } from '../prisma/prisma.service';

          @Injectable()
          export class OrdersService {
            constructor(private readonly prisma: PrismaService) {}

            async import(refs: string[]) {
              await this.prisma.$transaction(async (tx) => {
                for (const ref of refs) await tx.order.create({ data: { ref } });
              }, { maxWait: 20_000 });
            }
          }
        `,
      },
      findings: [{ file: 'src/orders/orders.service.ts', line: 9, message: /^This interactive \$transaction may wait 20 s for a connection \(maxWait over 10 s\)/ }],
    },
    {
      name: 'Next.js: a route handler running a 45 s transaction; fractions of a second are kept',
      files: {
        'lib/prisma.ts': SHARED_PRISMA,
        'app/api/orders/route.ts': code`
          import { prisma } from '../../../lib/prisma';

          export async function POST(request: Request) {
            const body = await request.json();
            const order = await prisma.$transaction(async (tx) => tx.order.create({ data: body }), { maxWait: 10_500, timeout: 45_000 });
            return Response.json(order, { status: 201 });
          }
        `,
      },
      findings: [{ file: 'app/api/orders/route.ts', line: 5, message: /may wait 10\.5 s for a connection \(maxWait over 10 s\) and run for 45 s \(timeout over 20 s\)/ }],
    },
    {
      name: 'transactionOptions passed by shorthand from a constant above, Prisma 7 adapter client',
      files: {
        'src/lib/prisma.ts': code`
          import { PrismaClient } from '@prisma/client';
          import { PrismaPg } from '@prisma/adapter-pg';

          const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 10 });
          const transactionOptions = { maxWait: 30_000, timeout: 45_000 };

          export const prisma = new PrismaClient({ adapter, transactionOptions });
        `,
      },
      findings: [{ file: 'src/lib/prisma.ts', line: 7, message: /^Every interactive transaction of this client \(transactionOptions\) may wait 30 s for a connection \(maxWait over 10 s\) and run for 45 s \(timeout over 20 s\)/ }],
    },
    {
      name: "ruleOptions: limits lowered to Prisma's defaults (2 s wait, 5 s run)",
      settings: { ruleOptions: limits(2_000, 5_000) },
      files: {
        'src/lib/prisma.ts': prismaWith('{ transactionOptions: { maxWait: 3_000, timeout: 5_000 } }'),
        'src/services/orders.service.ts': checkoutService('{ timeout: 6_000 }'),
      },
      findings: [
        { file: 'src/lib/prisma.ts', line: 3, message: /may wait 3 s for a connection \(maxWait over 2 s\), holding/ },
        { file: 'src/services/orders.service.ts', line: 4, message: /may run for 6 s \(timeout over 5 s\), holding/ },
      ],
    },
    {
      name: 'the rule raised to error',
      settings: { rules: { 'transaction-timeout': 'error' } },
      files: { 'src/lib/prisma.ts': prismaWith('{ transactionOptions: { timeout: 600_000 } }') },
      findings: [{ file: 'src/lib/prisma.ts', line: 3, severity: 'error', message: /run for 600 s \(timeout over 20 s\)/ }],
    },
  ],
});
