/**
 * Cross-file binding: follows a symbolic reference through imports, barrel re-exports,
 * workspace packages, CommonJS exports and subclasses until it reaches a database library's
 * client constructor, or proves it does not.
 */
import { appendPath, type SymRef } from './references.js';
import type { FileFacts } from './facts.js';
import type { ModuleResolver } from './resolve.js';
import type { BindableSpec } from '../libraries/types.js';
import type { ScanWarning } from '../types.js';

/** `new X()` or `x()`: constructors and factories are matched separately. */
export type ConstructionKind = 'new' | 'call';

export interface BindingMatch {
  /** The spec's id: a database library (`prisma`, `pg`, …) or another tracked one (`bullmq`). */
  library: string;
  /** The library module or generated client file the constructor comes from. */
  module: string;
  /** The library export that builds it: `PrismaClient`, `Pool`, `createPool`. */
  exportName: string;
  /** Files passed through on the way (barrels, subclasses), nearest first. */
  via: string[];
  /** The module could not be found; the name alone said it was the client. */
  assumed: boolean;
}

export interface BinderInput {
  resolver: ModuleResolver;
  libraries: readonly BindableSpec[];
  /** The library whose clients generated-client folders hold (Prisma). */
  generatedClientLibrary: BindableSpec;
  /** Facts of a project file, parsing it on demand; null when it cannot be read or parsed. */
  factsOf(file: string): FileFacts | null;
}

const MAX_DEPTH = 40;

export class Binder {
  readonly warnings: ScanWarning[] = [];
  private readonly warnedAssumptions = new Set<string>();
  private readonly memo = new Map<string, BindingMatch | null>();

  constructor(private readonly input: BinderInput) {}

  /**
   * What `new <ref>()` (kind `new`) or `<ref>()` (kind `call`) in `file` constructs, if it is a
   * client of a known library.
   */
  resolveConstructor(ref: SymRef, file: string, kind: ConstructionKind = 'new'): BindingMatch | null {
    // Many sites and exports share a reference (every file importing `PrismaClient`).
    const key = `${kind}\0${file}\0${JSON.stringify(ref)}`;
    let match = this.memo.get(key);
    if (match === undefined) {
      match = this.follow(ref, file, kind, [], new Set(), 0);
      this.memo.set(key, match);
    }
    return match;
  }

  private follow(ref: SymRef | null, file: string, kind: ConstructionKind, via: string[], seen: Set<string>, depth: number): BindingMatch | null {
    if (!ref || depth > MAX_DEPTH) return null;
    if (ref.t === 'global') return null;
    // Calling a class without `new` throws; only `new Sub()` constructs what it extends.
    if (ref.t === 'class') return kind === 'new' ? this.follow(ref.superRef, file, kind, via, seen, depth + 1) : null;

    const key = `${file}\0${ref.source}\0${ref.path.join('.')}`;
    if (seen.has(key)) return null;
    seen.add(key);

    const library = this.input.libraries.find((lib) => lib.isClientModule(ref.source));
    if (library) return matchLibraryPath(library, ref.source, ref.path, kind, via, false);

    const namespace = ref.path[0] === '*';
    const name = namespace ? ref.path[1] : ref.path[0];
    const rest = ref.path.slice(namespace ? 2 : 1);
    const resolved = this.input.resolver.resolve(ref.source, file);
    switch (resolved.kind) {
      case 'generated-client':
        return matchLibraryPath(this.input.generatedClientLibrary, resolved.file, ref.path, kind, via, false);
      case 'package':
        return this.assumeByName(name, rest, kind, ref.source, file, via, `package '${resolved.name}' is not part of this repository`);
      case 'missing':
        return this.assumeByName(name, rest, kind, ref.source, file, via, `'${ref.source}' could not be resolved from ${file}`);
      case 'file':
        // `require('./db')` itself: what the file assigns to `module.exports`.
        if (name === undefined) return this.followWholeModule(resolved.file, kind, [...via, resolved.file], seen, depth);
        return this.followIntoFile(resolved.file, name, rest, kind, [...via, resolved.file], seen, depth);
    }
  }

  private followWholeModule(file: string, kind: ConstructionKind, via: string[], seen: Set<string>, depth: number): BindingMatch | null {
    const facts = this.input.factsOf(file);
    if (!facts?.wholeExport) return null;
    return this.follow(facts.wholeExport, file, kind, via, seen, depth + 1);
  }

  private followIntoFile(
    file: string,
    name: string,
    rest: string[],
    kind: ConstructionKind,
    via: string[],
    seen: Set<string>,
    depth: number,
  ): BindingMatch | null {
    const facts = this.input.factsOf(file);
    if (!facts) return null;
    if (facts.generatedBy === 'prisma') {
      return matchLibraryPath(this.input.generatedClientLibrary, file, [name, ...rest], kind, via, false);
    }
    const exported = facts.exports.get(name);
    if (exported) return this.follow(appendPath(exported, rest), file, kind, via, seen, depth + 1);
    if (name === 'default' && facts.wholeExport) {
      return this.follow(appendPath(facts.wholeExport, rest), file, kind, via, seen, depth + 1);
    }
    if (name !== 'default') {
      for (const source of facts.starExports) {
        const match = this.follow({ t: 'module', source, path: [name, ...rest] }, file, kind, via, seen, depth + 1);
        if (match) return match;
      }
      if (facts.wholeExport) {
        return this.follow(appendPath(facts.wholeExport, [name, ...rest]), file, kind, via, seen, depth + 1);
      }
    }
    return null;
  }

  /**
   * An unresolvable module that exports a name a library uses for its client (`PrismaClient`)
   * is almost always that client: an output folder not generated yet, or an internal package
   * that re-exports it. Counted, and said so once per module.
   */
  private assumeByName(
    name: string | undefined,
    rest: string[],
    kind: ConstructionKind,
    source: string,
    file: string,
    via: string[],
    reason: string,
  ): BindingMatch | null {
    if (name === undefined || rest.length > 0 || kind !== 'new') return null;
    const library = this.input.libraries.find((lib) => lib.distinctiveNames.has(name));
    if (!library) return null;
    if (!this.warnedAssumptions.has(source)) {
      this.warnedAssumptions.add(source);
      this.warnings.push({
        kind: 'resolve',
        file,
        message: `${reason}; its '${name}' is taken to be ${library.id}'s client`,
      });
    }
    return { library: library.id, module: source, exportName: name, via, assumed: true };
  }
}

/**
 * Which export of a library module a member path names, and whether it builds a client the way
 * it is used: `['Pool']`, `['default', 'Pool']` (`import pg from 'pg'; new pg.Pool()`),
 * `['default']` (`import Redis from 'ioredis'`), `['*']` (`require('knex')(…)`).
 */
function matchLibraryPath(
  library: BindableSpec,
  module: string,
  path: readonly string[],
  kind: ConstructionKind,
  via: string[],
  assumed: boolean,
): BindingMatch | null {
  const [head, ...rest] = path;
  let exportName: string | undefined = head;
  let remaining = rest;
  if (head === 'default' || head === '*') {
    const itself = head === 'default' ? (library.defaultExport ?? library.callableModule) : library.callableModule;
    if (remaining.length === 0) exportName = itself ?? undefined;
    else [exportName, ...remaining] = remaining;
  }
  if (exportName === undefined || remaining.length > 0) return null;
  const builds = kind === 'new' ? library.constructors : library.factories;
  if (!builds.has(exportName)) return null;
  return { library: library.id, module, exportName, via, assumed };
}
