import { PrismaClient } from '@prisma/client';
import { format } from './format';

export function describe(db: string) {
  return format(db);
}

export async function count() {
  const client = new PrismaClient();
  return client.account.count();
}
