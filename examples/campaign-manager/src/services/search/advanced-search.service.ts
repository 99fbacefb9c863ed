import { z } from 'zod';
import { Database } from '../../lib/db.js';

export const ContactSearch = z.object({
  text: z.string().trim().min(2).optional(),
  status: z.enum(['ACTIVE', 'UNSUBSCRIBED', 'BOUNCED', 'SUPPRESSED']).optional(),
  listId: z.string().optional(),
  bouncedWithinDays: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type ContactSearchInput = z.input<typeof ContactSearch>;

export async function searchContacts(input: unknown) {
  const query = ContactSearch.parse(input);
  const db = new Database();
  try {
    return await db.timed('searchContacts', () =>
      db.contact.findMany({
        where: {
          status: query.status,
          lists: query.listId ? { some: { id: query.listId } } : undefined,
          lastBouncedAt: query.bouncedWithinDays
            ? { gte: new Date(Date.now() - query.bouncedWithinDays * 24 * 60 * 60 * 1000) }
            : undefined,
          OR: query.text
            ? [
                { email: { contains: query.text, mode: 'insensitive' } },
                { firstName: { contains: query.text, mode: 'insensitive' } },
                { lastName: { contains: query.text, mode: 'insensitive' } },
              ]
            : undefined,
        },
        orderBy: { updatedAt: 'desc' },
        take: query.limit,
      }),
    );
  } finally {
    await db.$disconnect();
  }
}
