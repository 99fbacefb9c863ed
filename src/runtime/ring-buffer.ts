/**
 * Fixed-capacity buffers: once full, each push overwrites the oldest entry. Everything the
 * runtime keeps over time (memory samples, slow queries) lives in one of these, so its memory
 * is decided at construction and does not grow with traffic or uptime.
 */

/** A ring of arbitrary values, oldest first when read. */
export class RingBuffer<T> {
  /** The most entries it holds. */
  readonly capacity: number;
  #items: (T | undefined)[];
  #next = 0;
  #size = 0;

  /** @param capacity the most entries kept (a positive integer); memory is allocated now. */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  /** Number of entries held (at most `capacity`). */
  get size(): number {
    return this.#size;
  }

  /** Adds `item`; returns the entry it overwrote, if the buffer was full. */
  push(item: T): T | undefined {
    const evicted = this.#size === this.capacity ? this.#items[this.#next] : undefined;
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
    return evicted;
  }

  /** The newest entry. */
  latest(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[(this.#next - 1 + this.capacity) % this.capacity];
  }

  /** A copy of the entries, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(start + i) % this.capacity] as T);
    return out;
  }

  /** Drops every entry (and the references to them). */
  clear(): void {
    this.#items.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }
}

/** A ring of numbers in a `Float64Array`: no per-sample allocation, no boxing. */
export class Float64Ring {
  /** The most numbers it holds. */
  readonly capacity: number;
  #values: Float64Array;
  #next = 0;
  #size = 0;

  /** @param capacity the most numbers kept (a positive integer); memory is allocated now. */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#values = new Float64Array(capacity);
  }

  /** Number of values held (at most `capacity`). */
  get size(): number {
    return this.#size;
  }

  /** Adds `value`, overwriting the oldest once full. */
  push(value: number): void {
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
  }

  /** The entry `index` places from the oldest (0 = oldest). */
  at(index: number): number | undefined {
    if (index < 0 || index >= this.#size) return undefined;
    return this.#values[(this.#next - this.#size + index + this.capacity) % this.capacity];
  }

  /** The newest value. */
  latest(): number | undefined {
    return this.at(this.#size - 1);
  }

  /** A copy, oldest first. */
  toArray(): Float64Array {
    const out = new Float64Array(this.#size);
    for (let i = 0; i < this.#size; i++) out[i] = this.#values[(this.#next - this.#size + i + this.capacity) % this.capacity]!;
    return out;
  }

  /** Forgets every value (the buffer keeps its memory). */
  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }
}
