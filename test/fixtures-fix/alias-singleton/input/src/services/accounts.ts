import { PrismaClient } from '@prisma/client';
import { logger } from '@/lib/logger';

const prisma = new PrismaClient();

export async function listAccounts() {
  logger.info('listing accounts');
  return prisma.account.findMany();
}
