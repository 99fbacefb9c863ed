import { PrismaClient } from '@prisma/client';
import type { Request, Response } from 'express';

export async function listOrders(req: Request, res: Response) {
  const db = new PrismaClient();
  try {
    res.json(await db.order.findMany({ where: { customerId: String(req.params.id) } }));
  } finally {
    await db.$disconnect();
  }
}
