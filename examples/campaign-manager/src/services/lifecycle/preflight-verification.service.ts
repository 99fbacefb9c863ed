import { PrismaClient } from '@prisma/client';

export interface PreflightCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

const SUBJECT_MAX = 120;
const SENDER_DOMAINS = (process.env.ALLOWED_SENDER_DOMAINS ?? 'example.com').split(',');

export class PreflightVerificationService {
  private readonly prisma: PrismaClient;

  constructor() {
    this.prisma = new PrismaClient();
  }

  /** Runs every check, stores the report on the schedule and moves it to PASSED or FAILED. */
  async run(scheduleId: string): Promise<{ passed: boolean; checks: PreflightCheck[] }> {
    const schedule = await this.prisma.campaignSchedule.findUniqueOrThrow({
      where: { id: scheduleId },
      include: { campaign: { include: { _count: { select: { schedules: true } } } } },
    });
    const { campaign } = schedule;
    const audience = await this.prisma.contact.count({
      where: { status: 'ACTIVE', lists: { some: { id: campaign.listId } } },
    });

    const senderDomain = campaign.senderEmail.split('@')[1] ?? '';
    const checks: PreflightCheck[] = [
      { name: 'approved', ok: campaign.approvedAt !== null, detail: campaign.approvedBy ?? 'not approved' },
      { name: 'audience', ok: audience > 0, detail: `${audience} active contacts` },
      { name: 'subject', ok: campaign.subject.length > 0 && campaign.subject.length <= SUBJECT_MAX },
      { name: 'sender-domain', ok: SENDER_DOMAINS.includes(senderDomain), detail: senderDomain },
      { name: 'in-future', ok: schedule.scheduledDate.getTime() > Date.now() },
    ];
    const passed = checks.every((check) => check.ok);

    await this.prisma.campaignSchedule.update({
      where: { id: scheduleId },
      data: {
        status: passed ? 'PREFLIGHT_PASSED' : 'PREFLIGHT_FAILED',
        preflightReport: { checkedAt: new Date().toISOString(), checks: checks.map((c) => ({ ...c })) },
      },
    });
    return { passed, checks };
  }
}
