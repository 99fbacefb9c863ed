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

import { IDENTIFIER_BYTE, importsAnyModule, skipSpaces } from './source-reader.js';

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
 * An unbounded collection needs all of: a long-lived collection (a module-level, static or
 * instance one), code that grows that very collection, and code that runs again and again (a
 * listener, a timer, a handler, a job).
 */
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
/** The start of a line that declares a long-lived collection before the `=` anchor; group 1 is its name. */
const MODULE_LEVEL = /^(?:export\s+)?(?:const|let|var)\s+([\w$]+)\s*(?::.*)?$/;
const CLASS_FIELD = /^[ \t]+(?:(?:private|public|protected|readonly|static|declare|override)\s+)*#?([\w$]+)[?!]?\s*(?::.*)?$/;
const THIS_FIELD = /\bthis\.#?([\w$]+)\s*$/;
const NOT_A_FIELD = /^\s*(?:const|let|var|return|if|for|while|else|case|await|yield|throw|export|import)\b/;

/** What the rule counts as growing a collection when it follows its name (`.push(`, `.set(`…). */
const GROWTH_METHODS = new Set(['push', 'unshift', 'set', 'add', 'concat']);
/** What the rule counts as a bound (observations.ts `REMOVAL_METHODS`). */
const REMOVAL_METHODS = new Set(['shift', 'pop', 'splice', 'delete', 'clear']);

interface Declaration {
  name: Buffer;
  /** Offset of the declaration's `=`, so that the declaration itself is not taken for a reassignment. */
  at: number;
}
/** A queue is built where Bull or BullMQ is imported and `Queue` named; workers matter only when they bound jobs. */
const QUEUE_MODULES = ['bullmq', 'bull'];
const QUEUE_CONTEXT = bytes(['Queue', 'removeOn']);

export function mayHoldRuleFinding(source: Buffer): boolean {
  if (DIRECT.some((pattern) => source.includes(pattern))) return true;
  if (importsAnyModule(source, QUEUE_MODULES) && QUEUE_CONTEXT.some((pattern) => source.includes(pattern))) return true;
  if (source.includes(TRANSACTION) && TRANSACTION_LIMITS.some((pattern) => source.includes(pattern))) return true;
  // Cheapest and most selective first: most files declare no long-lived collection at all.
  const declarations = longLivedCollections(source);
  return declarations.length > 0 && declarations.some((declaration) => mayBeUnbounded(source, declaration, declarations)) && RECURS.some((pattern) => source.includes(pattern));
}

/** The long-lived collections a file seems to declare, by the text of the lines they start on. */
function longLivedCollections(source: Buffer): Declaration[] {
  const found: Declaration[] = [];
  for (const anchor of COLLECTION_ANCHORS) {
    for (let at = source.indexOf(anchor); at !== -1; at = source.indexOf(anchor, at + anchor.length)) {
      const lineStart = source.lastIndexOf(NEWLINE, at - 1) + 1;
      // latin1 keeps byte offsets; only ASCII matters to the patterns.
      const before = source.toString('latin1', lineStart, at);
      const name = MODULE_LEVEL.exec(before)?.[1] ?? THIS_FIELD.exec(before)?.[1] ?? (NOT_A_FIELD.test(before) ? undefined : CLASS_FIELD.exec(before)?.[1]);
      if (name !== undefined) found.push({ name: Buffer.from(name, 'latin1'), at });
    }
  }
  return found;
}

/**
 * Could the rule find this collection unbounded? Its name must appear somewhere followed by what
 * could grow it: a growth method (`cache.set(`, `this.queue?.push(`), an index (`cache[key] =`,
 * also reads: cheap to let through), a reassignment (`history = history.concat(e)`,
 * `[...history, e]`), or a cast or parentheses the
 * rule sees through (`(cache as Map<K, V>).set(`, `(cache).set(`).
 * And nothing may remove from it (`.delete(`, `.shift(`, `.length = 0`…): the rule counts any
 * removal in the file as a bound. Removals count here only for a name the file declares once,
 * so that one collection's `delete` does not hide another's growth.
 */
function mayBeUnbounded(source: Buffer, declaration: Declaration, declarations: readonly Declaration[]): boolean {
  const { name } = declaration;
  const unique = declarations.filter((other) => other.name.equals(name)).length === 1;
  let grown = false;
  for (let at = source.indexOf(name); at !== -1; at = source.indexOf(name, at + 1)) {
    if (at > 0 && IDENTIFIER_BYTE[source[at - 1]!]) continue;
    let next = at + name.length;
    if (next < source.length && IDENTIFIER_BYTE[source[next]!]) continue;
    if (unique && isDeleteOperand(source, at)) return false;
    next = skipSpaces(source, next);
    while (source[next] === 0x21 /* ! */) next = skipSpaces(source, next + 1);
    const byte = source[next];
    if (byte === 0x3f /* ? */ && source[next + 1] === 0x2e) next++;
    else if (byte === 0x29 /* ) */) next = skipSpaces(source, next + 1);
    else if (byte === 0x5b /* [ */) grown = true;
    else if (byte === 0x3d /* = */) {
      const after = source[next + 1];
      if (next !== declaration.at && after !== 0x3d && after !== 0x3e) grown = true;
    } else if (byte === 0x61 /* a */ || byte === 0x73 /* s */) {
      if (/^(?:as|satisfies)\b/.test(source.toString('latin1', next, next + 10))) grown = true;
    }
    if (source[next] === 0x3f /* ? */ && source[next + 1] === 0x2e) next++;
    if (source[next] !== 0x2e /* . */) continue;
    const methodStart = skipSpaces(source, next + 1);
    let methodEnd = methodStart;
    while (methodEnd < source.length && IDENTIFIER_BYTE[source[methodEnd]!]) methodEnd++;
    const method = source.toString('latin1', methodStart, methodEnd);
    if (GROWTH_METHODS.has(method)) grown = true;
    else if (unique && (REMOVAL_METHODS.has(method) || (method === 'length' && isPlainAssignment(source, skipSpaces(source, methodEnd))))) return false;
  }
  return grown;
}

/** `delete cache[key]` / `delete this.cache[key]`: the `delete` keyword before the name (and its `this.`). */
function isDeleteOperand(source: Buffer, at: number): boolean {
  const before = source.toString('latin1', Math.max(0, at - 16), at);
  return /\bdelete\s+(?:this\s*\.\s*)?$/.test(before);
}

function isPlainAssignment(source: Buffer, at: number): boolean {
  return source[at] === 0x3d && source[at + 1] !== 0x3d && source[at + 1] !== 0x3e;
}
