import { PrismaClient } from '@prisma/client';

export function startCleanup(): NodeJS.Timeout {
  return setInterval(async () => {
    const cleanup = new PrismaClient();
    await cleanup.user.deleteMany({ where: { email: { endsWith: '@example.invalid' } } });
    await cleanup.$disconnect();
  }, 60_000);
}
