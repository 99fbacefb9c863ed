import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
import { rates } from '../../services/lifecycle/campaign-metrics.service.js';

export const dashboardRouter = Router();

dashboardRouter.get('/summary', async (_req, res) => {
  const prisma = new PrismaClient();
  const weekAgo = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000);

  const [byStatus, upcoming, recentlySent, suppressedThisWeek] = await Promise.all([
    prisma.campaign.groupBy({ by: ['status'], _count: { _all: true } }),
    prisma.campaignSchedule.count({ where: { status: { in: ['PENDING', 'PREFLIGHT_PASSED'] } } }),
    prisma.campaign.findMany({
      where: { status: 'SENT', updatedAt: { gte: weekAgo } },
      select: { id: true, name: true, sentCount: true, openCount: true, clickCount: true, bounceCount: true },
    }),
    prisma.contact.count({ where: { suppressedAt: { gte: weekAgo } } }),
  ]);

  res.json({
    campaignsByStatus: Object.fromEntries(byStatus.map((row) => [row.status, row._count._all])),
    upcomingRounds: upcoming,
    recentlySent: recentlySent.map((campaign) => ({ id: campaign.id, name: campaign.name, ...rates(campaign) })),
    suppressedThisWeek,
  });
});
