import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export type DeliveryEvent = 'sent' | 'open' | 'click' | 'bounce';

const COUNTER: Record<DeliveryEvent, 'sentCount' | 'openCount' | 'clickCount' | 'bounceCount'> = {
  sent: 'sentCount',
  open: 'openCount',
  click: 'clickCount',
  bounce: 'bounceCount',
};

/**
 * Folds the email provider's event webhook into the campaign counters. Events arrive in
 * batches of up to 500; we increment once per campaign and event kind, not once per event.
 */
export async function recordEvents(events: { campaignId: string; event: DeliveryEvent }[]): Promise<number> {
  const grouped = new Map<string, number>();
  for (const { campaignId, event } of events) {
    const key = `${campaignId}:${event}`;
    grouped.set(key, (grouped.get(key) ?? 0) + 1);
  }

  const updates = [...grouped].map(([key, count]) => {
    const [campaignId, event] = key.split(':') as [string, DeliveryEvent];
    return prisma.campaign.update({
      where: { id: campaignId },
      data: { [COUNTER[event]]: { increment: count } },
    });
  });
  await prisma.$transaction(updates);
  return updates.length;
}
