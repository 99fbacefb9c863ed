import { Router } from 'express';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { errorMessage, validateBody } from '../middleware/validate.js';
import { recordAudit } from '../../services/audit/audit-log.service.js';

export const lifecycleRouter = Router();

const RescheduleBody = z.object({
  scheduledDate: z.coerce.date(),
  reason: z.string().max(500).optional(),
  actor: z.string().email(),
});

lifecycleRouter.get('/upcoming', async (_req, res) => {
  const schedules = await prisma.campaignSchedule.findMany({
    where: { status: { in: ['PENDING', 'PREFLIGHT_PASSED'] } },
    include: { campaign: { select: { name: true, status: true } } },
    orderBy: { scheduledDate: 'asc' },
    take: 100,
  });
  res.json(schedules);
});

lifecycleRouter.get('/:id', async (req, res) => {
  const schedule = await prisma.campaignSchedule.findUnique({
    where: { id: req.params.id },
    include: { campaign: true },
  });
  if (!schedule) {
    res.status(404).json({ error: 'schedule not found' });
    return;
  }
  res.json(schedule);
});

lifecycleRouter.post('/:id/reschedule', validateBody(RescheduleBody), async (req, res) => {
  const { scheduledDate, reason, actor } = req.body as z.infer<typeof RescheduleBody>;
  try {
    const { PrismaClient } = await import('@prisma/client');
    const prisma = new PrismaClient();

    const current = await prisma.campaignSchedule.findUnique({ where: { id: req.params.id } });
    if (!current) {
      await prisma.$disconnect();
      res.status(404).json({ error: 'schedule not found' });
      return;
    }
    if (current.status === 'SENT' || current.status === 'CANCELLED') {
      await prisma.$disconnect();
      res.status(409).json({ error: `round is already ${current.status}` });
      return;
    }

    const updatedSchedule = await prisma.campaignSchedule.update({
      where: { id: req.params.id },
      // Moving a round invalidates its preflight: the date is one of the checks.
      data: { scheduledDate, status: 'PENDING' },
    });
    await prisma.$disconnect();

    await recordAudit(actor, 'schedule.rescheduled', { type: 'campaignSchedule', id: updatedSchedule.id }, {
      from: current.scheduledDate.toISOString(),
      to: scheduledDate.toISOString(),
      reason: reason ?? null,
    });
    res.json(updatedSchedule);
  } catch (error) {
    res.status(500).json({ error: errorMessage(error) });
  }
});
