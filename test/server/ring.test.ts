// Proves the ring never lets a producer write over a slot a consumer has not passed, counted from the producer's own position, across wrap-around.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRingBuffers, Ring } from '../../server/ring.ts';

test('room is bounded by the slowest consumer and by what the producer wrote but has not published', () => {
  const ring = new Ring(createRingBuffers({ slotCount: 8, slotSizeBytes: 8, consumers: 2 }), 8);
  assert.equal(ring.free(), 8);
  ring.publish(5);
  assert.equal(ring.free(), 3);
  ring.release(0, 5);
  assert.equal(ring.free(), 3, 'the other consumer still holds them');
  ring.release(1, 2);
  assert.equal(ring.free(), 5);
  assert.equal(ring.freeAfter(9), 1, 'slots written past the published cursor are not free');
  assert.equal(ring.freeAfter(10), 0);
});

test('cursors wrap around int32 and slots wrap around the ring', () => {
  const ring = new Ring(createRingBuffers({ slotCount: 4, slotSizeBytes: 8, consumers: 1 }), 8);
  const near = 0x7fff_fffe;
  ring.release(0, near);
  ring.publish(near);
  assert.equal(ring.available(0), 0);
  const after = (near + 3) | 0;
  ring.publish(after);
  assert.equal(ring.available(0), 3, 'available across the int32 wrap');
  assert.equal(ring.freeAfter(after), 1);
  assert.equal(ring.offsetOf(after), (after & 3) * 8);
  ring.release(0, after);
  assert.equal(ring.free(), 4);
});

test('bad shapes are refused', () => {
  assert.throws(() => createRingBuffers({ slotCount: 6, slotSizeBytes: 8, consumers: 1 }), /power of two/);
  assert.throws(() => createRingBuffers({ slotCount: 8, slotSizeBytes: 12, consumers: 1 }), /multiple of 8/);
});
