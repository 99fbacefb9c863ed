/**
 * A small curated catalog of native packages seen in Node services, with what each typically
 * holds outside the V8 heap. The notes describe mechanisms, not megabytes: `--measure` gives
 * the figures for this machine. Platform packages (`@img/sharp-linux-x64`,
 * `@node-rs/bcrypt-linux-x64-gnu`, `@datadog/native-metrics`) match through their own name
 * pattern or through the package that depends on them.
 */
import type { NativeCategory } from './types.js';

export interface CatalogEntry {
  category: NativeCategory;
  note: string;
}

/** Exact names and name patterns, most specific first. */
const CATALOG: [string | RegExp, CatalogEntry][] = [
  // Database drivers and engines.
  [/^(@prisma\/engines|\.prisma\/client|@prisma\/client|prisma)$/, {
    category: 'database',
    note: 'Prisma ≤ 6: a Rust query engine (Node-API library) whose instance per PrismaClient holds its own connection pool and caches; Prisma 7: a WebAssembly query compiler that V8 compiles on the first query (+50–85 MB RSS once per process, measured on Node 20).',
  }],
  [/^@prisma\//, { category: 'database', note: 'Prisma tooling; the WebAssembly it ships is loaded only by the CLI or by clients that use it.' }],
  ['better-sqlite3', { category: 'database', note: "SQLite in-process: each open database keeps its page cache (2 MB by default, `PRAGMA cache_size`) and prepared statements outside the V8 heap." }],
  ['sqlite3', { category: 'database', note: 'SQLite in-process with a libuv worker per query; page cache per connection (2 MB by default) outside the V8 heap.' }],
  [/^(@libsql\/|libsql$)/, { category: 'database', note: 'libSQL/SQLite in-process: page cache and connection state outside the V8 heap.' }],
  [/^(pg-native|libpq)$/, { category: 'database', note: 'libpq per connection: result sets are buffered in C memory before they reach JavaScript, so a large query is counted twice.' }],
  [/^(@duckdb\/|duckdb)/, { category: 'database', note: 'DuckDB in-process: its buffer manager may use up to 80% of RAM unless `memory_limit` is set.' }],
  [/^(oracledb|ibm_db|odbc|msnodesqlv8)$/, { category: 'database', note: 'A vendor client library loaded into the process, with its own connection and statement caches outside the V8 heap.' }],
  [/^(lmdb|@lmdb\/|leveldown|classic-level|rocksdb|@rocksdb\/)/, { category: 'database', note: 'Embedded key-value store: memory-mapped files and block caches count in RSS, not in the heap.' }],
  [/^(mongodb-client-encryption|@mongodb-js\/zstd|kerberos|snappy|@napi-rs\/snappy)/, { category: 'database', note: 'MongoDB driver extension (encryption, compression or Kerberos): per-connection buffers outside the V8 heap.' }],
  [/^@electric-sql\/pglite/, { category: 'database', note: 'PostgreSQL compiled to WebAssembly: the whole database runs in wasm memory inside the process.' }],
  // Crypto.
  [/^(bcrypt|@node-rs\/bcrypt|bcrypt-.+)$/, { category: 'crypto', note: 'Hashing runs on libuv worker threads; little memory is kept between calls.' }],
  [/^(argon2|@node-rs\/argon2)/, { category: 'crypto', note: 'Argon2 allocates its memory cost (e.g. 64 MB at common settings) per concurrent hash, outside the V8 heap.' }],
  [/^(sodium-native|keccak|secp256k1|@noble-native|tiny-secp256k1|blake-hash|@napi-rs\/blake-hash)/, { category: 'crypto', note: 'Crypto primitives; buffers are allocated per call and freed with them.' }],
  // Network.
  [/^(bufferutil|utf-8-validate)$/, { category: 'network', note: "ws's optional speed-ups for masking and UTF-8 checks; allocate nothing lasting." }],
  [/^uWebSockets\.js/, { category: 'network', note: 'A native HTTP/WebSocket server: per-socket buffers and back-pressure queues live outside the V8 heap.' }],
  [/^(cpu-features|ssh2)$/, { category: 'network', note: 'ssh2 optional CPU detection; negligible memory.' }],
  [/^(node-datachannel|wrtc|@roamhq\/wrtc)/, { category: 'network', note: 'WebRTC stack in native code: per-peer buffers outside the V8 heap.' }],
  [/^(grpc|@grpc\/grpc-js-native)$/, { category: 'network', note: 'The retired native gRPC core: channels and completion queues outside the V8 heap.' }],
  // Compression.
  [/^(zlib-sync|lz4|lz4-napi|zstd-napi|@mongodb-js\/zstd|node-zopfli|iltorb|brotli|@napi-rs\/lz4|cbor-extract|msgpackr-extract|@msgpackr-extract\/)/, { category: 'compression', note: 'Compression or decoding contexts: window buffers per stream, freed when the stream ends.' }],
  // Images and rendering.
  [/^(sharp|@img\/)/, { category: 'image', note: 'libvips: a process-wide operation cache (50 MB and 100 operations by default, `sharp.cache()`) and per-image pixel buffers outside the V8 heap.' }],
  [/^(canvas|@napi-rs\/canvas|skia-canvas|@resvg\/|gl|@napi-rs\/image)/, { category: 'image', note: 'Pixel buffers for every canvas or image, outside the V8 heap until the object is collected.' }],
  // Monitoring and APM.
  [/^(@datadog\/|dd-trace$)/, { category: 'monitoring', note: 'Datadog native metrics, profiler or AppSec: sampling buffers and a profiler that keeps stacks between uploads.' }],
  [/^(@newrelic\/|newrelic$)/, { category: 'monitoring', note: 'New Relic native metrics: GC and event-loop sampling, small buffers.' }],
  [/^(@sentry\/profiling-node|@sentry-internal\/node-cpu-profiler)/, { category: 'monitoring', note: "Sentry's CPU profiler: keeps sampled stacks until each profile is sent." }],
  [/^(elastic-apm-node|@elastic\/)/, { category: 'monitoring', note: 'Elastic APM: queues spans and metrics until they are shipped.' }],
  [/^(heapdump|v8-profiler-next|v8-profiler-node8|@airbnb\/node-memwatch|memwatch-next|gc-stats|@sematext\/gc-stats|event-loop-stats|appmetrics)$/, { category: 'monitoring', note: 'Heap and GC instrumentation: heap snapshots it writes need about as much memory again as the heap.' }],
  // Build tools (usually devDependencies; they matter when shipped to production).
  [/^(@swc\/|@next\/swc|esbuild|@esbuild\/|@rollup\/|lightningcss|@tailwindcss\/oxide|@parcel\/watcher|oxc-|@oxc-|@biomejs\/|@ast-grep\/|fsevents|@rspack\/|@unrs\/|unrs-resolver|@napi-rs\/wasm-runtime|turbo)/, { category: 'build-tool', note: 'Compiler, bundler or file watcher: loaded by the build or dev server, not by a production server unless it bundles or watches at run time.' }],
  // Other well-known addons.
  [/^(re2)$/, { category: 'other', note: 'RE2 regular expressions: compiled programs live outside the V8 heap for as long as the RegExp object does.' }],
  [/^(node-pty|@homebridge\/node-pty-prebuilt-multiarch|@lydell\/node-pty)/, { category: 'other', note: 'Pseudo-terminals: a process and buffers per terminal.' }],
  [/^(isolated-vm)$/, { category: 'other', note: 'Separate V8 isolates, each with its own heap (not counted in process.memoryUsage().heapUsed).' }],
  [/^(deasync|microtime|farmhash|xxhash-addon|@node-rs\/xxhash|@node-rs\/crc32|unix-dgram|usb|@serialport\/)/, { category: 'other', note: 'A small addon; memory is per call.' }],
];

/** The catalog entry for `name`, else for the first dependent that has one. */
export function catalogEntry(name: string, dependents: readonly string[]): CatalogEntry | null {
  for (const candidate of [name, ...dependents]) {
    for (const [match, entry] of CATALOG) {
      if (typeof match === 'string' ? match === candidate : match.test(candidate)) return entry;
    }
  }
  return null;
}
