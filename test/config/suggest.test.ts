import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestMatch, didYouMean } from '../../src/config/suggest.js';
import { RULE_IDS } from '../../src/config/settings.js';

test('typos, abbreviations and extra letters find the intended name', () => {
  assert.equal(closestMatch('per-call-clients', RULE_IDS), 'per-call-client');
  assert.equal(closestMatch('shutdwon', RULE_IDS), 'shutdown');
  assert.equal(closestMatch('transaction-timeouts', RULE_IDS), 'transaction-timeout');
  assert.equal(closestMatch('warn', ['off', 'info', 'warning', 'error']), 'warning');
  assert.equal(closestMatch('Replicas', ['replicas', 'cpus']), 'replicas');
  assert.equal(closestMatch('idleTimeout', ['severity', 'idleTimeoutMs']), 'idleTimeoutMs');
});

test('unrelated words suggest nothing', () => {
  assert.equal(closestMatch('banana', RULE_IDS), null);
  assert.equal(closestMatch('x', ['replicas', 'cpus']), null);
  assert.equal(didYouMean('banana', RULE_IDS), '');
  assert.equal(didYouMean('cpu', ['replicas', 'cpus']), '; did you mean "cpus"?');
});
