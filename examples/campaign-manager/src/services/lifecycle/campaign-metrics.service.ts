import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export interface CampaignCounters {
  sentCount: number;
  openCount: number;
  clickCount: number;
  bounceCount: number;
}

export interface CampaignRates {
  sent: number;
  openRate: number;
  clickRate: number;
  bounceRate: number;
}

/** Percentages with one decimal; a campaign that sent nothing has all rates at 0. */
export function rates(counters: CampaignCounters): CampaignRates {
  const pct = (n: number) => (counters.sentCount === 0 ? 0 : Math.round((n / counters.sentCount) * 1000) / 10);
  return {
    sent: counters.sentCount,
    openRate: pct(counters.openCount),
    clickRate: pct(counters.clickCount),
    bounceRate: pct(counters.bounceCount),
  };
}

export class CampaignMetricsService {
  async forCampaign(campaignId: string): Promise<CampaignRates> {
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    return rates(campaign);
  }

  async topByOpenRate(limit = 5) {
    const sent = await prisma.campaign.findMany({
      where: { status: 'SENT', sentCount: { gt: 0 } },
      select: { id: true, name: true, sentCount: true, openCount: true, clickCount: true, bounceCount: true },
    });
    return sent
      .map((campaign) => ({ id: campaign.id, name: campaign.name, ...rates(campaign) }))
      .sort((a, b) => b.openRate - a.openRate)
      .slice(0, limit);
  }
}
