import { PrismaClient } from '@prisma/client';
import { logger } from '../../lib/logger.js';
import { notificationQueue } from '../../lib/queue.js';

const prisma = new PrismaClient();

export class CampaignOrchestratorService {
  /**
   * Starts sending a round that passed preflight. A round is never launched before its
   * scheduled date, even when the worker restarts and replays due schedules.
   */
  async launch(scheduleId: string): Promise<boolean> {
    const schedule = await prisma.campaignSchedule.findUniqueOrThrow({
      where: { id: scheduleId },
      include: { campaign: true },
    });

    if (schedule.status !== 'PREFLIGHT_PASSED') {
      logger.warn('schedule not ready to launch', { scheduleId, status: schedule.status });
      return false;
    }
    if (schedule.scheduledDate.getTime() > Date.now()) {
      logger.warn('refusing to launch a round before its date', {
        scheduleId,
        scheduledDate: schedule.scheduledDate.toISOString(),
      });
      return false;
    }

    await prisma.$transaction([
      prisma.campaign.update({ where: { id: schedule.campaignId }, data: { status: 'SENDING' } }),
      prisma.campaignSchedule.update({ where: { id: scheduleId }, data: { status: 'SENT', sentAt: new Date() } }),
    ]);

    const notification = await prisma.notification.create({
      data: {
        campaignId: schedule.campaignId,
        channel: 'SLACK',
        recipient: '#campaigns',
        message: `Round ${schedule.round} of "${schedule.campaign.name}" is sending now`,
        sendAt: new Date(),
      },
    });
    await notificationQueue.add('send', { notificationId: notification.id });
    logger.info('round launched', { scheduleId, round: schedule.round });
    return true;
  }

  /** Marks the campaign SENT once every scheduled round has gone out. */
  async completeIfDone(campaignId: string): Promise<void> {
    const open = await prisma.campaignSchedule.count({
      where: { campaignId, status: { in: ['PENDING', 'PREFLIGHT_PASSED'] } },
    });
    if (open === 0) {
      await prisma.campaign.update({ where: { id: campaignId }, data: { status: 'SENT' } });
    }
  }
}
