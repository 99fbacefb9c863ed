import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectMemoryLimit, heapLimitBytes } from '../../src/runtime/memory-limit.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const machine = () => 16 * GB;

function files(contents: Record<string, string>) {
  return (path: string) => contents[path];
}

test('cgroup v2: memory.max of the process cgroup, "max" meaning none, the smallest ancestor winning', () => {
  const inContainer = detectMemoryLimit({
    readFile: files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/memory.max': `${512 * MB}\n` }),
    constrainedMemory: () => undefined,
    env: {},
    totalMemory: machine,
  });
  assert.deepEqual(inContainer, { bytes: 512 * MB, source: 'cgroup-v2', found: [{ source: 'cgroup-v2', bytes: 512 * MB }] });

  const nested = detectMemoryLimit({
    readFile: files({
      '/proc/self/cgroup': '0::/system.slice/app.service\n',
      '/sys/fs/cgroup/system.slice/app.service/memory.max': 'max\n',
      '/sys/fs/cgroup/system.slice/memory.max': `${2 * GB}\n`,
      '/sys/fs/cgroup/memory.max': 'max\n',
    }),
    constrainedMemory: () => undefined,
    env: {},
    totalMemory: machine,
  });
  assert.equal(nested.bytes, 2 * GB);
  assert.equal(nested.source, 'cgroup-v2');

  const unlimited = detectMemoryLimit({ readFile: files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/memory.max': 'max\n' }), constrainedMemory: () => undefined, env: {}, totalMemory: machine });
  assert.deepEqual(unlimited, { bytes: 16 * GB, source: 'system', found: [] });
});

test("cgroup v1: memory.limit_in_bytes, with v1's huge number meaning none", () => {
  const limited = detectMemoryLimit({
    readFile: files({
      '/proc/self/cgroup': '4:memory:/docker/abc\n3:cpu:/\n',
      '/sys/fs/cgroup/memory/memory.limit_in_bytes': `${1 * GB}\n`,
    }),
    constrainedMemory: () => undefined,
    env: {},
    totalMemory: machine,
  });
  assert.equal(limited.source, 'cgroup-v1');
  assert.equal(limited.bytes, 1 * GB);

  const hierarchical = detectMemoryLimit({
    readFile: files({
      '/proc/self/cgroup': '4:memory,memsw:/kubepods/pod1\n',
      '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n',
      '/sys/fs/cgroup/memory/memory.stat': `cache 0\nhierarchical_memory_limit ${768 * MB}\nrss 0\n`,
    }),
    constrainedMemory: () => undefined,
    env: {},
    totalMemory: machine,
  });
  assert.equal(hierarchical.bytes, 768 * MB);

  const none = detectMemoryLimit({
    readFile: files({ '/proc/self/cgroup': '4:memory:/\n', '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n' }),
    constrainedMemory: () => undefined,
    env: {},
    totalMemory: machine,
  });
  assert.equal(none.source, 'system');
});

test("Heroku: MEMORY_AVAILABLE (MB) on a dyno, which wins when smaller than the cgroup's", () => {
  const dyno = detectMemoryLimit({
    readFile: files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/memory.max': `${8 * GB}\n` }),
    constrainedMemory: () => undefined,
    env: { DYNO: 'web.1', MEMORY_AVAILABLE: '512' },
    totalMemory: machine,
  });
  assert.equal(dyno.bytes, 512 * MB);
  assert.equal(dyno.source, 'heroku');
  assert.deepEqual(
    dyno.found.map((entry) => entry.source),
    ['heroku', 'cgroup-v2'],
  );
  // Without DYNO the variable is someone else's.
  const notHeroku = detectMemoryLimit({ readFile: files({}), constrainedMemory: () => undefined, env: { MEMORY_AVAILABLE: '512' }, totalMemory: machine });
  assert.equal(notHeroku.source, 'system');
});

test('process.constrainedMemory(): used when it is a real limit, ignored when 0 or above physical memory', () => {
  const base = { readFile: files({}), env: {}, totalMemory: machine };
  assert.deepEqual(detectMemoryLimit({ ...base, constrainedMemory: () => 300 * MB }), { bytes: 300 * MB, source: 'constrained-memory', found: [{ source: 'constrained-memory', bytes: 300 * MB }] });
  assert.equal(detectMemoryLimit({ ...base, constrainedMemory: () => 0 }).source, 'system');
  assert.equal(detectMemoryLimit({ ...base, constrainedMemory: () => 2 ** 64 }).source, 'system');
  assert.equal(
    detectMemoryLimit({
      ...base,
      constrainedMemory: () => {
        throw new Error('not supported');
      },
    }).source,
    'system',
  );
});

test('an explicit limit wins and is validated', () => {
  assert.deepEqual(detectMemoryLimit({ limitBytes: 256 * MB, constrainedMemory: () => 100 * MB }), { bytes: 256 * MB, source: 'explicit', found: [{ source: 'explicit', bytes: 256 * MB }] });
  assert.throws(() => detectMemoryLimit({ limitBytes: 0 }), RangeError);
  assert.throws(() => detectMemoryLimit({ limitBytes: Number.NaN }), RangeError);
});

test('on this machine the detection returns a positive limit and V8 a heap limit', () => {
  const limit = detectMemoryLimit();
  assert.ok(limit.bytes > 0 && Number.isFinite(limit.bytes));
  assert.ok(heapLimitBytes() > 16 * MB);
});
