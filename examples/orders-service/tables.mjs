// The tables and a few rows, created by whichever service starts first (migrations need
// Prisma's schema engine, which this example does without).
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS "Customer" (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL);
CREATE TABLE IF NOT EXISTS "Order" (id serial PRIMARY KEY, "customerId" integer NOT NULL REFERENCES "Customer"(id), "totalCents" integer NOT NULL, "createdAt" timestamp(3) NOT NULL DEFAULT now());
INSERT INTO "Customer" (email, name)
  SELECT 'customer' || n || '@example.com', 'Customer ' || n FROM generate_series(1, 50) AS n
  ON CONFLICT (email) DO NOTHING;
`;

/** Creates the tables through a Prisma client (one statement at a time). */
export async function ensureTables(prisma) {
  for (const statement of SCHEMA_SQL.split(';').map((s) => s.trim()).filter(Boolean)) {
    await prisma.$executeRawUnsafe(statement);
  }
}
