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
import { QUEUE_MODULES } from '../libraries/queues.js';

const bytes = (texts: string[]) => texts.map((text) => Buffer.from(text));

/**
 * Any one of these makes a file worth parsing. Each is `[probe, pattern]`: a short probe that
 * starts with a rare byte is searched first, the whole pattern only where the probe is found.
 * Measured on 47 MB of real code, `Buffer.includes` takes 5 ms for `Exit` and 28 ms for
 * `beforeExit` (short needles go through memchr on their first byte; longer ones do not).
 */
const DIRECT: [Buffer, Buffer][] = (
  [
    // Few patterns, each a full scan of the file when absent (`SIG` alone matched SIGNATURE
    // in a third of the files of real packages); `Shutdown` covers enableShutdownHooks, on/beforeApplicationShutdown, onShutdown, gracefulShutdown.
    // Queues have their own test (`buildsQueue`); a NestJS onModuleDestroy sits in a class
    // that extends the client, which names it.
    ['$on(', '$on('],
    ['$disc', '$disconnect'],
    ['SIGT', 'SIGTERM'],
    ['SIGI', 'SIGINT'],
    ['Exit', 'beforeExit'],
    ['Shutd', 'Shutdown'],
    ['Termin', 'Terminus'],
    ['Grace', 'closeWithGrace'],
    ['Heap', 'HeapSnapshot'],
    ['heapdu', 'heapdump'],
  ] as const
).map(([probe, pattern]) => [Buffer.from(probe), Buffer.from(pattern)]);

/** `$transaction` matters only with options that set its limits. */
const TRANSACTION_PROBE = Buffer.from('$trans');
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
/** Shorter needles for the same anchors, searched first (see `DIRECT`). */
const COLLECTION_PROBES = bytes(['= [', '= new M', '= new S', '= {}', '= new A', '= Object.cr']);

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
  /**
   * Where a removal counts as this collection's bound: the body of the class that declares a
   * field (found by indentation, see `classBody`), else the whole file.
   */
  region: { start: number; end: number; member: boolean; isStatic: boolean };
}
/** A queue is built where Bull or BullMQ is imported and `Queue` named; workers matter only when they bound jobs. */
const QUEUE_CONTEXT = bytes(['Queue', 'removeOn']);

/**
 * @param queues also let through a file that builds a queue; a caller that asked `buildsQueue`
 *   first passes false.
 */
export function mayHoldRuleFinding(source: Buffer, queues = true): boolean {
  if (DIRECT.some(([probe, pattern]) => source.includes(probe) && source.includes(pattern))) return true;
  if (queues && buildsQueue(source)) return true;
  if (source.includes(TRANSACTION_PROBE) && source.includes(TRANSACTION) && TRANSACTION_LIMITS.some((pattern) => source.includes(pattern))) return true;
  // Cheapest and most selective first: most files declare no long-lived collection at all.
  const declarations = longLivedCollections(source);
  return declarations.some((declaration) => mayBeUnbounded(source, declaration, declarations) && mayRecur(source, declaration));
}

/**
 * Could code that grows the collection run again and again? Something must register a listener,
 * a timer or a handler: anywhere in the file for a module-level collection or a static field
 * (`Recorder.all` can be grown from anywhere); for an instance field of a top-level class,
 * inside that class or its decorators (the rule names the context that lexically encloses the
 * growth, `this.x` grows it only inside the class, and a top-level class is enclosed by nothing).
 */
function mayRecur(source: Buffer, declaration: Declaration): boolean {
  const { region } = declaration;
  if (!region.member || region.isStatic || indentationAt(source, region.start) > 0) return RECURS.some((pattern) => source.includes(pattern));
  const text = source.subarray(decoratorsStart(source, region.start), region.end);
  return RECURS.some((pattern) => text.includes(pattern));
}

/**
 * Where the lines above a class header that may hold its decorators begin: back over blank
 * lines, comments, decorators, indented lines and closing brackets, to the first other line at
 * the left margin. Taking in too much (the class above) only lets more files through.
 */
function decoratorsStart(source: Buffer, header: number): number {
  let start = header;
  while (start > 0) {
    const previous = source.lastIndexOf(NEWLINE, start - 2) + 1;
    const first = source[previous];
    const keeps = previous === start - 1 || first === 0x40 /* @ */ || first === 0x20 || first === 0x09 || first === 0x7d /* } */ || first === 0x29 /* ) */ || first === 0x2f /* / */ || first === 0x2a /* * */ || first === 0x0d;
    if (!keeps) return start;
    start = previous;
  }
  return 0;
}

/**
 * Does the file build a Bull or BullMQ queue? Its constructions must then be bound like a
 * client's (the queue-retention rule reads them). The words first: reading every import is the
 * dearer test.
 */
export function buildsQueue(source: Buffer): boolean {
  return QUEUE_CONTEXT.some((pattern) => source.includes(pattern)) && importsAnyModule(source, QUEUE_MODULES);
}

/** The long-lived collections a file seems to declare, by the text of the lines they start on. */
function longLivedCollections(source: Buffer): Declaration[] {
  const found: Declaration[] = [];
  for (const [index, anchor] of COLLECTION_ANCHORS.entries()) {
    if (!source.includes(COLLECTION_PROBES[index]!)) continue;
    for (let at = source.indexOf(anchor); at !== -1; at = source.indexOf(anchor, at + anchor.length)) {
      const lineStart = source.lastIndexOf(NEWLINE, at - 1) + 1;
      // latin1 keeps byte offsets; only ASCII matters to the patterns.
      const before = source.toString('latin1', lineStart, at);
      const moduleLevel = MODULE_LEVEL.exec(before)?.[1];
      const name = moduleLevel ?? THIS_FIELD.exec(before)?.[1] ?? (NOT_A_FIELD.test(before) ? undefined : CLASS_FIELD.exec(before)?.[1]);
      if (name === undefined) continue;
      const body = moduleLevel === undefined ? classBody(source, lineStart) : null;
      // `Recorder.all.add(e)` may grow a static field from anywhere in the file.
      const isStatic = /\bstatic\b/.test(before);
      found.push({ name: Buffer.from(name, 'latin1'), at, region: body ? { ...body, member: true, isStatic } : { start: 0, end: source.length, member: false, isStatic } });
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
  const { name, region } = declaration;
  const unique = declarations.filter((other) => other.name.equals(name) && other.at >= region.start && other.at < region.end).length === 1;
  let grown = false;
  for (let at = source.indexOf(name); at !== -1; at = source.indexOf(name, at + 1)) {
    if (at > 0 && IDENTIFIER_BYTE[source[at - 1]!]) continue;
    let next = at + name.length;
    if (next < source.length && IDENTIFIER_BYTE[source[next]!]) continue;
    // A removal bounds a field only inside its own class, and only through `this`: another
    // class's field or a module variable of the same name is another collection.
    const removes = unique && at >= region.start && at < region.end && (!region.member || followsThis(source, at));
    if (removes && isDeleteOperand(source, at)) return false;
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
    else if (removes && (REMOVAL_METHODS.has(method) || (method === 'length' && isPlainAssignment(source, skipSpaces(source, methodEnd))))) return false;
  }
  return grown;
}

/** `delete cache[key]` / `delete this.cache[key]`: the `delete` keyword before the name (and its `this.`). */
function isDeleteOperand(source: Buffer, at: number): boolean {
  const before = source.toString('latin1', Math.max(0, at - 16), at);
  return /\bdelete\s+(?:this\s*\.\s*)?$/.test(before);
}

/** `this.name`, `this?.name`, `this.#name` (spaces around the dot allowed). */
function followsThis(source: Buffer, at: number): boolean {
  let p = at;
  if (source[p - 1] === 0x23 /* # */) p--;
  p = skipSpacesBack(source, p);
  if (source[p - 1] !== 0x2e /* . */) return false;
  p--;
  if (source[p - 1] === 0x3f /* ? */) p--;
  p = skipSpacesBack(source, p);
  return p >= 4 && source.toString('latin1', p - 4, p) === 'this' && !(p > 4 && IDENTIFIER_BYTE[source[p - 5]!]);
}

function skipSpacesBack(source: Buffer, at: number): number {
  while (at > 0 && (source[at - 1] === 0x20 || source[at - 1] === 0x09 || source[at - 1] === 0x0a || source[at - 1] === 0x0d)) at--;
  return at;
}

/** A line that opens a class: `export default abstract class X extends Y {`, `const X = class {`. */
const CLASS_HEADER = /^[ \t]*(?:(?:export|default|declare|abstract)\s+)*class\b|=\s*class\b/;
const CLASS_WORD = Buffer.from('class');

/**
 * The byte range of the class whose body holds the line at `lineStart` (a field, or
 * `this.x = []` in the constructor), found by indentation: the nearest shallower line that opens
 * a class, and the first line after it that closes a brace at the class line's own indentation.
 * Formatted code is laid out this way; anything else (a header the pattern does not know, a
 * nested class, text at the class's indentation inside its body, as a template literal may have)
 * gives null, and the caller falls back to the whole file, which can only let more through.
 */
function classBody(source: Buffer, lineStart: number): { start: number; end: number } | null {
  let depth = indentationAt(source, lineStart);
  let header = -1;
  for (let end = lineStart - 1; end > 0; ) {
    const start = source.lastIndexOf(NEWLINE, end - 1) + 1;
    const indent = indentationAt(source, start);
    const blank = start + indent >= end;
    if (!blank && indent < depth) {
      if (CLASS_HEADER.test(source.toString('latin1', start, end))) {
        header = start;
        break;
      }
      if (indent === 0) return null;
      depth = indent;
    }
    end = start - 1;
  }
  if (header === -1) return null;
  const headerIndent = indentationAt(source, header);
  let closing = -1;
  let lineEnd = source.indexOf(NEWLINE, header);
  while (lineEnd !== -1 && lineEnd + 1 < source.length) {
    const start = lineEnd + 1;
    lineEnd = source.indexOf(NEWLINE, start);
    const end = lineEnd === -1 ? source.length : lineEnd;
    const indent = indentationAt(source, start);
    if (start + indent >= end) continue;
    if (closing !== -1) {
      // What follows the closing brace must be back at the class's level, or the brace was not it.
      if (indent > headerIndent) return null;
      break;
    }
    if (indent < headerIndent) return null;
    if (indent === headerIndent) {
      // A brace inside a template literal (an odd number of backticks since the header) is text.
      if (source[start + indent] !== 0x7d /* } */ || countByte(source, BACKTICK, header, start) % 2 === 1) return null;
      closing = end;
    }
  }
  if (closing === -1) return null;
  const bodyStart = source.indexOf(NEWLINE, header);
  for (let at = source.indexOf(CLASS_WORD, bodyStart); at !== -1 && at < closing; at = source.indexOf(CLASS_WORD, at + 1)) {
    if (!IDENTIFIER_BYTE[source[at - 1]!] && !IDENTIFIER_BYTE[source[at + CLASS_WORD.length]!]) return null;
  }
  return { start: header, end: closing };
}

const BACKTICK = 0x60;

function countByte(source: Buffer, byte: number, from: number, to: number): number {
  let count = 0;
  for (let at = source.indexOf(byte, from); at !== -1 && at < to; at = source.indexOf(byte, at + 1)) count++;
  return count;
}

function indentationAt(source: Buffer, lineStart: number): number {
  let at = lineStart;
  while (source[at] === 0x20 || source[at] === 0x09) at++;
  return at - lineStart;
}

function isPlainAssignment(source: Buffer, at: number): boolean {
  return source[at] === 0x3d && source[at + 1] !== 0x3d && source[at + 1] !== 0x3e;
}
