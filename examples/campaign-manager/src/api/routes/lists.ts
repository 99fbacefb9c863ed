import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
import { z } from 'zod';
import { addContacts, createList, listSizes } from '../../services/lists/list-management.service.js';
import { errorMessage, validateBody } from '../middleware/validate.js';

// Imports hit the database hard; keep this router's pool small so it cannot starve the others.
const prisma = new PrismaClient({
  datasources: { db: { url: process.env.DATABASE_URL + '?connection_limit=5' } },
});

export const listsRouter = Router();

const CreateList = z.object({ name: z.string().min(2).max(80), description: z.string().max(500).optional() });
const AddContacts = z.object({ emails: z.array(z.string()).min(1).max(5_000) });

listsRouter.get('/', async (_req, res) => {
  res.json(await listSizes());
});

listsRouter.post('/', validateBody(CreateList), async (req, res) => {
  const { name, description } = req.body as z.infer<typeof CreateList>;
  try {
    res.status(201).json(await createList(name, description));
  } catch (error) {
    res.status(409).json({ error: errorMessage(error) });
  }
});

listsRouter.post('/:id/contacts', validateBody(AddContacts), async (req, res) => {
  const { emails } = req.body as z.infer<typeof AddContacts>;
  const linked = await addContacts(req.params.id, emails);
  res.json({ linked });
});

listsRouter.get('/:id/contacts', async (req, res) => {
  const page = Math.max(1, Number(req.query.page ?? 1));
  const pageSize = 100;
  const contacts = await prisma.contact.findMany({
    where: { lists: { some: { id: req.params.id } } },
    orderBy: { email: 'asc' },
    skip: (page - 1) * pageSize,
    take: pageSize,
  });
  res.json({ page, contacts });
});
