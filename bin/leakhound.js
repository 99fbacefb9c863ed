#!/usr/bin/env node
// Node >= 22.1 can cache compiled code between runs: a faster start for a tool run often.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/bundle/leakhound.js');
