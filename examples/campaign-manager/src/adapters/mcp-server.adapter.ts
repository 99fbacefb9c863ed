import { PrismaClient } from '@prisma/client';
import { z } from 'zod';

/**
 * Read-only tools for the team's assistant (campaign status, upcoming rounds). The client is
 * created on first use so that loading the tool list does not open a database connection.
 */
let client: PrismaClient | undefined;

function db(): PrismaClient {
  client ??= new PrismaClient();
  return client;
}

interface Tool<I extends z.ZodTypeAny> {
  name: string;
  description: string;
  input: I;
  run: (input: z.infer<I>) => Promise<unknown>;
}

const campaignStatus: Tool<z.ZodObject<{ name: z.ZodString }>> = {
  name: 'campaign_status',
  description: 'Status and rounds of the campaigns whose name contains the given text',
  input: z.object({ name: z.string().min(2) }),
  run: async ({ name }) =>
    db().campaign.findMany({
      where: { name: { contains: name, mode: 'insensitive' } },
      select: { name: true, status: true, schedules: { select: { round: true, scheduledDate: true, status: true } } },
      take: 10,
    }),
};

const upcomingRounds: Tool<z.ZodObject<{ days: z.ZodDefault<z.ZodNumber> }>> = {
  name: 'upcoming_rounds',
  description: 'Rounds scheduled in the next N days',
  input: z.object({ days: z.number().int().min(1).max(60).default(7) }),
  run: async ({ days }) =>
    db().campaignSchedule.findMany({
      where: { scheduledDate: { gte: new Date(), lte: new Date(Date.now() + days * 86_400_000) } },
      include: { campaign: { select: { name: true } } },
      orderBy: { scheduledDate: 'asc' },
    }),
};

export const tools = [campaignStatus, upcomingRounds];

export async function callTool(name: string, rawInput: unknown): Promise<unknown> {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`unknown tool ${name}`);
  return tool.run(tool.input.parse(rawInput) as never);
}
