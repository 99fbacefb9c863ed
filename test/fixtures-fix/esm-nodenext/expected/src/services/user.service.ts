import { PrismaClient } from '@prisma/client';
import { prisma } from '../lib/prisma.js';

export class UserService {
  private readonly prisma: PrismaClient;

  constructor() {
    this.prisma = prisma;
  }

  count(): Promise<number> {
    return this.prisma.user.count();
  }

  async close(): Promise<void> {
  }
}

export class CacheService {
  private readonly client = prisma;

  first() {
    return this.client.user.findFirst();
  }
}
