import { Prisma, PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export class DuplicateContactError extends Error {
  constructor(readonly email: string) {
    super(`contact ${email} already exists`);
  }
}

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export async function createContact(input: { email: string; firstName?: string; lastName?: string }) {
  try {
    return await prisma.contact.create({
      data: { email: normalizeEmail(input.email), firstName: input.firstName, lastName: input.lastName },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new DuplicateContactError(normalizeEmail(input.email));
    }
    throw error;
  }
}

/** Imports a CSV batch in one transaction; a duplicate inside the batch fails it like the database would. */
export async function importBatch(rows: { email: string; firstName?: string }[]) {
  const emails = rows.map((row) => normalizeEmail(row.email));
  assertNoDuplicatesInBatch(emails);
  return prisma.$transaction(
    rows.map((row, i) => prisma.contact.create({ data: { email: emails[i]!, firstName: row.firstName } })),
  );
}

function assertNoDuplicatesInBatch(emails: string[]): void {
  const seen = new Set<string>();
  for (const email of emails) {
    if (seen.has(email)) {
      // Same shape as the database's own error, so callers handle one kind of duplicate.
      throw new Prisma.PrismaClientKnownRequestError(`Unique constraint failed on the fields: (\`email\`)`, {
        code: 'P2002',
        clientVersion: Prisma.prismaVersion.client,
        meta: { target: ['email'], value: email },
      });
    }
    seen.add(email);
  }
}

export async function unsubscribe(email: string) {
  return prisma.contact.update({
    where: { email: normalizeEmail(email) },
    data: { status: 'UNSUBSCRIBED' },
  });
}
