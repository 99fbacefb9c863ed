/**
 * Development data: two lists, a handful of contacts and a campaign with three rounds.
 * Run with `npm run db:seed` (also run by `prisma migrate reset`).
 */
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

const DAY = 24 * 60 * 60 * 1000;

async function main(): Promise<void> {
  const customers = await prisma.list.upsert({
    where: { name: 'Customers' },
    update: {},
    create: { name: 'Customers', description: 'Everyone with an active subscription' },
  });
  await prisma.list.upsert({
    where: { name: 'Beta testers' },
    update: {},
    create: { name: 'Beta testers' },
  });

  const emails = ['ada@example.com', 'grace@example.com', 'linus@example.com', 'margaret@example.com'];
  for (const email of emails) {
    await prisma.contact.upsert({
      where: { email },
      update: {},
      create: { email, firstName: email.split('@')[0], lists: { connect: { id: customers.id } } },
    });
  }

  const campaign = await prisma.campaign.create({
    data: {
      name: 'User Campaign',
      subject: 'What changed this quarter',
      senderEmail: 'news@example.com',
      listId: customers.id,
    },
  });
  await prisma.campaignSchedule.createMany({
    data: [1, 2, 3].map((round) => ({
      campaignId: campaign.id,
      round,
      scheduledDate: new Date(Date.now() + round * 7 * DAY),
    })),
  });
  console.log(`seeded campaign ${campaign.id} with 3 rounds for ${emails.length} contacts`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => prisma.$disconnect());
