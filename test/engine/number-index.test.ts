// Proves the open-addressing index behaves exactly like a Map under seeded random inserts and deletes, and keeps
// probe runs short for keys that share their low bits (client-chosen ids such as multiples of 1,024 or of 2^32).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NumberIndex } from '../../engine/number-index.ts';
import { NIL } from '../../engine/order-store.ts';
import { seededRandom } from './random-commands.ts';

for (const seed of [1, 2, 3]) {
  test(`NumberIndex equals a Map after 200,000 random operations (seed ${seed})`, () => {
    const random = seededRandom(seed);
    const index = new NumberIndex(4);
    const model = new Map<number, number>();
    const keySpace = seed === 3 ? 2 ** 52 : 5_000;
    for (let i = 0; i < 200_000; i++) {
      const key = 1 + Math.floor(random() * keySpace);
      const r = random();
      if (r < 0.5) {
        index.set(key, i);
        model.set(key, i);
      } else if (r < 0.85) {
        index.delete(key);
        model.delete(key);
      }
      assert.equal(index.get(key), model.get(key) ?? NIL);
    }
    assert.equal(index.size, model.size);
    assert.deepEqual(new Map(index.entries()), model);
  });
}

/** Keys that differ only above bit `lowZeroBits`: a hash that masks the product's low bits puts them all in one cell. */
const stridedKeys = (stride: number, count: number) => Array.from({ length: count }, (_, i) => (i + 1) * stride);

for (const [what, stride] of [['multiples of 1,000', 1_000], ['multiples of 1,024', 1_024], ['multiples of 2^20', 2 ** 20], ['multiples of 2^32', 2 ** 32]] as const) {
  test(`NumberIndex keeps probe runs short for 20,000 keys that are ${what}`, () => {
    const index = new NumberIndex(16);
    const keys = stridedKeys(stride, 20_000);
    keys.forEach((key, i) => index.set(key, i));
    keys.forEach((key, i) => assert.equal(index.get(key), i));
    // Linear probing at a load factor of at most 1/2 has expected runs of ~1.5 cells; a run of
    // hundreds means the keys collide by construction.
    assert.ok(index.longestProbe() <= 64, `longest probe run ${index.longestProbe()} cells`);
  });
}

test('NumberIndex refuses a capacity that is not a power of two', () => {
  assert.throws(() => new NumberIndex(12), /power of two/);
  assert.throws(() => new NumberIndex(1), /power of two/);
});
