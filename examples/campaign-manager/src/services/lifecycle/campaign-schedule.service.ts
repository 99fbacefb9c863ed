import { Prisma, PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

const MIN_LEAD_TIME_MS = 30 * 60 * 1000;

export class ScheduleError extends Error {}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

export class CampaignScheduleService {
  /** Adds the next round of a campaign; rounds are numbered from 1. */
  async createRound(campaignId: string, scheduledDate: Date) {
    if (scheduledDate.getTime() - Date.now() < MIN_LEAD_TIME_MS) {
      throw new ScheduleError('a round must be scheduled at least 30 minutes ahead');
    }
    const last = await prisma.campaignSchedule.findFirst({
      where: { campaignId },
      orderBy: { round: 'desc' },
      select: { round: true },
    });
    try {
      return await prisma.campaignSchedule.create({
        data: { campaignId, scheduledDate, round: (last?.round ?? 0) + 1 },
      });
    } catch (error) {
      // Two planners adding a round at once both read the same last round.
      if (isUniqueViolation(error)) throw new ScheduleError('another round was just added; reload and retry');
      throw error;
    }
  }

  /** Only rounds that have not started can move; a failed preflight must run again. */
  async reschedule(scheduleId: string, scheduledDate: Date) {
    const schedule = await prisma.campaignSchedule.findUniqueOrThrow({ where: { id: scheduleId } });
    if (schedule.status !== 'PENDING' && schedule.status !== 'PREFLIGHT_FAILED') {
      throw new ScheduleError(`cannot reschedule a round that is ${schedule.status}`);
    }
    return prisma.campaignSchedule.update({
      where: { id: scheduleId },
      data: { scheduledDate, status: 'PENDING', preflightReport: undefined },
    });
  }

  async due(now: Date = new Date()) {
    return prisma.campaignSchedule.findMany({
      where: { status: 'PREFLIGHT_PASSED', scheduledDate: { lte: now } },
      orderBy: { scheduledDate: 'asc' },
    });
  }

  async upcoming(days = 7) {
    const until = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
    return prisma.campaignSchedule.findMany({
      where: { status: { in: ['PENDING', 'PREFLIGHT_PASSED'] }, scheduledDate: { lte: until } },
      include: { campaign: { select: { name: true } } },
      orderBy: { scheduledDate: 'asc' },
    });
  }
}
