import { PrismaClient } from '@prisma/client';
import { bounceQueue } from '../lib/queue.js';
import { logger } from '../lib/logger.js';
import { recordBounce } from '../services/lists/suppression.service.js';

const prisma = new PrismaClient();

const CLEANUP_EVERY_MS = 60_000;
const SOFT_BOUNCE_RESET_DAYS = 90;

export function registerBounceJobs(): NodeJS.Timeout {
  bounceQueue.process(async (job) => {
    const outcome = await recordBounce(job.data.email, job.data.kind, new Date(job.data.receivedAt));
    if (outcome === 'suppressed') {
      await prisma.auditLog.create({
        data: { actor: 'bounce-processor', action: 'contact.suppressed', entityType: 'contact', entityId: job.data.email },
      });
    }
    return { outcome };
  });

  // Soft bounces older than 90 days no longer count towards suppression.
  return setInterval(async () => {
    const cleanup = new PrismaClient();
    try {
      const cutoff = new Date(Date.now() - SOFT_BOUNCE_RESET_DAYS * 24 * 60 * 60 * 1000);
      const { count } = await cleanup.contact.updateMany({
        where: { status: 'ACTIVE', bounceCount: { gt: 0 }, lastBouncedAt: { lt: cutoff } },
        data: { bounceCount: 0 },
      });
      if (count > 0) logger.info('soft bounces reset', { count });
    } catch (error) {
      logger.error('bounce cleanup failed', { error: String(error) });
    }
  }, CLEANUP_EVERY_MS);
}
