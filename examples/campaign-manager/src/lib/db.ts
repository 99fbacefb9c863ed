import { PrismaClient } from '@prisma/client';
import { logger } from './logger.js';

const SLOW_QUERY_MS = Number(process.env.SLOW_QUERY_MS ?? 500);

/**
 * PrismaClient plus the helpers the search and reporting code kept re-implementing.
 * Added for the advanced search (#212).
 */
export class Database extends PrismaClient {
  constructor() {
    super({ log: ['warn', 'error'] });
  }

  /** Runs `work` and logs it when it is slower than SLOW_QUERY_MS. */
  async timed<T>(label: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      const ms = Math.round(performance.now() - started);
      if (ms > SLOW_QUERY_MS) logger.warn('slow query', { label, ms });
    }
  }

  async activeContactIds(listId: string): Promise<string[]> {
    const rows = await this.contact.findMany({
      where: { status: 'ACTIVE', lists: { some: { id: listId } } },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }
}
