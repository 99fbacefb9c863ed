import type { Request, Response } from 'express';
import { formatUser } from './format.js';
import { getPrisma } from '../db/client.js';

export async function listUsers(req: Request, res: Response) {
  const prisma = getPrisma();
  const users = await prisma.user.findMany({ take: Number(req.query.limit ?? 20) });
  res.json(users.map(formatUser));
}
