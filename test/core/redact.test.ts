import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactCredentials } from '../../src/core/redact.js';

test('passwords in URLs and key=value strings are masked; the rest is kept', () => {
  assert.equal(redactCredentials('postgresql://app:s3cr%40t@db.internal:5432/app?schema=public'), 'postgresql://app:****@db.internal:5432/app?schema=public');
  assert.equal(redactCredentials('mysql://:pw@h/db'), 'mysql://:****@h/db');
  assert.equal(redactCredentials('postgres://h/db?user=a&password=b&sslmode=require'), 'postgres://h/db?user=a&password=****&sslmode=require');
  assert.equal(redactCredentials('Server=x;Password=abc;Database=y'), 'Server=x;Password=****;Database=y');
  assert.equal(redactCredentials('postgresql://app@db/app'), 'postgresql://app@db/app');
  assert.equal(redactCredentials('plain text'), 'plain text');
});
