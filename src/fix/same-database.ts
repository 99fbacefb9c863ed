/**
 * Whether two sets of constructor options build the same client in all that matters: the same
 * database, and the same other options. Written differently, `new PrismaClient()`,
 * `{ datasourceUrl: process.env.DATABASE_URL }`, `{ datasources: { db: { url: … } } }` and
 * `{ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' }) }` all reach the
 * database the schema names; one shared client serves them all. A read replica
 * (`process.env.READ_REPLICA_URL`) or other log levels is another client, and stays one.
 */
import { unwrapExpression, type AnyNode } from '../core/ast.js';
import { findBinding } from './bindings.js';
import type { FileSyntax } from './syntax.js';

/** The connection string a client gets when its options name none: the schema's usual variable. */
const DEFAULT_DATABASE = 'env:DATABASE_URL';
/** Options that change how a client behaves but not where it connects. */
const DATABASE_KEYS = new Set(['adapter', 'datasourceUrl', 'datasources']);
/** Prisma's driver adapters, built from a connection string or `{ connectionString }`. */
const ADAPTER_CLASS = /^Prisma(?:Pg|Neon|NeonHttp|MariaDb|Mssql|PlanetScale|LibSql|LibSQL|BetterSqlite3|BetterSQLite3|D1)$/;
const MAX_DEPTH = 4;

export interface ClientIdentity {
  /** `env:NAME` for `process.env.NAME`, else the connection string's text. */
  database: string;
  /** The other options, `key:text`, sorted. */
  rest: string[];
}

/** What the options (null: none passed) connect to, or null when that cannot be told from the code. */
export function clientIdentity(syntax: FileSyntax, options: AnyNode | null): ClientIdentity | null {
  if (options === null) return { database: DEFAULT_DATABASE, rest: [] };
  const object = unwrapExpression(options);
  if (object.type !== 'ObjectExpression') return null;
  let database: string | null = DEFAULT_DATABASE;
  const rest: string[] = [];
  for (const property of object.properties as AnyNode[]) {
    const key = property.type === 'Property' && !property.computed ? propertyName(property.key as AnyNode) : null;
    if (key === null) return null;
    const value = property.value as AnyNode;
    if (!DATABASE_KEYS.has(key)) {
      rest.push(`${key}:${squeeze(syntax.text.slice(value.start, value.end))}`);
      continue;
    }
    database = key === 'datasourceUrl' ? urlOf(syntax, value) : key === 'datasources' ? datasourcesUrl(syntax, value) : adapterUrl(syntax, value, 0);
    if (database === null) return null;
  }
  return { database, rest: rest.sort() };
}

/**
 * Can a site built with `site` options use the shared client built with `shared` options? The
 * same database, and the same other options, or none where the shared client's other options
 * are `harmless` (a log level: the site loses nothing it asked for).
 */
export function sharesClient(site: ClientIdentity | null, shared: ClientIdentity | null, harmless: ReadonlySet<string>): boolean {
  if (site === null || shared === null || site.database !== shared.database) return false;
  if (site.rest.join('\n') === shared.rest.join('\n')) return true;
  return site.rest.length === 0 && shared.rest.every((entry) => harmless.has(entry.slice(0, entry.indexOf(':'))));
}

/** `{ db: { url: … } }`: the one datasource's URL. */
function datasourcesUrl(syntax: FileSyntax, value: AnyNode): string | null {
  const object = unwrapExpression(value);
  if (object.type !== 'ObjectExpression' || (object.properties as AnyNode[]).length !== 1) return null;
  const inner = unwrapExpression(((object.properties as AnyNode[])[0]!.value as AnyNode | undefined) ?? object);
  if (inner.type !== 'ObjectExpression') return null;
  const url = (inner.properties as AnyNode[]).find((property) => propertyName(property.key as AnyNode) === 'url');
  return url ? urlOf(syntax, url.value as AnyNode) : null;
}

/** `new PrismaPg({ connectionString })`, `new PrismaNeon(url)`, or a name bound to one. */
function adapterUrl(syntax: FileSyntax, value: AnyNode, depth: number): string | null {
  const node = unwrapExpression(value);
  if (node.type === 'Identifier' && depth < MAX_DEPTH) {
    const binding = findBinding(syntax, node.name as string, node);
    if (binding?.kind !== 'variable' || (binding.declarator.id as AnyNode).type !== 'Identifier' || !binding.declarator.init) return null;
    if (binding.declaration.kind !== 'const') return null;
    return adapterUrl(syntax, binding.declarator.init as AnyNode, depth + 1);
  }
  if (node.type !== 'NewExpression') return null;
  const callee = unwrapExpression(node.callee as AnyNode);
  if (callee.type !== 'Identifier' || !ADAPTER_CLASS.test(callee.name as string)) return null;
  const [first] = node.arguments as AnyNode[];
  if (!first) return null;
  const argument = unwrapExpression(first);
  if (argument.type !== 'ObjectExpression') return urlOf(syntax, argument);
  const properties = argument.properties as AnyNode[];
  const connection = properties.find((property) => ['connectionString', 'url'].includes(propertyName(property.key as AnyNode) ?? ''));
  // Any other pool setting (max, ssl) makes it another pool: not the same client.
  if (!connection || properties.length !== 1) return null;
  return urlOf(syntax, connection.value as AnyNode);
}

/** `process.env.NAME` (also `?? ''`, `|| ''`, `process.env['NAME']`) as `env:NAME`; anything else by its text. */
function urlOf(syntax: FileSyntax, value: AnyNode): string | null {
  let node = unwrapExpression(value);
  if (node.type === 'LogicalExpression' && (node.operator === '??' || node.operator === '||')) {
    const right = unwrapExpression(node.right as AnyNode);
    if (right.type === 'Literal' && right.value === '') node = unwrapExpression(node.left as AnyNode);
  }
  const text = squeeze(syntax.text.slice(node.start, node.end));
  const env = /^process\.env(?:\.([\w$]+)|\[['"]([\w$]+)['"]\])$/.exec(text);
  if (env) return `env:${env[1] ?? env[2]}`;
  // A name or a call: what it holds is only known at run time.
  if (node.type !== 'Literal' && node.type !== 'TemplateLiteral') return null;
  return `text:${text}`;
}

function propertyName(key: AnyNode): string | null {
  if (key.type === 'Identifier') return key.name as string;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return null;
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\s*([{}()[\],:;])\s*/g, '$1').replace(/,([}\]])/g, '$1');
}
