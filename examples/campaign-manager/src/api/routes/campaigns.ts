import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
import { z } from 'zod';
import { approvalQueue } from '../../lib/queue.js';
import { errorMessage, validateBody } from '../middleware/validate.js';

const prisma = new PrismaClient();

export const campaignsRouter = Router();

const CreateCampaign = z.object({
  name: z.string().min(3).max(120),
  subject: z.string().min(1).max(120),
  senderEmail: z.string().email(),
  listId: z.string().min(1),
});

const ApproveCampaign = z.object({
  approvedBy: z.string().email(),
  scheduleId: z.string().min(1),
});

campaignsRouter.get('/', async (req, res) => {
  const status = typeof req.query.status === 'string' ? req.query.status.toUpperCase() : undefined;
  const campaigns = await prisma.campaign.findMany({
    where: status ? { status: status as never } : undefined,
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
  res.json(campaigns);
});

campaignsRouter.post('/', validateBody(CreateCampaign), async (req, res) => {
  try {
    const campaign = await prisma.campaign.create({ data: req.body as z.infer<typeof CreateCampaign> });
    res.status(201).json(campaign);
  } catch (error) {
    res.status(400).json({ error: errorMessage(error) });
  }
});

/** Approval is asynchronous: the approval job runs preflight and reports to Slack. */
campaignsRouter.post('/:id/approve', validateBody(ApproveCampaign), async (req, res) => {
  const { approvedBy, scheduleId } = req.body as z.infer<typeof ApproveCampaign>;
  const campaign = await prisma.campaign.findUnique({ where: { id: req.params.id } });
  if (!campaign) {
    res.status(404).json({ error: 'campaign not found' });
    return;
  }
  if (campaign.status !== 'DRAFT' && campaign.status !== 'PENDING_APPROVAL') {
    res.status(409).json({ error: `campaign is ${campaign.status}` });
    return;
  }
  await prisma.campaign.update({ where: { id: campaign.id }, data: { status: 'PENDING_APPROVAL' } });
  const job = await approvalQueue.add({ campaignId: campaign.id, scheduleId, approvedBy });
  res.status(202).json({ jobId: job.id });
});
