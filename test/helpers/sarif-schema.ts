/** Validates a SARIF log against the vendored SARIF 2.1.0 schema (what GitHub code scanning checks). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module.
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

export const SARIF_SCHEMA = JSON.parse(readFileSync(new URL('../../../test/fixtures-data/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;

export function validateSarif(text: string): unknown {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  const validate = ajv.compile(SARIF_SCHEMA);
  const log = JSON.parse(text) as unknown;
  assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
  return log;
}
