/**
 * Process-wide state shared by every copy of this module.
 *
 * Development servers (Next.js, Vite, nodemon-less `tsx watch`, Jest's module registry) load
 * a module again on each reload. State kept in module variables would then be duplicated —
 * the very bug `shared()` exists to prevent. So every piece of state that must be one per
 * process lives on `globalThis` under a `Symbol.for` key, which all module copies resolve to
 * the same symbol. The key carries a layout version: two different leakhound versions in one
 * process keep separate state instead of misreading each other's.
 */

const LAYOUT_VERSION = 1;

/**
 * Returns the process-wide value stored under `name`, creating it with `create` the first time.
 * The property is non-enumerable so it does not show up when someone inspects `globalThis`.
 */
export function processState<T extends object>(name: string, create: () => T): T {
  const key = Symbol.for(`leakhound.runtime.${name}.v${LAYOUT_VERSION}`);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  const existing = holder[key];
  if (existing !== undefined) return existing;
  const value = create();
  Object.defineProperty(globalThis, key, { value, configurable: true, writable: false, enumerable: false });
  return value;
}
