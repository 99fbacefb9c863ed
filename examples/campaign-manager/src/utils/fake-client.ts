/**
 * An in-memory stand-in used by `DRY_RUN=1 npm run worker` to rehearse a send without a
 * database. It only shares a name with Prisma's client.
 */
type Row = Record<string, unknown> & { id: string };

class PrismaClient {
  /* test double: a map per model, enough for the dry-run path */
  private readonly tables = new Map<string, Map<string, Row>>();

  table(model: string): Map<string, Row> {
    let rows = this.tables.get(model);
    if (!rows) this.tables.set(model, (rows = new Map()));
    return rows;
  }

  async $disconnect(): Promise<void> {
    this.tables.clear();
  }
}

export const fakeClient = new PrismaClient();

export function seedFake(model: string, rows: Row[]): void {
  const table = fakeClient.table(model);
  for (const row of rows) table.set(row.id, row);
}
