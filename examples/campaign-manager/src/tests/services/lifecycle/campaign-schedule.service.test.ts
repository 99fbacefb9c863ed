import { PrismaClient } from '@prisma/client';
import { PrismaClientKnownRequestError } from '@prisma/client/runtime/library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CampaignScheduleService,
  ScheduleError,
  isUniqueViolation,
} from '../../../services/lifecycle/campaign-schedule.service.js';

const HOUR = 60 * 60 * 1000;

describe('CampaignScheduleService', () => {
  let prisma: PrismaClient;
  let campaignId: string;
  let listId: string;
  const service = new CampaignScheduleService();

  beforeAll(async () => {
    prisma = new PrismaClient();
    const list = await prisma.list.create({ data: { name: `schedule-test-${Date.now()}` } });
    listId = list.id;
    const campaign = await prisma.campaign.create({
      data: { name: 'Schedule test', subject: 'Hello', senderEmail: 'news@example.com', listId: list.id },
    });
    campaignId = campaign.id;
  });

  afterAll(async () => {
    await prisma.campaign.deleteMany({ where: { id: campaignId } });
    await prisma.list.deleteMany({ where: { id: listId } });
    await prisma.$disconnect();
  });

  it('numbers rounds from 1', async () => {
    const first = await service.createRound(campaignId, new Date(Date.now() + 2 * HOUR));
    const second = await service.createRound(campaignId, new Date(Date.now() + 26 * HOUR));
    expect([first.round, second.round]).toEqual([1, 2]);
  });

  it('refuses a round less than 30 minutes ahead', async () => {
    await expect(service.createRound(campaignId, new Date(Date.now() + 5 * 60 * 1000))).rejects.toBeInstanceOf(ScheduleError);
  });

  it('cannot move a round that was sent', async () => {
    const round = await service.createRound(campaignId, new Date(Date.now() + 3 * HOUR));
    await prisma.campaignSchedule.update({ where: { id: round.id }, data: { status: 'SENT', sentAt: new Date() } });
    await expect(service.reschedule(round.id, new Date(Date.now() + 48 * HOUR))).rejects.toThrow(/SENT/);
  });

  it('recognises a unique violation', () => {
    const error = new PrismaClientKnownRequestError('Unique constraint failed on the fields: (`campaign_id`,`round`)', {
      code: 'P2002',
      clientVersion: '6.16.0',
    });
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(new Error('P2002'))).toBe(false);
  });
});
