import { PrismaClient } from '@prisma/client';
import { router } from '../http.js';
import { audit } from '../services/audit.js';

// Each request builds its own client, and its own pool.
router.get('/users', async (_req, res) => {
  const prisma = new PrismaClient();
  try {
    const users = await prisma.user.findMany();
    res.end(JSON.stringify(users));
  } finally {
    await prisma.$disconnect();
  }
});

router.post('/users', async (req, res) => {
  const { PrismaClient: Client } = await import('@prisma/client');
  const db = new Client();
  try {
    const user = await db.user.create({ data: { email: String(req.body?.email) } });
    await audit('user.created', user.id);
    res.statusCode = 201;
    res.end(JSON.stringify(user));
  } catch (error) {
    res.statusCode = 400;
    res.end(String(error));
  } finally {
    await db.$disconnect();
  }
});
