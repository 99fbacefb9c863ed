import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { configJsonSchema, configJsonSchemaText, type LeakhoundConfig } from '../../src/config/schema.js';
import { RULE_IDS } from '../../src/config/settings.js';

const COMMITTED = new URL('../../../docs/leakhound.config.schema.json', import.meta.url);

test('docs/leakhound.config.schema.json is up to date with the zod schema', () => {
  assert.equal(
    readFileSync(COMMITTED, 'utf8'),
    configJsonSchemaText(),
    'regenerate it: npm run config-schema',
  );
});

test('the published JSON schema accepts and rejects what the loader does', () => {
  const validate = new Ajv({ strict: false }).compile(configJsonSchema());
  const valid: LeakhoundConfig = {
    $schema: './node_modules/leakhound/docs/leakhound.config.schema.json',
    rules: { shutdown: 'off', 'transaction-timeout': { maxWaitMs: 1000, timeoutMs: 2000 }, 'pool-config': { severity: 'info', idleTimeoutMs: 1 } },
    ignore: ['a/'],
    testPatterns: ['*.spec.ts'],
    replicas: 2,
    maxConnections: 10,
    cpus: 1,
    failOn: 'never',
  };
  assert.equal(validate(valid), true, JSON.stringify(validate.errors));
  for (const invalid of [{ replicas: 0 }, { unknown: 1 }, { rules: { nope: 'off' } }, { rules: { shutdown: { idleTimeoutMs: 1 } } }, { failOn: 'sometimes' }]) {
    assert.equal(validate(invalid), false, JSON.stringify(invalid));
  }
});

test('every rule id is configurable', () => {
  const rules = (configJsonSchema().properties as { rules: { properties: Record<string, unknown> } }).rules.properties;
  assert.deepEqual(Object.keys(rules), [...RULE_IDS]);
});

// Compile-time checks of the inferred type: each line fails `npm run typecheck` if the type
// stops matching the schema.
export const typeChecks: LeakhoundConfig[] = [
  { rules: { 'transaction-timeout': { maxWaitMs: 1 }, 'pool-config': 'warning' } },
  // @ts-expect-error pool-config has no maxWaitMs
  { rules: { 'pool-config': { maxWaitMs: 1 } } },
  // @ts-expect-error not a rule
  { rules: { 'per-call-clients': 'off' } },
  // @ts-expect-error not a level
  { failOn: 'info' },
];
