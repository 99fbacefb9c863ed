import { PrismaClient } from '@prisma/client';
import { afterAll, describe, expect, it } from 'vitest';
import { CampaignMetricsService, rates } from '../../../services/lifecycle/campaign-metrics.service.js';

const prisma = new PrismaClient();

afterAll(async () => {
  await prisma.campaign.deleteMany({ where: { name: { startsWith: 'metrics-test-' } } });
  await prisma.list.deleteMany({ where: { name: { startsWith: 'metrics-test-' } } });
  await prisma.$disconnect();
});

describe('rates', () => {
  it('gives percentages with one decimal', () => {
    expect(rates({ sentCount: 3, openCount: 1, clickCount: 2, bounceCount: 0 })).toEqual({
      sent: 3,
      openRate: 33.3,
      clickRate: 66.7,
      bounceRate: 0,
    });
  });

  it('is all zeros for a campaign that sent nothing', () => {
    expect(rates({ sentCount: 0, openCount: 0, clickCount: 0, bounceCount: 0 }).openRate).toBe(0);
  });
});

describe('CampaignMetricsService', () => {
  it('reads the counters of one campaign', async () => {
    const list = await prisma.list.create({ data: { name: `metrics-test-${Date.now()}` } });
    const campaign = await prisma.campaign.create({
      data: {
        name: `metrics-test-${Date.now()}`,
        subject: 'Numbers',
        senderEmail: 'news@example.com',
        listId: list.id,
        status: 'SENT',
        sentCount: 200,
        openCount: 50,
        clickCount: 10,
        bounceCount: 4,
      },
    });
    const result = await new CampaignMetricsService().forCampaign(campaign.id);
    expect(result).toMatchObject({ sent: 200, openRate: 25, clickRate: 5, bounceRate: 2 });
  });
});
