import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findJsonSyntaxError, parseJsonText } from '../../src/config/json-text.js';
import { UsageError } from '../../src/errors.js';

test('valid JSON has no syntax error, whatever its shape', () => {
  for (const text of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', ' { "a": [1, {"b": null}, true, false] } ', '{"":""}']) {
    assert.equal(findJsonSyntaxError(text), null, text);
    assert.doesNotThrow(() => JSON.parse(text));
  }
});

test('the first syntax error, with its offset', () => {
  const cases: [string, number, RegExp][] = [
    ['{"a": 1,}', 7, /trailing comma before "}"/],
    ['[1, 2,]', 5, /trailing comma before "]"/],
    ['{"a" 1}', 5, /unexpected "1", expected ":"/],
    ["{'a': 1}", 1, /expected a property name in double quotes/],
    ['{"a": 1', 7, /unexpected end of file, expected "," or "}"/],
    ['{"a": tru}', 6, /expected a value/],
    ['{"a": "b\nc"}', 8, /unterminated string/],
    ['{"a": 1} x', 9, /unexpected "x" after the end of the document/],
    ['/* c */ {}', 0, /comments are not allowed in JSON/],
  ];
  for (const [text, offset, message] of cases) {
    assert.throws(() => JSON.parse(text));
    const found = findJsonSyntaxError(text);
    assert.equal(found?.offset, offset, text);
    assert.match(found!.message, message, text);
  }
});

test('parseJsonText: values as JSON.parse gives them, a BOM is fine, errors carry line and column', () => {
  assert.deepEqual(parseJsonText('\ufeff{"a": [1]}', 'x.json'), { a: [1] });
  assert.throws(
    () => parseJsonText('{\n  "a": 1\n  "b": 2\n}', 'dir/x.json', 'fix it'),
    (error: unknown) =>
      error instanceof UsageError && error.message === 'dir/x.json:3:3: invalid JSON: unexpected "\\"", expected "," or "}"' && error.hint === 'fix it',
  );
});
