import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor } from '../../src/ci/gate.js';
import { finding } from '../helpers/findings.js';

const info = finding({ severity: 'info' });
const warning = finding({ severity: 'warning' });
const error = finding({ severity: 'error' });

test('--fail-on error: only errors fail', () => {
  assert.equal(exitCodeFor([], 'error'), 0);
  assert.equal(exitCodeFor([info, warning], 'error'), 0);
  assert.equal(exitCodeFor([info, error], 'error'), 1);
});

test('--fail-on warning: warnings and errors fail, info does not', () => {
  assert.equal(exitCodeFor([info], 'warning'), 0);
  assert.equal(exitCodeFor([warning], 'warning'), 1);
  assert.equal(exitCodeFor([error], 'warning'), 1);
});

test('--fail-on never: nothing fails', () => {
  assert.equal(exitCodeFor([error, warning, info], 'never'), 0);
});
