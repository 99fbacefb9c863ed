#!/usr/bin/env node
// Writes docs/leakhound.config.schema.json from the config schema (src/config/schema.ts), the
// file editors use for completion ("$schema") and that ships in the package. It reads the built
// schema, so run it as `npm run config-schema` (build, then this script). A test fails when the
// committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { configJsonSchemaText } from '../dist/src/config/schema.js';

const target = new URL('../docs/leakhound.config.schema.json', import.meta.url);
writeFileSync(target, configJsonSchemaText());
console.log(`wrote ${target.pathname}`);
