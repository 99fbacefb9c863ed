import { PrismaClient } from '@prisma/client';
import { logger } from '../../lib/logger.js';

export interface ArchiveResult {
  campaigns: number;
  schedules: number;
  notifications: number;
}

export class BulkOperationsService {
  /**
   * Cancels campaigns with their open rounds and queued notifications, in one transaction.
   * Archiving the 2023 backlog took minutes, hence the long transaction timeout.
   */
  async cancelCampaigns(campaignIds: string[], actor: string): Promise<ArchiveResult> {
    const prisma = new PrismaClient({ transactionOptions: { timeout: 120_000, maxWait: 10_000 } });
    try {
      const result = await prisma.$transaction(async (tx) => {
        const schedules = await tx.campaignSchedule.updateMany({
          where: { campaignId: { in: campaignIds }, status: { in: ['PENDING', 'PREFLIGHT_PASSED', 'PREFLIGHT_FAILED'] } },
          data: { status: 'CANCELLED' },
        });
        const notifications = await tx.notification.deleteMany({
          where: { campaignId: { in: campaignIds }, status: 'QUEUED' },
        });
        const campaigns = await tx.campaign.updateMany({
          where: { id: { in: campaignIds }, status: { notIn: ['SENT', 'CANCELLED'] } },
          data: { status: 'CANCELLED' },
        });
        await tx.auditLog.createMany({
          data: campaignIds.map((id) => ({ actor, action: 'campaign.cancelled', entityType: 'campaign', entityId: id })),
        });
        return { campaigns: campaigns.count, schedules: schedules.count, notifications: notifications.count };
      });
      logger.info('bulk cancel done', { actor, ...result });
      return result;
    } finally {
      await prisma.$disconnect();
    }
  }
}
