// mulberry32: a small, fast seeded generator of uniform floats in [0, 1), the same sequence for the
// same seed everywhere. The load generator's flows and the tests' seeded streams and fuzzers use it,
// so that any run is repeatable from its seed.

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
