import { PrismaClient } from '@prisma/client';

export class CleanupJob {
  private readonly db = new PrismaClient();

  async run(): Promise<void> {
    await this.db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}
