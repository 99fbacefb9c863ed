import type { Prisma } from '@prisma/client';
import { prisma } from '../../lib/prisma.js';

export type AuditAction =
  | 'campaign.approved'
  | 'campaign.cancelled'
  | 'schedule.rescheduled'
  | 'contact.suppressed'
  | 'list.cleaned';

/** Already migrated to the shared client (lib/prisma.ts). */
export async function recordAudit(
  actor: string,
  action: AuditAction,
  entity: { type: string; id: string },
  metadata?: Prisma.InputJsonValue,
) {
  return prisma.auditLog.create({
    data: { actor, action, entityType: entity.type, entityId: entity.id, metadata },
  });
}

export async function historyOf(entityType: string, entityId: string, limit = 100) {
  return prisma.auditLog.findMany({
    where: { entityType, entityId },
    orderBy: { createdAt: 'desc' },
    take: limit,
  });
}
