import { registerMetricSource, type MetricsCollector, type PoolLike } from './metrics.js';

export type { PoolLike } from './metrics.js';

/** A pool's counters at one moment. */
export interface PoolStats {
  /** Connections open (idle + in use). */
  total: number;
  idle: number;
  /** Callers waiting for a connection: above 0 for long, the pool is too small or connections leak. */
  waiting: number;
  /** The pool's `max`, when it exposes its options. */
  max: number | undefined;
}

/** Reads a `pg.Pool`'s counters (`totalCount`, `idleCount`, `waitingCount`, `options.max`). */
export function poolStats(pool: PoolLike): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options?.max };
}

/**
 * Adds a `pg.Pool` to the metrics export as `db_client_pool_total_connections`,
 * `…_idle_connections`, `…_waiting_requests` and `…_max_connections` with `pool="<name>"`.
 * Nothing is sampled in between: the counters are read at each scrape. The pool is held
 * weakly (watching it does not keep it alive) and leaves the export once ended or collected.
 *
 * With Prisma 7 and `@prisma/adapter-pg`, pass your own pool to see Prisma's connections:
 * `new PrismaPg(pool)`. (`trackClients()` also reports pools it saw being created, including
 * the one adapter-pg creates for itself.)
 *
 * @returns a function that removes the pool from the export.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString, max: 10 });
 * watchPool(pool, { name: 'main' });
 * const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
 * ```
 */
export function watchPool(pool: PoolLike, options: { name?: string } = {}): () => void {
  const ref = new WeakRef(pool);
  const name = options.name ?? 'pg';
  let unregister: (() => void) | undefined;
  const source = {
    collect(collector: MetricsCollector) {
      const current = ref.deref() as (PoolLike & { ended?: boolean }) | undefined;
      if (!current || current.ended === true) {
        unregister?.();
        return;
      }
      collector.pool(current, name, true);
    },
  };
  // Pinned: the source must outlive the caller's reference to it; it removes itself once
  // the pool is gone.
  unregister = registerMetricSource(source, true);
  return () => unregister?.();
}
