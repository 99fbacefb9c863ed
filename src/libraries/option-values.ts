/**
 * Reading the options a site was constructed with (see core/options.ts for their shape): plain
 * values where the code states them, nothing where it computes them.
 */
import type { OptionValue } from '../types.js';
import type { Database, PoolContext, SiteOptions } from './types.js';

/** The value at a dotted path (`pool.max`), or undefined when the code does not state it. */
export function optionAt(options: SiteOptions | OptionValue | undefined, path: string): OptionValue | undefined {
  let current: OptionValue | undefined = options ?? undefined;
  for (const key of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as { [key: string]: OptionValue })[key];
  }
  return current;
}

export function numberAt(options: SiteOptions | OptionValue | undefined, path: string): number | undefined {
  const value = optionAt(options, path);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

export function stringAt(options: SiteOptions | OptionValue | undefined, path: string): string | undefined {
  const value = optionAt(options, path);
  return typeof value === 'string' ? value : undefined;
}

/** The first of several paths the code states. */
export function firstNumber(options: SiteOptions | OptionValue | undefined, paths: string[]): { path: string; value: number } | undefined {
  for (const path of paths) {
    const value = numberAt(options, path);
    if (value !== undefined) return { path, value };
  }
  return undefined;
}

/** `{ $new: 'Pool', args: [...] }`: a value constructed in place (an adapter's pool). */
export function constructedValue(value: OptionValue | undefined): { callee: string; args: OptionValue[] } | null {
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof value.$new !== 'string') return null;
  return { callee: value.$new, args: Array.isArray(value.args) ? value.args : [] };
}

/** `process.env.DATABASE_URL` / `process.env['X']` as written in an `$expr`. */
export function envVariableOf(value: OptionValue | undefined): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof value.$expr !== 'string') return null;
  const match = /^process\.env(?:\.([A-Za-z_][\w]*)|\[\s*['"]([^'"]+)['"]\s*\])(?:\s*(?:\?\?|\|\|)[\s\S]*)?$/.exec(value.$expr.trim());
  return match ? (match[1] ?? match[2]!) : null;
}

/** A URL the code states, or one it reads from an env variable the project's `.env` files define. */
export function urlOf(value: OptionValue | undefined, context: PoolContext): { url: string; from: string } | null {
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(value)) return { url: value, from: 'the code' };
  const variable = envVariableOf(value);
  if (variable === null) return null;
  const found = context.env(variable);
  return found ? { url: found.value, from: `${variable} in ${found.file}` } : null;
}

/** A query parameter of a connection string (`connection_limit`, `pool_timeout`). */
export function urlParameter(url: string, name: string): string | null {
  const query = url.split('?')[1];
  if (!query) return null;
  for (const pair of query.split('&')) {
    const [key, value = ''] = pair.split('=');
    if (key === name) return decodeURIComponent(value);
  }
  return null;
}

export function databaseOfUrl(url: string): Database {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? '';
  if (scheme.startsWith('postgres')) return 'postgresql';
  if (scheme.startsWith('mysql') || scheme.startsWith('mariadb')) return 'mysql';
  if (scheme.startsWith('mongodb')) return 'mongodb';
  if (scheme.startsWith('redis') || scheme === 'rediss') return 'redis';
  if (scheme === 'sqlserver' || scheme === 'mssql') return 'sqlserver';
  if (scheme === 'file' || scheme === 'sqlite') return 'sqlite';
  return 'unknown';
}

/** knex's `client`, typeorm's `type`, sequelize's `dialect`: one vocabulary of driver names. */
export function databaseOfDriver(name: string | undefined): Database {
  if (!name) return 'unknown';
  const driver = name.toLowerCase();
  if (/^(pg|postgres|postgresql|pg-native|cockroachdb|pgnative|redshift)$/.test(driver)) return 'postgresql';
  if (/^(mysql|mysql2|mariadb|aurora-mysql)$/.test(driver)) return 'mysql';
  if (/^(sqlite|sqlite3|better-sqlite3|sqljs|capacitor|cordova|expo)$/.test(driver)) return 'sqlite';
  if (/^(mssql|tedious|sqlserver)$/.test(driver)) return 'sqlserver';
  if (driver === 'mongodb') return 'mongodb';
  return 'unknown';
}

/** The first argument that is an object literal (the options, in most client signatures). */
export function objectArgument(args: readonly OptionValue[]): SiteOptions {
  for (const arg of args) {
    if (arg && typeof arg === 'object' && !Array.isArray(arg) && !('$expr' in arg) && !('$new' in arg)) return arg;
  }
  return null;
}

/** The first argument when it is a connection string (or an env variable holding one). */
export function urlArgument(args: readonly OptionValue[], context: PoolContext): { url: string; from: string } | null {
  return args.length > 0 ? urlOf(args[0], context) : null;
}
