/**
 * Deterministic synthetic memory series for the trend and monitor tests: a seeded generator
 * (so a failure reproduces exactly) and the shapes real memory takes.
 */

/** Mulberry32: small, fast, good enough for test noise; same seed → same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a seeded uniform source. */
export function gaussian(random: () => number): () => number {
  return () => {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/** `n` sample times, `stepMs` apart, starting at `start`. */
export function times(n: number, stepMs = 5000, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i * stepMs);
}

/**
 * A GC sawtooth: the heap climbs by `rise` over `period` samples then drops back to the
 * floor, which itself grows by `floorSlope` per ms.
 */
export function sawtooth(at: readonly number[], options: { base: number; rise: number; period: number; floorSlope?: number; noise?: () => number }): number[] {
  return at.map((t, i) => options.base + ((i % options.period) / options.period) * options.rise + (options.floorSlope ?? 0) * t + (options.noise?.() ?? 0));
}
