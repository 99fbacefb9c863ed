import { PrismaClient } from '@prisma/client';

let client: PrismaClient | undefined;

/** One client per process, built on first use. */
export function getPrisma(): PrismaClient {
  if (!client) client = new PrismaClient();
  return client;
}
