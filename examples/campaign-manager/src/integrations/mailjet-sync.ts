import { PrismaClient } from '@prisma/client';
import { logger } from '../lib/logger.js';

const prisma = new PrismaClient();

interface ProviderCampaignStats {
  customCampaign: string;
  delivered: number;
  opened: number;
  clicked: number;
  bounced: number;
}

/**
 * Pulls the provider's aggregate counters for campaigns sent in the last two days and
 * overwrites ours: the provider is the source of truth once the send is finished.
 */
export async function syncProviderStats(fetchStats: (since: Date) => Promise<ProviderCampaignStats[]>): Promise<number> {
  const since = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  const stats = await fetchStats(since);
  let updated = 0;
  for (const row of stats) {
    // We send with CustomCampaign = our campaign id.
    const result = await prisma.campaign.updateMany({
      where: { id: row.customCampaign },
      data: { sentCount: row.delivered, openCount: row.opened, clickCount: row.clicked, bounceCount: row.bounced },
    });
    updated += result.count;
  }
  logger.info('provider stats synced', { rows: stats.length, updated });
  return updated;
}
