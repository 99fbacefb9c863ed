import { PrismaClient } from '@prisma/client';
import type { Request, Response } from 'express';
import { formatUser } from './format.js';

export async function listUsers(req: Request, res: Response) {
  const prisma = new PrismaClient();
  try {
    const users = await prisma.user.findMany({ take: Number(req.query.limit ?? 20) });
    res.json(users.map(formatUser));
  } finally {
    await prisma.$disconnect();
  }
}
