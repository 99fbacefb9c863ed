import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Float64Ring, RingBuffer } from '../../src/runtime/ring-buffer.js';

test('a ring buffer keeps the newest entries in order and reports what it overwrote', () => {
  const ring = new RingBuffer<string>(3);
  assert.deepEqual(ring.toArray(), []);
  assert.equal(ring.latest(), undefined);
  assert.equal(ring.push('a'), undefined);
  assert.equal(ring.push('b'), undefined);
  assert.equal(ring.push('c'), undefined);
  assert.deepEqual(ring.toArray(), ['a', 'b', 'c']);
  assert.equal(ring.push('d'), 'a');
  assert.equal(ring.push('e'), 'b');
  assert.deepEqual(ring.toArray(), ['c', 'd', 'e']);
  assert.equal(ring.size, 3);
  assert.equal(ring.latest(), 'e');
  ring.clear();
  assert.deepEqual(ring.toArray(), []);
  assert.equal(ring.size, 0);
  ring.push('f');
  assert.deepEqual(ring.toArray(), ['f']);
});

test('a ring buffer never grows past its capacity', () => {
  const ring = new RingBuffer<number>(100);
  for (let i = 0; i < 100_000; i++) ring.push(i);
  assert.equal(ring.size, 100);
  assert.deepEqual(ring.toArray(), Array.from({ length: 100 }, (_, i) => 99_900 + i));
});

test('a Float64 ring gives a copy, oldest first', () => {
  const ring = new Float64Ring(4);
  for (const value of [1, 2, 3, 4, 5, 6]) ring.push(value);
  const copy = ring.toArray();
  assert.deepEqual([...copy], [3, 4, 5, 6]);
  copy[0] = 99;
  assert.equal(ring.at(0), 3, 'the copy is detached');
  assert.equal(ring.at(3), 6);
  assert.equal(ring.at(4), undefined);
  assert.equal(ring.latest(), 6);
  ring.clear();
  assert.equal(ring.size, 0);
  assert.equal(ring.latest(), undefined);
});

test('capacities must be positive integers', () => {
  assert.throws(() => new RingBuffer(0), RangeError);
  assert.throws(() => new Float64Ring(2.5), RangeError);
});
