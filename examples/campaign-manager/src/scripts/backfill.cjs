// One-off: rebuild contacts.bounce_count and last_bounced_at from the provider's bounce export
// (a JSON array of { email, bouncedAt }), for the contacts imported before bounce tracking.
// Usage: node src/scripts/backfill.cjs bounces.json [--dry-run]
const { readFileSync } = require('node:fs');
const { PrismaClient } = require('@prisma/client');

const prisma = new PrismaClient();

async function main() {
  const [file, flag] = process.argv.slice(2);
  if (!file) throw new Error('usage: backfill.cjs <bounces.json> [--dry-run]');
  const dryRun = flag === '--dry-run';

  const byEmail = new Map();
  for (const row of JSON.parse(readFileSync(file, 'utf8'))) {
    const email = String(row.email).trim().toLowerCase();
    const at = new Date(row.bouncedAt);
    const current = byEmail.get(email) ?? { count: 0, last: at };
    current.count += 1;
    if (at > current.last) current.last = at;
    byEmail.set(email, current);
  }

  let updated = 0;
  for (const [email, { count, last }] of byEmail) {
    if (dryRun) continue;
    const result = await prisma.contact.updateMany({
      where: { email },
      data: { bounceCount: count, lastBouncedAt: last },
    });
    updated += result.count;
  }
  console.log(`${byEmail.size} addresses in export, ${dryRun ? 'dry run' : `${updated} contacts updated`}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => prisma.$disconnect());
