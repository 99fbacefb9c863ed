import { PrismaClient } from '@prisma/client';

// A read replica: another database, so another client on purpose.
export const replica = new PrismaClient({ datasourceUrl: process.env.READ_REPLICA_URL });
