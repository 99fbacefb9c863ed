import type { Library } from '../types.js';

/** What a client of one database library looks like in code. */
export interface LibrarySpec {
  id: Library;
  /** Does an import of this specifier give the library's client constructors? */
  isClientModule(specifier: string): boolean;
  /** Exported names that construct a client when called with `new`. */
  constructors: ReadonlySet<string>;
  /** CommonJS packages: `import pkg from 'x'` is the module object (`new pkg.Client()`). */
  defaultIsNamespace: boolean;
  /**
   * Words at least one of which a file must contain to hold a site (the pre-filter). They must
   * never cost a true site: every way to reach a constructor spells one of them somewhere in
   * the file, or else goes through a name the binder adds in a later round.
   */
  prefilterWords: readonly string[];
}
