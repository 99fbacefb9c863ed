/**
 * The settings a scan runs with, after the config file and the command line are merged.
 * The config file's schema (schema.ts) is the source of truth for what users may write;
 * this is its resolved form, with every default filled in.
 */
import type { Severity } from '../types.js';

export const RULE_IDS = [
  'multiple-clients',
  'per-call-client',
  'connection-budget',
  'pool-config',
  'transaction-timeout',
  'unbounded-collection',
  'shutdown',
  'heap-snapshot',
  'queue-retention',
  'query-logging',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** A rule's severity as configured: `off` drops the rule's findings. */
export type RuleLevel = Severity | 'off';

export interface RuleOptions {
  'transaction-timeout': {
    /** Interactive transactions may wait this long for a connection before it is a finding (Prisma's default is 2 s). */
    maxWaitMs: number;
    /** Interactive transactions may run this long before it is a finding (Prisma's default is 5 s). */
    timeoutMs: number;
  };
  'pool-config': {
    /** Idle timeouts above this keep idle connections open for too long (pg's default is 10 s). */
    idleTimeoutMs: number;
  };
}

export interface ScanSettings {
  /** How many copies of the service run at once (dynos, pods, cluster workers). */
  replicas: number;
  /** The database's `max_connections`. */
  maxConnections: number;
  /**
   * Physical CPU cores of the machine the service runs on: Prisma ≤ 6 sizes its pool as
   * cores × 2 + 1 when the URL has no `connection_limit`.
   */
  cpus: number;
  /** Per-rule level; a rule missing here runs at its default severity. */
  rules: Partial<Record<RuleId, RuleLevel>>;
  ruleOptions: RuleOptions;
}

export const DEFAULT_SETTINGS: ScanSettings = {
  replicas: 1,
  maxConnections: 100,
  cpus: 2,
  rules: {},
  ruleOptions: {
    'transaction-timeout': { maxWaitMs: 10_000, timeoutMs: 20_000 },
    'pool-config': { idleTimeoutMs: 60_000 },
  },
};
