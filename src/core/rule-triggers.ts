/**
 * The byte-level pre-filter for the rules: a file that holds no client constructor may still
 * hold what a rule looks for (a SIGTERM handler, `$transaction` options, a collection that a
 * listener grows). Like the word pre-filter it may let a file through needlessly, and is built
 * so that it does not keep out a file that could hold a finding of the rules it serves.
 *
 * It runs on every file of the tree, so each test is a `Buffer.includes` (memchr-speed) and
 * the one that looks at text (is a collection long-lived?) looks only at the lines around a
 * few anchors.
 */

import { containsAnySpecifier } from './source-reader.js';

const bytes = (texts: string[]) => texts.map((text) => Buffer.from(text));

/** Any one of these makes a file worth parsing. */
const DIRECT = bytes([
  // Few patterns, each a full scan of the file when absent (`SIG` alone matched SIGNATURE
  // in a third of the files of real packages); `Shutdown` covers enableShutdownHooks, on/beforeApplicationShutdown, onShutdown, gracefulShutdown.
  // Queue options need no pattern of their own: a file building a queue names bull/bullmq,
  // a word of the main pre-filter; a NestJS onModuleDestroy sits in a class that extends the
  // client, which names it.
  '$on(', '$disconnect', 'SIGTERM', 'SIGINT', 'beforeExit', 'Shutdown', 'Terminus', 'closeWithGrace', 'HeapSnapshot', 'heapdump',
]);

/** `$transaction` matters only with options that set its limits. */
const TRANSACTION = Buffer.from('$transaction');
const TRANSACTION_LIMITS = bytes(['maxWait', 'timeout']);

/**
 * An unbounded collection needs all of: something that grows a collection, code that runs
 * again and again (a listener, a timer, a handler, a job), and a long-lived collection (a
 * module-level, static or instance one).
 */
const GROWS = bytes(['push(', 'unshift(', '.set(', '.add(', 'concat(', '] =', '...']);
const RECURS = bytes([
  '.on(', '.once(', 'addListener', 'addEventListener', 'setInterval', 'setTimeout', 'schedule', 'cron',
  ".get('/", '.get("/', '.get(`/', ".post('/", '.post("/', ".put('/", '.put("/', ".patch('/", '.patch("/',
  ".delete('/", '.delete("/', ".all('", ".use('", '.use(', ".route('", '.route("', '.handle(', 'process(',
  'Worker(', '@Get', '@Post', '@Put', '@Patch', '@Delete', '@All', '@Cron', '@Interval', '@Timeout',
  '@Process', '@OnEvent', '@EventPattern', '@MessagePattern', '@SubscribeMessage', 'function GET',
  'function POST', 'function PUT', 'function PATCH', 'function DELETE', 'handler', 'consume(', 'subscribe(',
  'const GET', 'const POST', 'middleware',
]);
/** Formatted code spells a new collection these ways (unformatted `=[` and `={}` are not looked for). */
const COLLECTION_ANCHORS = bytes(['= [', '= new Map', '= new Set', '= {}', '= new Array', '= Object.create(']);

const NEWLINE = 0x0a;
/** The start of a line that declares a long-lived collection before the `=` anchor. */
const MODULE_LEVEL = /^(?:export\s+)?(?:const|let|var)\s+[\w$]+\s*(?::.*)?$/;
const CLASS_FIELD = /^[ \t]+(?:(?:private|public|protected|readonly|static|declare|override)\s+)*#?[\w$]+[?!]?\s*(?::.*)?$/;
const THIS_FIELD = /\bthis\.[\w$]+\s*$/;
const NOT_A_FIELD = /^\s*(?:const|let|var|return|if|for|while|else|case|await|yield|throw|export|import)\b/;

/** A queue is built where Bull or BullMQ is imported and `Queue` named; workers matter only when they bound jobs. */
const QUEUE_MODULES = ['bullmq', 'bull'];
const QUEUE_CONTEXT = bytes(['Queue', 'removeOn']);

export function mayHoldRuleFinding(source: Buffer): boolean {
  if (DIRECT.some((pattern) => source.includes(pattern))) return true;
  if (containsAnySpecifier(source, QUEUE_MODULES) && QUEUE_CONTEXT.some((pattern) => source.includes(pattern))) return true;
  if (source.includes(TRANSACTION) && TRANSACTION_LIMITS.some((pattern) => source.includes(pattern))) return true;
  // Cheapest and most selective first: most files declare no long-lived collection at all.
  return (
    declaresLongLivedCollection(source) &&
    GROWS.some((pattern) => source.includes(pattern)) &&
    RECURS.some((pattern) => source.includes(pattern))
  );
}

function declaresLongLivedCollection(source: Buffer): boolean {
  for (const anchor of COLLECTION_ANCHORS) {
    for (let at = source.indexOf(anchor); at !== -1; at = source.indexOf(anchor, at + anchor.length)) {
      const lineStart = source.lastIndexOf(NEWLINE, at - 1) + 1;
      // latin1 keeps byte offsets; only ASCII matters to the patterns.
      const before = source.toString('latin1', lineStart, at);
      if (MODULE_LEVEL.test(before) || THIS_FIELD.test(before) || (CLASS_FIELD.test(before) && !NOT_A_FIELD.test(before))) return true;
    }
  }
  return false;
}
