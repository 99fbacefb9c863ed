import { logger } from '@/lib/logger';
import { db } from '@/lib/db';

const prisma = db;

export async function listAccounts() {
  logger.info('listing accounts');
  return prisma.account.findMany();
}
