/**
 * How a codebase writes its code, read from its own files, so that what the fixer adds looks
 * like the rest: quotes, semicolons, indentation, module system and how relative imports are
 * spelled (with `.js`, with `.ts`, or without an extension).
 */

export interface CodeStyle {
  quote: "'" | '"';
  semicolons: boolean;
  indent: string;
}

export type ImportExtension = '.js' | '.ts' | 'none';

/** The style most of `texts` use; single quotes, semicolons and two spaces when they do not say. */
export function detectStyle(texts: readonly string[]): CodeStyle {
  let single = 0;
  let double = 0;
  let withSemicolon = 0;
  let without = 0;
  const indents = new Map<string, number>();
  for (const text of texts) {
    for (const match of text.matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)(['"])/g)) {
      if (match[1] === "'") single++;
      else double++;
    }
    for (const match of text.matchAll(/^(?:import\b.*\bfrom\s*['"][^'"]+['"]|(?:const|let|var)\b.*=\s*require\(['"][^'"]+['"]\))(;?)[ \t]*\r?$/gm)) {
      if (match[1]) withSemicolon++;
      else without++;
    }
    const indent = /\{[ \t]*\r?\n([ \t]+)\S/.exec(text)?.[1];
    if (indent) indents.set(indent, (indents.get(indent) ?? 0) + 1);
  }
  const indent = [...indents].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '  ';
  return { quote: double > single ? '"' : "'", semicolons: without <= withSemicolon, indent };
}

/**
 * How a file spells relative imports: `.js` (NodeNext, ESM JavaScript), `.ts`
 * (allowImportingTsExtensions), or no extension; null when it has none to go by.
 */
export function relativeImportHabit(text: string): ImportExtension | null {
  let js = 0;
  let ts = 0;
  let none = 0;
  for (const match of text.matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g)) {
    const specifier = match[1]!;
    if (/\.(?:m|c)?js$/.test(specifier)) js++;
    else if (/\.(?:m|c)?tsx?$/.test(specifier)) ts++;
    else if (!/\.\w+$/.test(specifier)) none++;
  }
  if (js + ts + none === 0) return null;
  if (js >= ts && js >= none) return '.js';
  return ts >= none ? '.ts' : 'none';
}

export function quoted(value: string, style: CodeStyle): string {
  return `${style.quote}${value.replaceAll('\\', '\\\\').replaceAll(style.quote, `\\${style.quote}`)}${style.quote}`;
}

export function semicolon(style: CodeStyle): string {
  return style.semicolons ? ';' : '';
}
