// Proves the open-addressing index behaves exactly like a Map under seeded random inserts and deletes.
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
