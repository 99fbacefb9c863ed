import { getPrisma } from '../db/client.js';

export class CleanupJob {
  private readonly db = getPrisma();

  async run(): Promise<void> {
    await this.db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}
