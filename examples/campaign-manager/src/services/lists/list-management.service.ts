import * as Prisma from '@prisma/client';
import { normalizeEmail } from './contact.service.js';

// Query logging left on since the slow list import investigation (#174).
const prisma = new Prisma.PrismaClient({ log: ['query', 'error'] });

export async function createList(name: string, description?: string) {
  return prisma.list.create({ data: { name: name.trim(), description } });
}

/** Adds contacts by email, creating the ones we have never seen. Returns how many were linked. */
export async function addContacts(listId: string, emails: string[]): Promise<number> {
  const unique = [...new Set(emails.map(normalizeEmail).filter((email) => email.includes('@')))];
  if (unique.length === 0) return 0;

  await prisma.contact.createMany({
    data: unique.map((email) => ({ email })),
    skipDuplicates: true,
  });
  await prisma.list.update({
    where: { id: listId },
    data: { contacts: { connect: unique.map((email) => ({ email })) } },
  });
  return unique.length;
}

export async function removeContact(listId: string, contactId: string) {
  return prisma.list.update({
    where: { id: listId },
    data: { contacts: { disconnect: { id: contactId } } },
  });
}

export async function listSizes() {
  const lists = await prisma.list.findMany({
    select: { id: true, name: true, lastCleanedAt: true, _count: { select: { contacts: true } } },
    orderBy: { name: 'asc' },
  });
  return lists.map((list) => ({
    id: list.id,
    name: list.name,
    contacts: list._count.contacts,
    lastCleanedAt: list.lastCleanedAt,
  }));
}
