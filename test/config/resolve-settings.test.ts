import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../src/config/resolve-settings.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';

test('an empty config gives the defaults', () => {
  assert.deepEqual(resolveSettings({}), {
    settings: DEFAULT_SETTINGS,
    ignore: undefined,
    testPatterns: undefined,
    failOn: 'error',
  });
});

test('config values replace the defaults; rule levels and options are split out', () => {
  const resolved = resolveSettings({
    replicas: 4,
    maxConnections: 200,
    cpus: 8,
    failOn: 'warning',
    ignore: ['legacy/'],
    testPatterns: ['*.spec.ts'],
    rules: {
      shutdown: 'off',
      'per-call-client': { severity: 'warning' },
      'transaction-timeout': { timeoutMs: 30_000 },
      'pool-config': { severity: 'info', idleTimeoutMs: 5_000 },
    },
  });
  assert.deepEqual(resolved, {
    settings: {
      replicas: 4,
      maxConnections: 200,
      cpus: 8,
      rules: { shutdown: 'off', 'per-call-client': 'warning', 'pool-config': 'info' },
      ruleOptions: {
        'transaction-timeout': { maxWaitMs: DEFAULT_SETTINGS.ruleOptions['transaction-timeout'].maxWaitMs, timeoutMs: 30_000 },
        'pool-config': { idleTimeoutMs: 5_000 },
      },
    },
    ignore: ['legacy/'],
    testPatterns: ['*.spec.ts'],
    failOn: 'warning',
  });
});

test('command-line values win; --ignore adds to the config, --test-pattern replaces it', () => {
  const resolved = resolveSettings(
    { replicas: 4, maxConnections: 200, cpus: 8, failOn: 'warning', ignore: ['legacy/'], testPatterns: ['*.spec.ts'] },
    { replicas: 2, maxConnections: 50, cpus: 1, failOn: 'never', ignore: ['tmp/'], testPatterns: ['e2e/'] },
  );
  assert.equal(resolved.settings.replicas, 2);
  assert.equal(resolved.settings.maxConnections, 50);
  assert.equal(resolved.settings.cpus, 1);
  assert.equal(resolved.failOn, 'never');
  assert.deepEqual(resolved.ignore, ['legacy/', 'tmp/']);
  assert.deepEqual(resolved.testPatterns, ['e2e/']);
  assert.deepEqual(resolveSettings({}, { ignore: ['tmp/'] }).ignore, ['tmp/']);
});

test('resolving never changes the shared defaults', () => {
  const before = structuredClone(DEFAULT_SETTINGS);
  const resolved = resolveSettings({ rules: { 'pool-config': { idleTimeoutMs: 1 } } });
  resolved.settings.ruleOptions['transaction-timeout'].maxWaitMs = 1;
  assert.deepEqual(DEFAULT_SETTINGS, before);
});
