import { format } from './format';
import { db as sharedDb } from '../lib/db';

export function describe(db: string) {
  return format(db);
}

export async function count() {
  const client = sharedDb;
  return client.account.count();
}
