import { PrismaClient } from '@prisma/client';

export class UserService {
  private readonly prisma: PrismaClient;

  constructor() {
    this.prisma = new PrismaClient();
  }

  count(): Promise<number> {
    return this.prisma.user.count();
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

export class CacheService {
  private readonly client = new PrismaClient();

  first() {
    return this.client.user.findFirst();
  }
}
