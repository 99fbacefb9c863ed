import { PrismaClient } from '@prisma/client';

export interface HealthReport {
  database: 'up' | 'down';
  latencyMs: number | null;
  /** Notifications that should have gone out more than 10 minutes ago. */
  stuckNotifications: number;
  memory: { rssMb: number; heapUsedMb: number };
}

const STUCK_AFTER_MS = 10 * 60 * 1000;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export class HealthMonitorService {
  private static readonly prisma = new PrismaClient();

  static async check(): Promise<HealthReport> {
    const { rss, heapUsed } = process.memoryUsage();
    const memory = { rssMb: mb(rss), heapUsedMb: mb(heapUsed) };
    const started = Date.now();
    try {
      await HealthMonitorService.prisma.$queryRaw`SELECT 1`;
      const latencyMs = Date.now() - started;
      const stuckNotifications = await HealthMonitorService.prisma.notification.count({
        where: { status: 'QUEUED', sendAt: { lt: new Date(Date.now() - STUCK_AFTER_MS) } },
      });
      return { database: 'up', latencyMs, stuckNotifications, memory };
    } catch {
      return { database: 'down', latencyMs: null, stuckNotifications: 0, memory };
    }
  }
}
