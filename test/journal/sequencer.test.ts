// Proves the sequencer stamps consecutive seqs and a time that never goes back (the larger of the last time and the clock), continues from a recovered point, and refuses a clock that does not return whole microseconds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSafeU64LE } from '../../journal/bytes.ts';
import { COMMAND_SEQ_OFFSET_BYTES, COMMAND_TIME_US_OFFSET_BYTES } from '../../journal/record-layout.ts';
import { Sequencer, stepClockUs } from '../../journal/sequencer.ts';

const SLOT_SIZE_BYTES = 128;

function stampAll(sequencer: Sequencer, count: number): { seqs: number[]; timesUs: number[] } {
  const slots = new Uint8Array(count * SLOT_SIZE_BYTES);
  const returned = Array.from({ length: count }, (_, index) => sequencer.stamp(slots, index * SLOT_SIZE_BYTES));
  const seqs = returned.map((_, index) => readSafeU64LE(slots, index * SLOT_SIZE_BYTES + COMMAND_SEQ_OFFSET_BYTES));
  assert.deepEqual(seqs, returned);
  const timesUs = returned.map((_, index) => readSafeU64LE(slots, index * SLOT_SIZE_BYTES + COMMAND_TIME_US_OFFSET_BYTES));
  return { seqs, timesUs };
}

test('seqs are consecutive from seqLast + 1 and time is the running maximum of the clock', () => {
  const readings = [500, 700, 650, 650, 900, 100, 901];
  let reading = 0;
  const sequencer = new Sequencer(() => readings[reading++]!, 41, 600);
  const { seqs, timesUs } = stampAll(sequencer, readings.length);
  assert.deepEqual(seqs, [42, 43, 44, 45, 46, 47, 48]);
  assert.deepEqual(timesUs, [600, 700, 700, 700, 900, 900, 901]);
  assert.equal(sequencer.seqLast, 48);
  assert.equal(sequencer.timeUsLast, 901);
});

test('the step clock gives time = seq from (1, 1), as compileFlow does', () => {
  const { seqs, timesUs } = stampAll(new Sequencer(stepClockUs(1, 1), 0, 0), 5);
  assert.deepEqual(timesUs, seqs);
});

test('a clock that returns fractions, negatives or unsafe numbers is refused before anything is stamped', () => {
  for (const bad of [1.5, -1, Number.NaN, 2 ** 60]) {
    const sequencer = new Sequencer(() => bad, 7, 0);
    assert.throws(() => sequencer.stamp(new Uint8Array(SLOT_SIZE_BYTES), 0), RangeError);
    assert.equal(sequencer.seqLast, 7);
  }
  assert.throws(() => new Sequencer(stepClockUs(1, 1), -1, 0), RangeError);
  assert.throws(() => new Sequencer(stepClockUs(1, 1), 0, 0.5), RangeError);
});
