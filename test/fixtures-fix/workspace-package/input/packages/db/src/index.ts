export { prisma } from './client.js';
export type { Order } from '@prisma/client';
