import { dirname, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where a client was constructed: the app's own frames (not Node's, not node_modules', not
 * leakhound's), and the package that called the constructor when that was not the app.
 */
export interface CreationSite {
  /** Up to `depth` frames of application code, innermost first: `src/db.ts:4:16 (getDb)`. */
  frames: string[];
  /**
   * The npm package whose code called the constructor (`@prisma/adapter-pg` creating its pg
   * pool, `knex` creating pg clients), or `undefined` when the app called it.
   */
  owner: string | undefined;
}

interface ParsedFrame {
  fn: string | undefined;
  location: string;
  file: string;
}

// V8 frames: "    at fn (location)", "    at location", "    at async fn (location)",
// "    at new Foo (location)". The location ends in :line:column.
const FRAME = /^\s*at (?:(.*?) \()?(.*?)\)?$/;
const NODE_MODULES_PACKAGE = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/g;

let ownDirectory: string | undefined;

/**
 * Captures where the current call comes from, skipping `skip` and everything above it (the
 * proxy trap that observed the construction).
 */
export function captureCreationSite(skip: Function, depth: number): CreationSite {
  const holder: { stack?: string } = {};
  const previousLimit = Error.stackTraceLimit;
  try {
    // Library frames (an ORM, a DI container) can bury the app's frames deep.
    Error.stackTraceLimit = 50;
    Error.captureStackTrace(holder, skip);
  } catch {
    // A frozen Error (some sandboxes) still gives a stack with the default depth.
  } finally {
    try {
      Error.stackTraceLimit = previousLimit;
    } catch {
      // ignore: see above
    }
  }
  return creationSiteFromStack(holder.stack ?? '', depth);
}

/** The same analysis on a stack string (exported for tests). */
export function creationSiteFromStack(stack: string, depth: number): CreationSite {
  const own = runtimeDirectory();
  const frames: ParsedFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line);
    if (!match || !line.trimStart().startsWith('at ')) continue;
    const location = match[2]!;
    // "at async Promise.all (index 0)" and the like name no source position.
    if (!/:\d+(?::\d+)?$/.test(location)) continue;
    const file = fileOf(location);
    // Node's internals and our own modules are never where the user created a client.
    if (file.startsWith('node:') || file.startsWith('internal/') || file === 'native' || file === '<anonymous>' || file === '') continue;
    if (own && file.startsWith(own)) continue;
    frames.push({ fn: cleanFunctionName(match[1]), location, file });
  }
  const first = frames[0];
  const owner = first ? packageOf(first.file) : undefined;
  const appFrames = frames.filter((frame) => packageOf(frame.file) === undefined);
  // A client built entirely from library code (a DI container's factory) still gets a site.
  const shown = appFrames.length > 0 ? appFrames : frames;
  return { frames: shown.slice(0, depth).map(formatFrame), owner };
}

/** The npm package a file belongs to, from its last node_modules segment. */
export function packageOf(file: string): string | undefined {
  let name: string | undefined;
  for (const match of file.matchAll(NODE_MODULES_PACKAGE)) name = match[1];
  return name?.replace(/\\/g, '/');
}

function runtimeDirectory(): string | undefined {
  if (ownDirectory === undefined) {
    try {
      ownDirectory = dirname(fileURLToPath(import.meta.url)) + sep;
    } catch {
      ownDirectory = '';
    }
  }
  return ownDirectory || undefined;
}

function fileOf(location: string): string {
  const withoutPosition = location.replace(/:\d+(?::\d+)?$/, '');
  if (withoutPosition.startsWith('file://')) {
    try {
      return fileURLToPath(withoutPosition);
    } catch {
      return withoutPosition;
    }
  }
  return withoutPosition;
}

function cleanFunctionName(fn: string | undefined): string | undefined {
  if (!fn) return undefined;
  const name = fn.replace(/^async /, '').replace(/^new /, 'new ');
  return name === 'Object.<anonymous>' || name === '<anonymous>' ? undefined : name;
}

function formatFrame(frame: ParsedFrame): string {
  const position = /:(\d+(?::\d+)?)$/.exec(frame.location)?.[1];
  let file = frame.file;
  if (isAbsolute(file)) {
    const fromCwd = relative(process.cwd(), file);
    if (!fromCwd.startsWith('..') && !isAbsolute(fromCwd)) file = fromCwd;
  }
  const where = position ? `${file.replace(/\\/g, '/')}:${position}` : file;
  return frame.fn ? `${where} (${frame.fn})` : where;
}
