import { PrismaClient } from '@prisma/client';
import { notificationQueue } from '../lib/queue.js';
import { logger } from '../lib/logger.js';
import { env } from '../config/env.js';

const MAX_ATTEMPTS = 5;

export function registerNotificationJobs(concurrency = 5): void {
  notificationQueue.process('send', concurrency, async (job) => {
    const prisma = new PrismaClient();
    try {
      const notification = await prisma.notification.findUnique({ where: { id: job.data.notificationId } });
      if (!notification || notification.status === 'SENT') return { skipped: true };
      if (notification.attempts >= MAX_ATTEMPTS) {
        await prisma.notification.update({ where: { id: notification.id }, data: { status: 'FAILED' } });
        return { skipped: true };
      }

      if (env.SLACK_WEBHOOK_URL) {
        const response = await fetch(env.SLACK_WEBHOOK_URL, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: notification.message }),
        });
        if (!response.ok) throw new Error(`Slack answered ${response.status}`);
      }

      await prisma.notification.update({
        where: { id: notification.id },
        data: { status: 'SENT', sentAt: new Date(), attempts: { increment: 1 } },
      });
      return { skipped: false };
    } catch (error) {
      logger.error('notification failed', { notificationId: job.data.notificationId, attempt: job.attemptsMade + 1 });
      throw error;
    } finally {
      await prisma.$disconnect();
    }
  });
}
