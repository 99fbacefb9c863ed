/**
 * Loading a JavaScript or TypeScript config file: its default export (an object, or a function
 * returning one, possibly async). Node 20 cannot import TypeScript; newer Nodes can, either
 * directly (type stripping on by default from 22.18 / 23.6) or through
 * `module.stripTypeScriptTypes` (22.13+), whose output is imported from a temporary `.mjs`
 * file next to the config so that the config's relative imports still resolve.
 */
import nodeModule from 'node:module';
import { randomBytes } from 'node:crypto';
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';

/** What the running Node can do with TypeScript; injectable for tests. */
export interface TypeScriptSupport {
  /** `import()` of a `.ts` file works as is. */
  importsTypeScript: boolean;
  /** Turns TypeScript into JavaScript, when this Node has a way to. */
  stripTypes: ((code: string) => string) | null;
}

export function nodeTypeScriptSupport(): TypeScriptSupport {
  // Neither is in @types/node 20; both are feature-detected rather than version-checked.
  const features = process.features as { typescript?: string | false };
  const strip = (nodeModule as { stripTypeScriptTypes?: (code: string) => string }).stripTypeScriptTypes;
  return {
    importsTypeScript: typeof features.typescript === 'string',
    stripTypes: strip ? (code) => strip(code) : null,
  };
}

const TYPESCRIPT = /\.[cm]?ts$/;

/** The value a config module exports by default, with a function already called. */
export async function importConfigModule(file: string, name: string, support: TypeScriptSupport = nodeTypeScriptSupport()): Promise<unknown> {
  const namespace = TYPESCRIPT.test(file) && !support.importsTypeScript ? await importStripped(file, name, support) : await importFile(file, name);
  if (!('default' in namespace)) {
    throw new UsageError(`${name}: no default export`, 'write `export default { … }` (or `module.exports = { … }` in a .cjs file)');
  }
  const exported = namespace.default;
  if (typeof exported !== 'function') return exported;
  try {
    return await (exported as () => unknown)();
  } catch (error) {
    throw new UsageError(`${name}: the exported function threw: ${(error as Error)?.message ?? String(error)}`);
  }
}

async function importFile(file: string, name: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const hint =
      error instanceof SyntaxError && /\.js$/.test(file)
        ? 'a .js file is CommonJS unless the nearest package.json says "type": "module"; name it .mjs (ESM) or .cjs (CommonJS)'
        : undefined;
    throw new UsageError(`${name}: could not load it: ${(error as Error)?.message ?? String(error)}`, hint);
  }
}

async function importStripped(file: string, name: string, support: TypeScriptSupport): Promise<Record<string, unknown>> {
  if (!support.stripTypes) {
    throw new UsageError(
      `${name}: this Node (${process.version}) cannot load a TypeScript config`,
      'use leakhound.config.json or leakhound.config.js, or run leakhound on Node >= 22.13',
    );
  }
  let code: string;
  try {
    code = support.stripTypes(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `${name}: could not strip its TypeScript types: ${(error as Error)?.message ?? String(error)}`,
      'only erasable syntax is supported (no enum or namespace); or use leakhound.config.json or .js',
    );
  }
  // Next to the config, so `import './shared.js'` inside it resolves the same way; a unique
  // name, so a second load is not served from the module cache.
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.mjs`);
  try {
    writeFileSync(temporary, code);
  } catch (error) {
    throw new UsageError(`${name}: could not write the stripped config next to it: ${(error as Error).message}`, 'use leakhound.config.json or .js');
  }
  try {
    return await importFile(temporary, name);
  } finally {
    rmSync(temporary, { force: true });
  }
}
