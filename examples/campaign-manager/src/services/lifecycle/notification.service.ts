import { PrismaClient, type Notification } from '@prisma/client';
import { env } from '../../config/env.js';
import { notificationQueue } from '../../lib/queue.js';

const prisma = new PrismaClient();

const MAX_ATTEMPTS = 5;

export class NotificationService {
  /** Stores the notification and queues its delivery for `sendAt` (now when omitted). */
  async queueSlack(message: string, options: { campaignId?: string; sendAt?: Date } = {}): Promise<Notification> {
    const sendAt = options.sendAt ?? new Date();
    const notification = await prisma.notification.create({
      data: { campaignId: options.campaignId, channel: 'SLACK', recipient: '#campaigns', message, sendAt },
    });
    await notificationQueue.add(
      'send',
      { notificationId: notification.id },
      { delay: Math.max(0, sendAt.getTime() - Date.now()), jobId: notification.id },
    );
    return notification;
  }

  async deliver(notificationId: string): Promise<void> {
    const notification = await prisma.notification.findUniqueOrThrow({ where: { id: notificationId } });
    if (notification.status === 'SENT') return;
    if (notification.attempts >= MAX_ATTEMPTS) {
      await prisma.notification.update({ where: { id: notificationId }, data: { status: 'FAILED' } });
      return;
    }

    try {
      await postToSlack(notification.message);
      await prisma.notification.update({
        where: { id: notificationId },
        data: { status: 'SENT', sentAt: new Date(), attempts: { increment: 1 }, error: null },
      });
    } catch (error) {
      await prisma.notification.update({
        where: { id: notificationId },
        data: { attempts: { increment: 1 }, error: String(error) },
      });
      throw error;
    }
  }
}

async function postToSlack(text: string): Promise<void> {
  if (!env.SLACK_WEBHOOK_URL) return;
  const response = await fetch(env.SLACK_WEBHOOK_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  if (!response.ok) throw new Error(`Slack answered ${response.status}`);
}
