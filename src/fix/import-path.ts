/**
 * The specifier a file would write to import the shared module: its tsconfig `paths` alias
 * when the file already imports through it (`@/lib/prisma`), else a relative path spelled the
 * way the file spells its other relative imports (`.js` under NodeNext, `.ts`, or none).
 */
import { dirname, join, relative, sep } from 'node:path';
import { getTsconfig } from 'get-tsconfig';
import { relativeImportHabit, type ImportExtension } from './style.js';

export interface ImportPathContext {
  root: string;
  /** What most files with sites do, for a file with no relative import of its own. */
  projectHabit: ImportExtension | null;
  /** Is the package ESM (`"type": "module"`)? ESM JavaScript needs extensions. */
  packageIsModule: boolean;
}

/** `file` and `target` relative to the root; `text` is the importing file's source. */
export function importSpecifier(context: ImportPathContext, file: string, target: string, text: string): string {
  const absoluteFile = join(context.root, file);
  const absoluteTarget = join(context.root, target);
  const alias = aliasFor(absoluteFile, absoluteTarget, text);
  if (alias) return alias;
  const habit = relativeImportHabit(text) ?? context.projectHabit ?? defaultHabit(context, absoluteFile);
  let specifier = relative(dirname(absoluteFile), absoluteTarget).split(sep).join('/');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  return withExtension(specifier, habit);
}

function defaultHabit(context: ImportPathContext, absoluteFile: string): ImportExtension {
  if (/\.(?:mjs|mts)$/.test(absoluteFile)) return '.js';
  if (/\.[cm]?tsx?$/.test(absoluteFile)) {
    const resolution = String(getTsconfig(dirname(absoluteFile))?.config.compilerOptions?.moduleResolution ?? '').toLowerCase();
    return resolution === 'nodenext' || resolution === 'node16' ? '.js' : 'none';
  }
  return context.packageIsModule && /\.jsx?$/.test(absoluteFile) ? '.js' : 'none';
}

export function withExtension(specifier: string, habit: ImportExtension): string {
  const bare = specifier.replace(/\.(?:[cm]?[jt]sx?)$/, '');
  const extension = /\.([cm]?)[jt]sx?$/.exec(specifier);
  if (habit === 'none') return bare.replace(/\/index$/, '');
  if (habit === '.ts') return specifier;
  // `.js` for .ts/.js, `.mjs` for .mts/.mjs, `.cjs` for .cts/.cjs.
  return `${bare}.${extension?.[1] ?? ''}js`;
}

/** `@/lib/prisma` when the file imports through a `paths` alias whose target holds the module. */
function aliasFor(absoluteFile: string, absoluteTarget: string, text: string): string | null {
  const tsconfig = getTsconfig(dirname(absoluteFile));
  const paths = tsconfig?.config.compilerOptions?.paths;
  if (!tsconfig || !paths) return null;
  const base = join(dirname(tsconfig.path), tsconfig.config.compilerOptions?.baseUrl ?? '.');
  for (const [pattern, targets] of Object.entries(paths)) {
    if (!pattern.endsWith('/*')) continue;
    const prefix = pattern.slice(0, -1);
    const used = [...text.matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]!).filter((specifier) => specifier.startsWith(prefix));
    if (used.length === 0) continue;
    for (const targetPattern of targets) {
      if (!targetPattern.endsWith('/*')) continue;
      const targetDir = join(base, targetPattern.slice(0, -2));
      const inside = relative(targetDir, absoluteTarget);
      if (inside.startsWith('..') || inside === '' || inside.includes(':')) continue;
      const habit: ImportExtension = used.some((specifier) => /\.[cm]?js$/.test(specifier)) ? '.js' : 'none';
      return withExtension(`${prefix}${inside.split(sep).join('/')}`, habit);
    }
  }
  return null;
}
