import { PrismaClient as DB } from '@prisma/client';

const db = new DB();

export interface FailureSummary {
  recipient: string;
  failures: number;
  lastError: string | null;
}

export class NotificationLogService {
  async recent(limit = 50) {
    return db.notification.findMany({
      orderBy: { createdAt: 'desc' },
      take: Math.min(limit, 200),
      include: { campaign: { select: { name: true } } },
    });
  }

  /** Which recipients keep failing over the last `days` days, worst first. */
  async failures(days = 7): Promise<FailureSummary[]> {
    const since = new Date(Date.now() - days * 24 * 60 * 60 * 1000);
    const failed = await db.notification.findMany({
      where: { status: 'FAILED', createdAt: { gte: since } },
      select: { recipient: true, error: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
    const byRecipient = new Map<string, FailureSummary>();
    for (const row of failed) {
      const summary = byRecipient.get(row.recipient) ?? { recipient: row.recipient, failures: 0, lastError: null };
      summary.failures += 1;
      summary.lastError = row.error;
      byRecipient.set(row.recipient, summary);
    }
    return [...byRecipient.values()].sort((a, b) => b.failures - a.failures);
  }
}
