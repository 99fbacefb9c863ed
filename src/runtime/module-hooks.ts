import Module from 'node:module';
import { processState } from './process-state.js';

/**
 * The one place that touches Node's CommonJS loader internals: `Module.prototype._compile`
 * (wrapped to see a module's exports right after it ran) and `Module._cache` (to find what
 * was loaded before). Both have been stable since Node 0.x, are what require-in-the-middle,
 * pirates and ts-node build on, and exist in every Node version this library supports.
 *
 * Why `_compile` and not `Module._load` or `require`: when ESM code imports a CommonJS
 * module, Node snapshots `module.exports` at the end of `Module.prototype.load`, and the ESM
 * namespace is built from that snapshot. A hook that replaces the exports after `_load`
 * returns is invisible to `import`; a hook at the end of `_compile` runs before the snapshot,
 * so `require` and `import` both see what it did.
 */

/** The slice of a CommonJS module object we use. */
export interface LoadedModule {
  exports: unknown;
  filename?: string | null;
  id: string;
}

type CompileListener = (module: LoadedModule, filename: string) => void;

interface ModuleInternals {
  _cache: Record<string, LoadedModule | undefined>;
  prototype: { _compile: (this: LoadedModule, content: string, filename: string, ...rest: unknown[]) => unknown };
}

interface HookState {
  listeners: CompileListener[];
  original: ModuleInternals['prototype']['_compile'] | undefined;
  wrapper: ModuleInternals['prototype']['_compile'] | undefined;
}

function hookState(): HookState {
  return processState('module-hooks', () => ({ listeners: [], original: undefined, wrapper: undefined }));
}

function internals(): ModuleInternals | undefined {
  const candidate = Module as unknown as Partial<ModuleInternals>;
  return typeof candidate.prototype?._compile === 'function' && typeof candidate._cache === 'object' ? (candidate as ModuleInternals) : undefined;
}

/**
 * Calls `listener` with every CommonJS module compiled from now on, right after its code ran
 * (the listener may replace `module.exports`). Returns a function that removes the listener;
 * the wrapper itself is removed with the last listener when nothing wrapped `_compile` after
 * us (otherwise it stays, as a pass-through, so that we do not unwrap someone else's hook).
 */
export function onModuleCompiled(listener: CompileListener): () => void {
  const moduleInternals = internals();
  if (!moduleInternals) return () => undefined;
  const state = hookState();
  state.listeners.push(listener);
  if (!state.wrapper) {
    const original = moduleInternals.prototype._compile;
    const wrapper: ModuleInternals['prototype']['_compile'] = function (this: LoadedModule, content, filename, ...rest) {
      const result = original.call(this, content, filename, ...rest);
      for (const current of state.listeners) current(this, filename);
      return result;
    };
    state.original = original;
    state.wrapper = wrapper;
    moduleInternals.prototype._compile = wrapper;
  }
  return () => {
    const index = state.listeners.indexOf(listener);
    if (index !== -1) state.listeners.splice(index, 1);
    if (state.listeners.length === 0 && state.wrapper && moduleInternals.prototype._compile === state.wrapper) {
      moduleInternals.prototype._compile = state.original!;
      state.wrapper = undefined;
      state.original = undefined;
    }
  };
}

/** The CommonJS modules loaded so far (`require.cache`). */
export function loadedModules(): LoadedModule[] {
  const moduleInternals = internals();
  if (!moduleInternals) return [];
  return Object.values(moduleInternals._cache).filter((module): module is LoadedModule => module !== undefined);
}
