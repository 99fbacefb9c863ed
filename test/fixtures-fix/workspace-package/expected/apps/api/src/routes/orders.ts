import type { Request, Response } from 'express';
import { prisma } from '@shop/db';

export async function listOrders(req: Request, res: Response) {
  const db = prisma;
  res.json(await db.order.findMany({ where: { customerId: String(req.params.id) } }));
}
