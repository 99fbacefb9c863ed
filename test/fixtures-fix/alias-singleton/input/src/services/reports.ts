import { PrismaClient } from '@prisma/client';

// The replica, on purpose.
const replica = new PrismaClient({ datasourceUrl: process.env.REPLICA_URL });

export const monthly = () => replica.account.count();
