import { prisma } from '../lib/prisma.js';

export function startCleanup(): NodeJS.Timeout {
  return setInterval(async () => {
    const cleanup = prisma;
    await cleanup.user.deleteMany({ where: { email: { endsWith: '@example.invalid' } } });
  }, 60_000);
}
