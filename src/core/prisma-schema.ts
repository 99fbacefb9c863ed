/**
 * Where Prisma writes its generated clients. Those files construct nothing the user wrote (and
 * hold thousands of lines of runtime code), so the scan must skip them — and knowing that
 * `src/generated/prisma` is a Prisma client is what later lets `new PrismaClient()` imported
 * from it be recognised.
 *
 * Generators are declared in `.prisma` files; Prisma 7 may point at those files (or a folder of
 * them) from `prisma.config.ts`. Only the `generator` blocks are read, with a tokenizer that
 * knows strings and comments; models, enums and datasources are skipped by brace matching.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, posix, relative, resolve, sep } from 'node:path';
import type { ScanWarning } from '../types.js';
import { child, children, unwrapExpression, stringValue, staticMemberPath, type AnyNode } from './ast.js';
import { parseSource } from './parse.js';
import { LineIndex } from './source-text.js';
import { errorMessage, findFilesBySuffix } from './walk.js';
import { redactCredentials } from './redact.js';

export interface PrismaGenerator {
  /** Relative posix path (to the scan root) of the `.prisma` file that declares it. */
  schemaFile: string;
  /** The generator block's name, e.g. `client`. */
  name: string;
  /** `prisma-client-js`, `prisma-client`, or another generator's provider as written. */
  provider: string;
  /**
   * Relative posix path (to the scan root) of the output directory; null for the default
   * (`node_modules/.prisma/client`). May point outside the root (`../x`) or not exist yet.
   */
  output: string | null;
}

export interface ParsedGenerator {
  name: string;
  provider: string;
  /** As written in the schema, relative to the schema file's directory; null when absent. */
  output: string | null;
}

/** A schema that cannot be read as Prisma: the scan turns it into a 'config' warning. */
export class PrismaSchemaError extends Error {
  override readonly name = 'PrismaSchemaError';

  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'word' | 'string' | 'punct';
  value: string;
  line: number;
}

const PUNCTUATION = new Set(['{', '}', '[', ']', '(', ')', '=', ',', ':']);

/** Splits a schema into words, strings and punctuation; `//` and `///` comments vanish. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '\n') {
      line++;
      index++;
    } else if (/\s/.test(char)) {
      index++;
    } else if (char === '/' && text[index + 1] === '/') {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end;
    } else if (char === '"') {
      const end = endOfString(text, index);
      tokens.push({ kind: 'string', value: decodeString(text.slice(index, end)), line });
      index = end;
    } else if (PUNCTUATION.has(char)) {
      tokens.push({ kind: 'punct', value: char, line });
      index++;
    } else {
      const start = index;
      while (index < text.length && !/[\s"{}[\]()=,:]/.test(text[index]!) && !text.startsWith('//', index)) index++;
      tokens.push({ kind: 'word', value: text.slice(start, index), line });
    }
  }
  return tokens;
}

/** Index just past the closing quote; a string Prisma would reject ends at the line's end. */
function endOfString(text: string, openQuote: number): number {
  for (let index = openQuote + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') index++;
    else if (char === '"') return index + 1;
    else if (char === '\n') return index;
  }
  return text.length;
}

/** Prisma strings use JSON's escapes; an unterminated one is kept as written. */
function decodeString(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1).replace(/"$/, '');
  }
}

/** Index of the token closing the bracket at `open`, or -1 when the file ends first. */
function matchingClose(tokens: Token[], open: number): number {
  const opener = tokens[open]!.value;
  const closer = opener === '{' ? '}' : opener === '[' ? ']' : ')';
  let depth = 0;
  for (let index = open; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.kind !== 'punct') continue;
    if (token.value === opener) depth++;
    else if (token.value === closer && --depth === 0) return index;
  }
  return -1;
}

type SettingValue = { kind: 'string'; text: string } | { kind: 'env'; variable: string } | { kind: 'other' };

/** `key = value` pairs of a block body; arrays and calls other than `env()` are opaque. */
function readSettings(tokens: Token[], start: number, end: number): Map<string, SettingValue> {
  const settings = new Map<string, SettingValue>();
  let index = start;
  while (index < end) {
    const key = tokens[index]!;
    if (key.kind !== 'word' || tokens[index + 1]?.value !== '=' || index + 2 >= end) {
      index++;
      continue;
    }
    const value = tokens[index + 2]!;
    const next = tokens[index + 3];
    if (value.kind === 'string') {
      settings.set(key.value, { kind: 'string', text: value.value });
      index += 3;
    } else if (value.kind === 'word' && value.value === 'env' && next?.value === '(') {
      const close = matchingClose(tokens, index + 3);
      const variable = tokens[index + 4]?.kind === 'string' ? tokens[index + 4]!.value : '?';
      settings.set(key.value, { kind: 'env', variable });
      index = close === -1 ? end : close + 1;
    } else if (value.value === '[' || value.value === '(') {
      const close = matchingClose(tokens, index + 2);
      settings.set(key.value, { kind: 'other' });
      index = close === -1 ? end : close + 1;
    } else {
      settings.set(key.value, { kind: 'other' });
      index += 3;
    }
  }
  return settings;
}

/** A `datasource` block: which database, and the URL or the env variable holding it. */
export interface PrismaDatasource {
  provider: string;
  url: { value: string } | { env: string } | null;
}

export interface ParsedSchema {
  generators: ParsedGenerator[];
  datasources: PrismaDatasource[];
  /** Generators whose output comes from `env()`: where they write cannot be known statically. */
  unknownOutputs: string[];
}

/**
 * Reads the `generator` blocks of one `.prisma` file. Throws `PrismaSchemaError` when a block
 * is never closed: after that point no block boundary can be trusted.
 */
export function parsePrismaSchema(text: string): ParsedSchema {
  const tokens = tokenize(text);
  const parsed: ParsedSchema = { generators: [], datasources: [], unknownOutputs: [] };
  for (let index = 0; index < tokens.length; index++) {
    if (tokens[index]!.value !== '{' || tokens[index]!.kind !== 'punct') continue;
    const close = matchingClose(tokens, index);
    const keyword = tokens[index - 2];
    const name = tokens[index - 1];
    if (close === -1) {
      const { line } = tokens[index]!;
      const block = keyword && name ? `block \`${keyword.value} ${name.value}\`` : 'block';
      throw new PrismaSchemaError(`unterminated ${block} opened on line ${line}`, line);
    }
    if (keyword?.kind === 'word' && keyword.value === 'generator' && name?.kind === 'word') {
      addGenerator(parsed, name.value, readSettings(tokens, index + 1, close));
    }
    if (keyword?.kind === 'word' && keyword.value === 'datasource' && name?.kind === 'word') {
      const settings = readSettings(tokens, index + 1, close);
      const provider = settings.get('provider');
      const url = settings.get('url');
      parsed.datasources.push({
        provider: provider?.kind === 'string' ? provider.text : '',
        url: url?.kind === 'string' ? { value: redactCredentials(url.text) } : url?.kind === 'env' ? { env: url.variable } : null,
      });
    }
    index = close;
  }
  return parsed;
}

function addGenerator(parsed: ParsedSchema, name: string, settings: Map<string, SettingValue>): void {
  const provider = settings.get('provider');
  const output = settings.get('output');
  if (output && output.kind !== 'string') {
    parsed.unknownOutputs.push(name);
    return;
  }
  parsed.generators.push({
    name,
    provider: provider?.kind === 'string' ? provider.text : provider?.kind === 'env' ? `env("${provider.variable}")` : '',
    output: output ? output.text : null,
  });
}

/** The generators of one schema file; `env()` outputs are left out (see `parsePrismaSchema`). */
export function parsePrismaGenerators(text: string): ParsedGenerator[] {
  return parsePrismaSchema(text).generators;
}

/** `prisma.config.{ts,js,…}` at any level, and `.config/prisma.{ts,js,…}` (Prisma's two locations). */
const PRISMA_CONFIG = /(?:^|\/)(?:prisma\.config|\.config\/prisma)\.(?:ts|mts|cts|js|mjs|cjs)$/;

export function isPrismaConfigFile(relPath: string): boolean {
  return PRISMA_CONFIG.test(relPath);
}

/**
 * The `schema` setting of a Prisma config file when it is statically known: a string literal,
 * or `path.join('prisma', 'schema.prisma')` of literals as Prisma's own docs write it. Returns
 * null when absent or computed; throws on a syntax error.
 */
export function readPrismaConfigSchema(fileName: string, text: string): string | null {
  const { program, errors } = parseSource(fileName, text);
  const firstError = errors[0];
  if (firstError) {
    const { line } = new LineIndex(text).position(firstError.offset);
    throw new PrismaSchemaError(`could not parse Prisma config: ${firstError.message}`, line);
  }
  const body = children(program as unknown as AnyNode, 'body');
  const config = exportedConfigObject(body);
  const schema = config ? propertyValue(config, 'schema') : null;
  return schema ? staticPath(schema) : null;
}

/** `export default {…}`, `export default defineConfig({…})`, `module.exports = …`, or a const holding one. */
function exportedConfigObject(body: AnyNode[]): AnyNode | null {
  for (const statement of body) {
    if (statement.type === 'ExportDefaultDeclaration') return configObjectOf(child(statement, 'declaration'), body);
    const expression = statement.type === 'ExpressionStatement' ? child(statement, 'expression') : null;
    if (expression?.type === 'AssignmentExpression' && isModuleExports(child(expression, 'left'))) {
      return configObjectOf(child(expression, 'right'), body);
    }
  }
  return null;
}

function isModuleExports(node: AnyNode | null): boolean {
  return node !== null && staticMemberPath(node)?.join('.') === 'module.exports';
}

function configObjectOf(node: AnyNode | null, body: AnyNode[], depth = 0): AnyNode | null {
  if (!node || depth > 3) return null;
  const expression = unwrapExpression(node);
  if (expression.type === 'ObjectExpression') return expression;
  if (expression.type === 'CallExpression') return configObjectOf(children(expression, 'arguments')[0] ?? null, body, depth + 1);
  if (expression.type === 'Identifier') return configObjectOf(topLevelConstInit(body, expression.name as string), body, depth + 1);
  return null;
}

function topLevelConstInit(body: AnyNode[], name: string): AnyNode | null {
  for (const statement of body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? child(statement, 'declaration') : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of children(declaration, 'declarations')) {
      const id = child(declarator, 'id');
      if (id?.type === 'Identifier' && id.name === name) return child(declarator, 'init');
    }
  }
  return null;
}

function propertyValue(object: AnyNode, key: string): AnyNode | null {
  for (const property of children(object, 'properties')) {
    if (property.type !== 'Property' || property.computed) continue;
    const keyNode = child(property, 'key');
    const keyName = keyNode?.type === 'Identifier' ? keyNode.name : stringValue(keyNode);
    if (keyName === key) return child(property, 'value');
  }
  return null;
}

function staticPath(node: AnyNode): string | null {
  const literal = stringValue(unwrapExpression(node));
  if (literal !== null) return literal;
  const expression = unwrapExpression(node);
  if (expression.type !== 'CallExpression') return null;
  const callee = staticMemberPath(child(expression, 'callee')!)?.join('.');
  if (callee !== 'path.join' && callee !== 'join') return null;
  const parts = children(expression, 'arguments').map(stringValue);
  return parts.length > 0 && parts.every((part) => part !== null) ? posix.join(...(parts as string[])) : null;
}

export interface PrismaDiscovery {
  generators: PrismaGenerator[];
  datasources: PrismaDatasource[];
  warnings: ScanWarning[];
}

/**
 * Every generator declared in the listed `.prisma` files and in the schemas that listed Prisma
 * config files name (read from disk even when git ignores them). `listedFiles` are relative
 * posix paths already cleared of dependencies, build output and user ignores.
 */
export async function discoverPrismaGenerators(root: string, listedFiles: readonly string[]): Promise<PrismaDiscovery> {
  const warnings: ScanWarning[] = [];
  const schemaFiles = new Set(listedFiles.filter((file) => file.endsWith('.prisma')));
  for (const configFile of listedFiles.filter(isPrismaConfigFile)) {
    for (const schemaFile of await schemaFilesNamedByConfig(root, configFile, warnings)) schemaFiles.add(schemaFile);
  }
  const perSchema: { schemaFile: string; generators: PrismaGenerator[]; datasources: PrismaDatasource[]; warnings: ScanWarning[] }[] = [];
  for (const schemaFile of [...schemaFiles].sort()) {
    perSchema.push({ schemaFile, ...(await readSchemaGenerators(root, schemaFile)) });
  }
  // `prisma-client-js` copies schema.prisma into its output directory; read as a schema of its
  // own, the copy would resolve the same `output` from another directory and invent a second one.
  const outputs = perSchema.flatMap(({ generators }) => generators.flatMap((g) => (g.output ? [g] : [])));
  const originals = perSchema.filter(
    ({ schemaFile }) => !outputs.some((g) => g.schemaFile !== schemaFile && isInsideDir(schemaFile, g.output!)),
  );
  return {
    generators: originals.flatMap((schema) => schema.generators),
    datasources: originals.flatMap((schema) => schema.datasources),
    warnings: [...warnings, ...originals.flatMap((schema) => schema.warnings)],
  };
}

async function schemaFilesNamedByConfig(root: string, configFile: string, warnings: ScanWarning[]): Promise<string[]> {
  let schema: string | null;
  try {
    schema = readPrismaConfigSchema(configFile, await readFile(resolve(root, configFile), 'utf8'));
  } catch (error) {
    warnings.push(configWarning(configFile, error));
    return [];
  }
  if (schema === null) return [];
  const schemaPath = toRootRelative(root, resolve(root, dirname(configFile), schema));
  const found = await stat(resolve(root, schemaPath)).catch(() => null);
  if (!found) {
    warnings.push({ kind: 'config', file: configFile, message: `Prisma config names schema "${schema}", which does not exist` });
    return [];
  }
  // A folder schema: Prisma searches it recursively for *.prisma files.
  return found.isDirectory() ? findFilesBySuffix(root, schemaPath, '.prisma') : [schemaPath];
}

async function readSchemaGenerators(
  root: string,
  schemaFile: string,
): Promise<{ generators: PrismaGenerator[]; datasources: PrismaDatasource[]; warnings: ScanWarning[] }> {
  let parsed: ParsedSchema;
  try {
    parsed = parsePrismaSchema(await readFile(resolve(root, schemaFile), 'utf8'));
  } catch (error) {
    // Still in git's index but deleted from the work tree: there is no schema to read.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { generators: [], datasources: [], warnings: [] };
    return { generators: [], datasources: [], warnings: [configWarning(schemaFile, error)] };
  }
  const generators = parsed.generators.map((generator) => ({
    schemaFile,
    name: generator.name,
    provider: generator.provider,
    // Prisma resolves `output` against the directory of the file that declares the generator.
    output: generator.output === null ? null : toRootRelative(root, resolve(root, dirname(schemaFile), generator.output)),
  }));
  const warnings: ScanWarning[] = parsed.unknownOutputs.map((name) => ({
    kind: 'config',
    file: schemaFile,
    message: `generator ${name}: output comes from env(), so its generated files cannot be located and skipped`,
  }));
  return { generators, datasources: parsed.datasources, warnings };
}

function configWarning(file: string, error: unknown): ScanWarning {
  if (error instanceof PrismaSchemaError) return { kind: 'config', file, line: error.line, message: error.message };
  return { kind: 'config', file, message: `could not read ${file}: ${errorMessage(error)}` };
}

/** Relative posix path from `root`; `.` for the root itself, `../…` outside it. */
export function toRootRelative(root: string, absPath: string): string {
  return relative(root, absPath).split(sep).join('/') || '.';
}

/**
 * Whether the relative posix path `file` lies strictly inside the relative posix `dir`. An output
 * of `.` (the root itself) contains nothing: taken literally it would hide the whole tree.
 */
export function isInsideDir(file: string, dir: string): boolean {
  return dir !== '.' && file.startsWith(`${dir}/`);
}
