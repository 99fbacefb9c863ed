import express from 'express';
import { PrismaClient } from '@prisma/client';
import { env } from '../config/env.js';
import { logger } from '../lib/logger.js';
import { campaignsRouter } from './routes/campaigns.js';
import { dashboardRouter } from './routes/dashboard.js';
import { healthRouter } from './routes/health.js';
import { lifecycleRouter } from './routes/lifecycle.js';
import { listsRouter } from './routes/lists.js';
import { searchContacts } from '../services/search/advanced-search.service.js';
import { errorMessage } from './middleware/validate.js';

const prisma = new PrismaClient();

export const app = express();
app.use(express.json({ limit: '2mb' }));

app.use('/health', healthRouter);
app.use('/api/campaigns', campaignsRouter);
app.use('/api/lifecycle', lifecycleRouter);
app.use('/api/lists', listsRouter);
app.use('/api/dashboard', dashboardRouter);

app.get('/api/contacts/search', async (req, res) => {
  try {
    res.json(await searchContacts(req.query));
  } catch (error) {
    res.status(400).json({ error: errorMessage(error) });
  }
});

app.get('/api/audit/:entityType/:entityId', async (req, res) => {
  const entries = await prisma.auditLog.findMany({
    where: { entityType: req.params.entityType, entityId: req.params.entityId },
    orderBy: { createdAt: 'desc' },
    take: 100,
  });
  res.json(entries);
});

await prisma.$connect();
app.listen(env.PORT, () => logger.info('web listening', { port: env.PORT }));
