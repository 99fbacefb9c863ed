/**
 * The JSON documents leakhound writes for itself to read back (the run file of `watch`, the
 * cost file of `cost`) are checked the same way: JSON at all, the right `kind`, not from a
 * newer leakhound, then the schema — each failure in words that say what to do.
 */

/** What a document's zod schema offers: `safeParse`, with issues that have a path. */
export interface DocumentSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

export interface DocumentSpec<T> {
  kind: string;
  schemaVersion: number;
  schema: DocumentSchema<T>;
  /** `run file`, `cost file`. */
  noun: string;
  /** The error to throw, with its message. */
  fail: (message: string) => Error;
}

/** Parses `text` (read from `name`) as the document `spec` describes, or throws `spec.fail(…)`. */
export function parseVersionedDocument<T>(text: string, name: string, spec: DocumentSpec<T>): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw spec.fail(`${name} is not JSON: ${(error as Error).message}`);
  }
  const record = typeof data === 'object' && data !== null ? (data as { kind?: unknown; schemaVersion?: unknown }) : null;
  if (record && record.kind !== spec.kind) {
    const kind = record.kind === undefined ? 'missing' : JSON.stringify(record.kind);
    // How to make one is the caller's hint (the CLI prints it under the message).
    throw spec.fail(`${name} is not a leakhound ${spec.noun} (kind: ${kind})`);
  }
  if (record && typeof record.schemaVersion !== 'number') {
    throw spec.fail(`${name} is not a valid ${spec.noun}: it has no schemaVersion (a ${spec.noun} written by hand or cut short?)`);
  }
  if (record && typeof record.schemaVersion === 'number' && record.schemaVersion > spec.schemaVersion) {
    throw spec.fail(`${name} was written by a newer leakhound (${spec.noun} version ${record.schemaVersion}); upgrade leakhound to read it`);
  }
  const result = spec.schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw spec.fail(`${name} is not a valid ${spec.noun}: ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
  }
  return result.data;
}
