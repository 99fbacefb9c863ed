/**
 * Job queues are not database clients, but the `queue-retention` rule needs to know where they
 * are built: Bull and BullMQ keep every finished job in Redis unless told otherwise.
 */
import type { BindableSpec } from './types.js';

export const bullmqSpec: BindableSpec = {
  id: 'bullmq',
  isClientModule: (specifier) => specifier === 'bullmq' || specifier === '@nestjs/bullmq',
  constructors: new Set(['Queue', 'Worker', 'FlowProducer']),
  factories: new Set(),
  defaultExport: null,
  callableModule: null,
  distinctiveNames: new Set(),
};

/** Bull 3/4: `new Queue(name, url?, opts?)`, also callable without `new`. */
export const bullSpec: BindableSpec = {
  id: 'bull',
  isClientModule: (specifier) => specifier === 'bull',
  constructors: new Set(['Queue']),
  factories: new Set(['Queue']),
  defaultExport: 'Queue',
  callableModule: 'Queue',
  distinctiveNames: new Set(),
};

export const QUEUE_SPECS: readonly BindableSpec[] = [bullmqSpec, bullSpec];

/**
 * The module names queues are built from, as `importsAnyModule` matches them (a leading `@` is
 * dropped, and a name matches a whole specifier or its subpaths).
 */
export const QUEUE_MODULES: readonly string[] = ['bullmq', 'bull', 'nestjs/bullmq', 'nestjs/bull'];
