import { PrismaClient } from '@prisma/client';
import { approvalQueue } from '../lib/queue.js';
import { logger } from '../lib/logger.js';
import { PreflightVerificationService } from '../services/lifecycle/preflight-verification.service.js';
import { NotificationService } from '../services/lifecycle/notification.service.js';

const prisma = new PrismaClient();
const notifications = new NotificationService();

export function registerApprovalJobs(): void {
  approvalQueue.process(async (job) => {
    const { campaignId, scheduleId, approvedBy } = job.data;

    const campaign = await prisma.campaign.update({
      where: { id: campaignId },
      data: { status: 'APPROVED', approvedBy, approvedAt: new Date() },
    });

    // A fresh service per job, "so nothing is shared between jobs".
    const preflight = new PreflightVerificationService();
    const { passed, checks } = await preflight.run(scheduleId);

    if (passed) {
      await prisma.campaign.update({ where: { id: campaignId }, data: { status: 'SCHEDULED' } });
      await notifications.queueSlack(`"${campaign.name}" approved by ${approvedBy}; preflight passed`, { campaignId });
    } else {
      const failed = checks.filter((check) => !check.ok).map((check) => check.name);
      await notifications.queueSlack(`"${campaign.name}" approved but preflight failed: ${failed.join(', ')}`, { campaignId });
      logger.warn('preflight failed', { campaignId, scheduleId, failed });
    }
    return { passed };
  });
}
