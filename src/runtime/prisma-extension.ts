/**
 * The Prisma Client extension behind `queryMetrics().prismaExtension`, written against the
 * shape of Prisma's API rather than its types (leakhound/runtime has no dependencies).
 */

/**
 * A Prisma Client extension in function form. It is typed as "returns the client it was
 * given": `$extends` infers the result from that, so the extended client keeps every model,
 * result and client extension type it had — the metrics add no methods of their own.
 */
export type PrismaMetricsExtension = <Client>(client: Client) => Client;

/** The part of query metrics the extension feeds. */
export interface DurationRecorder {
  readonly active: boolean;
  recordQuery(model: string | undefined, operation: string, durationMs: number, failed: boolean): void;
  recordTransaction(kind: 'interactive' | 'batch', durationMs: number, failed: boolean): void;
}

interface OperationParams {
  model?: string;
  operation: string;
  args: unknown;
  query: (args: unknown) => PromiseLike<unknown>;
}

interface ExtensibleClient {
  $extends(extension: {
    name: string;
    query: { $allOperations(params: OperationParams): PromiseLike<unknown> };
    client: { $transaction(this: unknown, ...args: unknown[]): Promise<unknown> };
  }): unknown;
  $transaction(...args: unknown[]): unknown;
}

export function prismaMetricsExtension(recorder: DurationRecorder): PrismaMetricsExtension {
  return <Client>(client: Client): Client => {
    const prisma = client as unknown as ExtensibleClient;
    if (typeof prisma?.$extends !== 'function' || typeof prisma.$transaction !== 'function') {
      throw new TypeError('queryMetrics().prismaExtension must be given to a Prisma Client: prisma.$extends(metrics.prismaExtension)');
    }
    // The built-in (or previously extended) $transaction, read before we shadow it. It is
    // called with `this` = the client the user called, so that the transaction client handed
    // to the callback carries every extension, including ones added after this one.
    const transaction = prisma.$transaction;
    return prisma.$extends({
      name: 'leakhound-query-metrics',
      query: {
        // Every model operation and raw query, inside transactions too.
        $allOperations({ model, operation, args, query }) {
          if (!recorder.active) return query(args);
          const started = performance.now();
          return query(args).then(
            (result) => {
              recorder.recordQuery(model, operation, performance.now() - started, false);
              return result;
            },
            (error: unknown) => {
              recorder.recordQuery(model, operation, performance.now() - started, true);
              throw error;
            },
          );
        },
      },
      client: {
        // Query extensions never see a transaction as a whole, so $transaction itself is
        // wrapped: from the call until commit or rollback, waiting for a connection included.
        // It has to be a Prisma `client` component, although each such layer adds a little
        // to every property access on the client: a Proxy of our own around the result
        // would be lost as soon as the app calls $extends again, because Prisma rebuilds an
        // extended client from the original one and the list of extension arguments.
        $transaction(this: unknown, ...args: unknown[]) {
          if (!recorder.active) return Promise.resolve(transaction.apply(this, args));
          const kind = Array.isArray(args[0]) ? 'batch' : 'interactive';
          const started = performance.now();
          return Promise.resolve(transaction.apply(this, args)).then(
            (result) => {
              recorder.recordTransaction(kind, performance.now() - started, false);
              return result;
            },
            (error: unknown) => {
              recorder.recordTransaction(kind, performance.now() - started, true);
              throw error;
            },
          );
        },
      },
    }) as Client;
  };
}
