import { PrismaClient } from '@prisma/client';
import { env } from '../../config/env.js';
import { normalizeEmail } from './contact.service.js';

// TODO: stop doing new PrismaClient() here; use the shared client from src/lib/prisma.ts
const prisma = new PrismaClient();

/**
 * A hard bounce suppresses the address at once; soft bounces suppress it once they reach
 * BOUNCE_SUPPRESSION_THRESHOLD. Unknown addresses are ignored (bounces for deleted contacts).
 */
export async function recordBounce(rawEmail: string, kind: 'hard' | 'soft', at: Date): Promise<'ignored' | 'counted' | 'suppressed'> {
  const email = normalizeEmail(rawEmail);
  const contact = await prisma.contact.findUnique({ where: { email } });
  if (!contact || contact.status === 'SUPPRESSED') return 'ignored';

  const bounceCount = contact.bounceCount + 1;
  const suppress = kind === 'hard' || bounceCount >= env.BOUNCE_SUPPRESSION_THRESHOLD;
  await prisma.contact.update({
    where: { email },
    data: {
      bounceCount,
      lastBouncedAt: at,
      ...(suppress ? { status: 'SUPPRESSED' as const, suppressedAt: at } : {}),
    },
  });
  return suppress ? 'suppressed' : 'counted';
}

export async function isSuppressed(email: string): Promise<boolean> {
  const contact = await prisma.contact.findUnique({
    where: { email: normalizeEmail(email) },
    select: { status: true },
  });
  return contact?.status === 'SUPPRESSED';
}

/** Lifts a suppression by hand (support ticket); the bounce history is kept. */
export async function unsuppress(email: string) {
  return prisma.contact.update({
    where: { email: normalizeEmail(email) },
    data: { status: 'ACTIVE', suppressedAt: null },
  });
}
