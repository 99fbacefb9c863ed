import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function cleanDatabase(): Promise<void> {
  await prisma.user.deleteMany();
  await prisma.$disconnect();
}
