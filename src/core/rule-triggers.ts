/**
 * The byte-level pre-filter for the rules: a file that holds no client constructor may still
 * hold what a rule looks for (a SIGTERM handler, `$transaction` options, a collection that a
 * listener grows). Like the word pre-filter it may let a file through needlessly, never keep
 * one out that could hold a finding.
 */

/** Any one of these makes a file worth parsing. */
const DIRECT = [
  '$on', '$transaction', '$disconnect', 'SIGTERM', 'SIGINT', 'beforeExit', 'enableShutdownHooks', 'onModuleDestroy',
  'ApplicationShutdown', 'createTerminus', 'closeWithGrace', 'onShutdown', 'exitHook', 'HeapSnapshot', 'heapdump',
  'removeOnComplete', 'defaultJobOptions',
].map((word) => Buffer.from(word));

/**
 * An unbounded collection needs all three: a collection declared, something that grows it, and
 * code that runs again and again (a listener, a timer, a handler).
 */
const DECLARES = ['= [', '=[', 'new Map', 'new Set', 'new Array', '= {}', '={}', 'Object.create('].map((text) => Buffer.from(text));
const GROWS = ['push(', 'unshift(', '.set(', '.add(', 'concat(', '] ='].map((text) => Buffer.from(text));
const RECURS = [
  '.on(', '.once(', 'addListener', 'addEventListener', 'setInterval', 'setTimeout', 'schedule', '.get(', '.post(', '.put(',
  '.patch(', '.delete(', '.all(', '.use(', '.route(', 'process(', 'Worker(', '@Get', '@Post', '@Put', '@Patch', '@Delete',
  '@Cron', '@Interval', '@Process', '@OnEvent', '@EventPattern', '@MessagePattern', 'function GET', 'function POST',
  'function PUT', 'function PATCH', 'function DELETE', 'handler', 'consume(', 'subscribe(',
].map((text) => Buffer.from(text));

export function mayHoldRuleFinding(bytes: Buffer): boolean {
  if (DIRECT.some((pattern) => bytes.includes(pattern))) return true;
  return DECLARES.some((pattern) => bytes.includes(pattern)) && GROWS.some((pattern) => bytes.includes(pattern)) && RECURS.some((pattern) => bytes.includes(pattern));
}
