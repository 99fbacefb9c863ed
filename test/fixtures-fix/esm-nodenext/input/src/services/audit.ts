import { PrismaClient, type User } from '@prisma/client';

const prisma = new PrismaClient();

export async function audit(action: string, userId: User['id']): Promise<void> {
  await prisma.user.findUnique({ where: { id: userId } });
  console.log(action, userId);
}
