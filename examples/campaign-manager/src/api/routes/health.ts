import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
import { HealthMonitorService } from '../../services/monitoring/health-monitor.service.js';

const prisma = new PrismaClient();

export const healthRouter = Router();

healthRouter.get('/', async (_req, res) => {
  const report = await HealthMonitorService.check();
  res.status(report.database === 'up' ? 200 : 503).json(report);
});

/** Cheap liveness probe for the router: one round trip, no counts. */
healthRouter.get('/db', async (_req, res) => {
  try {
    await prisma.$queryRaw`SELECT 1`;
    res.json({ ok: true });
  } catch {
    res.status(503).json({ ok: false });
  }
});
