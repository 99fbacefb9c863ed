/**
 * Turns the schema's complaints into sentences a user can act on: the key path as they wrote
 * it, what was expected, what was found, and the likely intended name for a typo.
 */
import type * as z from 'zod/mini';
import { RULE_IDS, type RuleId } from './settings.js';
import { CONFIG_KEYS, ruleOptionNames } from './schema.js';
import { didYouMean } from './suggest.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** One line per problem, e.g. `replicas: expected a positive integer, got 0`. */
export function describeConfigIssues(issues: readonly Issue[], input: unknown): string[] {
  return issues.flatMap((issue) => describeIssue(issue, [], input));
}

function describeIssue(issue: Issue, base: Path, input: unknown): string[] {
  const path = [...base, ...issue.path];
  const value = valueAt(input, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(path, key));
    case 'invalid_union': {
      // The union is "a severity or an object": explain the branch the value was meant for
      // (`{ severity: "warn" }` is a bad severity inside the object, not a bad union).
      const meant = issue.errors.filter((branch) => !isTypeMismatch(branch, value));
      if (meant.length === 1) return meant[0]!.flatMap((inner) => describeIssue(inner, path, input));
      return [`${where(path)}expected ${issue.message}, got ${show(value)}`];
    }
    case 'invalid_value': {
      const options = issue.values.filter((option): option is string => typeof option === 'string');
      return [`${where(path)}expected ${issue.message}, got ${show(value)}${typeof value === 'string' ? didYouMean(value, options) : ''}`];
    }
    default:
      return [`${where(path)}expected ${issue.message}, got ${show(value)}`];
  }
}

/** The branch rejected the value for its kind alone: an object given to the severity names, a string to the object form. */
function isTypeMismatch(branch: readonly Issue[], value: unknown): boolean {
  return branch.every(
    (inner) => inner.path.length === 0 && (inner.code === 'invalid_type' || (inner.code === 'invalid_value' && typeof value !== 'string')),
  );
}

function unknownKey(path: Path, key: string): string {
  if (path.length === 0) return `unknown key "${key}"${didYouMean(key, CONFIG_KEYS)} (the keys are ${CONFIG_KEYS.filter((k) => k !== '$schema').join(', ')})`;
  if (path.length === 1 && path[0] === 'rules') return `${formatPath([...path, key])} is not a rule${didYouMean(key, RULE_IDS)}`;
  if (path.length === 2 && path[0] === 'rules') {
    const options = ruleOptionNames(path[1] as RuleId);
    return `${where(path)}unknown option "${key}"${didYouMean(key, options)} (${String(path[1])} takes ${options.join(', ')})`;
  }
  return `${where(path)}unknown key "${key}"`;
}

function where(path: Path): string {
  return path.length === 0 ? '' : `${formatPath(path)}: `;
}

/** `rules."pool-config".idleTimeoutMs`, `ignore[2]`: the path as it reads in JavaScript. */
export function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += out === '' ? String(key) : `.${String(key)}`;
    else out += `${out === '' ? '' : '.'}${JSON.stringify(String(key))}`;
  }
  return out;
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}
