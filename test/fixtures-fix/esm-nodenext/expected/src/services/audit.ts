import { type User } from '@prisma/client';
import { prisma } from '../lib/prisma.js';

export async function audit(action: string, userId: User['id']): Promise<void> {
  await prisma.user.findUnique({ where: { id: userId } });
  console.log(action, userId);
}
