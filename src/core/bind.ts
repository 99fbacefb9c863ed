/**
 * Cross-file binding: follows a symbolic reference through imports, barrel re-exports,
 * workspace packages, CommonJS exports and subclasses until it reaches a database library's
 * client constructor, or proves it does not.
 */
import { appendPath, type SymRef } from './references.js';
import type { FileFacts } from './facts.js';
import type { ModuleResolver } from './resolve.js';
import type { LibrarySpec } from '../libraries/index.js';
import type { Library, ScanWarning } from '../types.js';

export interface BindingMatch {
  library: Library;
  /** The library module or generated client file the constructor comes from. */
  module: string;
  /** Files passed through on the way (barrels, subclasses), nearest first. */
  via: string[];
  /** The module could not be found; the name alone said it was the client. */
  assumed: boolean;
}

export interface BinderInput {
  resolver: ModuleResolver;
  libraries: readonly LibrarySpec[];
  /** The library whose clients generated-client folders hold (Prisma). */
  generatedClientLibrary: LibrarySpec;
  /** Facts of a project file, parsing it on demand; null when it cannot be read or parsed. */
  factsOf(file: string): FileFacts | null;
}

const MAX_DEPTH = 40;

export class Binder {
  readonly warnings: ScanWarning[] = [];
  private readonly warnedAssumptions = new Set<string>();
  private readonly memo = new Map<string, BindingMatch | null>();

  constructor(private readonly input: BinderInput) {}

  /** What `new <ref>()` in `file` constructs, if it is a known database client. */
  resolveConstructor(ref: SymRef, file: string): BindingMatch | null {
    // Many sites and exports share a reference (every file importing `PrismaClient`).
    const key = `${file}\0${JSON.stringify(ref)}`;
    let match = this.memo.get(key);
    if (match === undefined) {
      match = this.follow(ref, file, [], new Set(), 0);
      this.memo.set(key, match);
    }
    return match;
  }

  private follow(ref: SymRef | null, file: string, via: string[], seen: Set<string>, depth: number): BindingMatch | null {
    if (!ref || depth > MAX_DEPTH) return null;
    if (ref.t === 'global') return null;
    if (ref.t === 'class') return this.follow(ref.superRef, file, via, seen, depth + 1);

    const namespace = ref.path[0] === '*';
    const name = namespace ? ref.path[1] : ref.path[0];
    const rest = ref.path.slice(namespace ? 2 : 1);
    if (name === undefined) return null; // a module namespace object itself is not a constructor

    const key = `${file}\0${ref.source}\0${ref.path.join('.')}`;
    if (seen.has(key)) return null;
    seen.add(key);

    const library = this.input.libraries.find((lib) => lib.isClientModule(ref.source));
    if (library) return matchLibraryExport(library, ref.source, name, rest, via, false);

    const resolved = this.input.resolver.resolve(ref.source, file);
    switch (resolved.kind) {
      case 'generated-client':
        return matchLibraryExport(this.input.generatedClientLibrary, resolved.file, name, rest, via, false);
      case 'package':
        return this.assumeByName(name, rest, ref.source, file, via, `package '${resolved.name}' is not part of this repository`);
      case 'missing':
        return this.assumeByName(name, rest, ref.source, file, via, `'${ref.source}' could not be resolved from ${file}`);
      case 'file':
        return this.followIntoFile(resolved.file, name, rest, [...via, resolved.file], seen, depth);
    }
  }

  private followIntoFile(file: string, name: string, rest: string[], via: string[], seen: Set<string>, depth: number): BindingMatch | null {
    const facts = this.input.factsOf(file);
    if (!facts) return null;
    if (facts.generatedBy === 'prisma') {
      return matchLibraryExport(this.input.generatedClientLibrary, file, name, rest, via, false);
    }
    const exported = facts.exports.get(name);
    if (exported) return this.follow(appendPath(exported, rest), file, via, seen, depth + 1);
    if (name === 'default' && facts.wholeExport) {
      return this.follow(appendPath(facts.wholeExport, rest), file, via, seen, depth + 1);
    }
    if (name !== 'default') {
      for (const source of facts.starExports) {
        const match = this.follow({ t: 'module', source, path: [name, ...rest] }, file, via, seen, depth + 1);
        if (match) return match;
      }
      if (facts.wholeExport) {
        return this.follow(appendPath(facts.wholeExport, [name, ...rest]), file, via, seen, depth + 1);
      }
    }
    return null;
  }

  /**
   * An unresolvable module that exports a name a library uses for its client (`PrismaClient`)
   * is almost always that client: an output folder not generated yet, or an internal package
   * that re-exports it. Counted, and said so once per module.
   */
  private assumeByName(name: string, rest: string[], source: string, file: string, via: string[], reason: string): BindingMatch | null {
    if (rest.length > 0) return null;
    const library = this.input.libraries.find((lib) => lib.constructors.has(name));
    if (!library) return null;
    if (!this.warnedAssumptions.has(source)) {
      this.warnedAssumptions.add(source);
      this.warnings.push({
        kind: 'resolve',
        file,
        message: `${reason}; its '${name}' is taken to be ${library.id}'s client`,
      });
    }
    return { library: library.id, module: source, via, assumed: true };
  }
}

function matchLibraryExport(
  library: LibrarySpec,
  module: string,
  name: string,
  rest: string[],
  via: string[],
  assumed: boolean,
): BindingMatch | null {
  let exportName = name;
  let remaining = rest;
  if (exportName === 'default' && library.defaultIsNamespace) {
    if (remaining.length === 0) return null;
    exportName = remaining[0]!;
    remaining = remaining.slice(1);
  }
  if (remaining.length > 0 || !library.constructors.has(exportName)) return null;
  return { library: library.id, module, via, assumed };
}
