#!/usr/bin/env node
// Writes the rule table in README.md (between <!-- rules-table:start --> and
// <!-- rules-table:end -->) from the rules' own meta. Run after a build:
//   npm run build && node scripts/rules-table.js           rewrite the table
//   npm run build && node scripts/rules-table.js --check   exit 1 when README.md is stale
// test/rules/docs.test.ts fails when the committed table differs from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { RULE_METAS } from '../dist/src/rules/index.js';
import { replaceRulesTable } from '../dist/src/rules/table.js';

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--check');
if (unknown.length > 0) {
  console.error(`rules-table: unknown argument ${unknown[0]}\nusage: node scripts/rules-table.js [--check]`);
  process.exit(2);
}
const check = args.includes('--check');
const readme = new URL('../README.md', import.meta.url);
const current = readFileSync(readme, 'utf8');

let next;
try {
  next = replaceRulesTable(current, RULE_METAS);
} catch (error) {
  console.error(`rules-table: ${error.message}`);
  process.exit(2);
}

if (check) {
  if (next !== current) {
    console.error('README.md: the rule table is stale; run `npm run build && node scripts/rules-table.js`');
    process.exit(1);
  }
  console.log('README.md: the rule table is up to date');
} else if (next === current) {
  console.log('README.md: the rule table is already up to date');
} else {
  writeFileSync(readme, next);
  console.log(`README.md: wrote the rule table (${RULE_METAS.length} rules)`);
}
