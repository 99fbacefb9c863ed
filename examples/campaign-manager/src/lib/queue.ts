import Queue from 'bull';
import { env } from '../config/env.js';

export interface NotificationJob {
  notificationId: string;
}

export interface ApprovalJob {
  campaignId: string;
  scheduleId: string;
  approvedBy: string;
}

export interface BounceJob {
  email: string;
  kind: 'hard' | 'soft';
  receivedAt: string;
}

// Keep a bounded history of finished jobs: Redis holds every job we do not remove.
const defaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: 100,
  removeOnFail: 500,
};

export const notificationQueue = new Queue<NotificationJob>('notifications', env.REDIS_URL, { defaultJobOptions });
export const approvalQueue = new Queue<ApprovalJob>('approvals', env.REDIS_URL, { defaultJobOptions });
export const bounceQueue = new Queue<BounceJob>('bounces', env.REDIS_URL, { defaultJobOptions });
