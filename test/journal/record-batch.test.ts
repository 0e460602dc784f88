// Proves the batch encoder writes Kafka RecordBatch v2 byte for byte (CRC-32C vector, a batch built field by field from the spec) and that the decoder rejects every malformed field with its own defect.

import { crc32c } from '@node-rs/crc32';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchDecodeError, type BatchDefect } from '../../journal/errors.ts';
import { BATCH_RECORDS_MAX, batchSizeBytesMax, encodeBatch, type BatchFormat } from '../../journal/record-batch.ts';
import { decodeBatch } from '../../journal/record-batch-decode.ts';
import { commandLayout } from '../../journal/record-layout.ts';
import { EVENT_LAYOUT, TIME_US_BASE, makeCommands, makeEvents } from './helpers.ts';

const VALUE_SIZE_BYTES = 24;
const FORMAT: BatchFormat = { layout: commandLayout(VALUE_SIZE_BYTES), seqHeader: false };
const positions = new Int32Array(BATCH_RECORDS_MAX);

function encode(records: Uint8Array, count: number, format: BatchFormat, baseOffset: number): Buffer {
  const target = Buffer.alloc(batchSizeBytesMax(count, format));
  return target.subarray(0, encodeBatch(target, records, count, format, baseOffset));
}

/** An independent spec-following writer: Kafka's zig-zag varint. */
function specVarint(value: number): number[] {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  const bytes: number[] = [];
  while (raw >= 0x80) {
    bytes.push((raw % 0x80) | 0x80);
    raw = Math.floor(raw / 0x80);
  }
  bytes.push(raw);
  return bytes;
}

function specBatch(baseOffset: number, values: Buffer[], timestampsMs: number[]): Buffer {
  const records = values.map((value, index) => {
    const body = Buffer.from([
      0,
      ...specVarint(timestampsMs[index]! - timestampsMs[0]!),
      ...specVarint(index),
      ...specVarint(-1),
      ...specVarint(value.length),
      ...value,
      ...specVarint(0),
    ]);
    return Buffer.concat([Buffer.from(specVarint(body.length)), body]);
  });
  const header = Buffer.alloc(61);
  header.writeBigInt64BE(BigInt(baseOffset), 0);
  header.writeInt32BE(49 + records.reduce((sum, record) => sum + record.length, 0), 8);
  header.writeInt32BE(0, 12);
  header.writeInt8(2, 16);
  header.writeInt16BE(0, 21);
  header.writeInt32BE(values.length - 1, 23);
  header.writeBigInt64BE(BigInt(timestampsMs[0]!), 27);
  header.writeBigInt64BE(BigInt(Math.max(...timestampsMs)), 35);
  header.writeBigInt64BE(-1n, 43);
  header.writeInt16BE(-1, 51);
  header.writeInt32BE(-1, 53);
  header.writeInt32BE(values.length, 57);
  const batch = Buffer.concat([header, ...records]);
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

test('CRC-32C of "123456789" is e3069283', () => {
  assert.equal(crc32c(Buffer.from('123456789')).toString(16), 'e3069283');
});

test('a command batch equals one built field by field from the Kafka spec', () => {
  const records = makeCommands(1000, 3, VALUE_SIZE_BYTES);
  const values = [0, 1, 2].map((index) => records.subarray(index * VALUE_SIZE_BYTES, (index + 1) * VALUE_SIZE_BYTES));
  const timestampsMs = [1000, 1001, 1002].map((seq) => Math.floor((TIME_US_BASE + seq * 337) / 1000));
  assert.deepEqual(encode(records, 3, FORMAT, 1000), specBatch(1000, values, timestampsMs));
});

test('a batch round-trips: offsets, timestamps and values come back', () => {
  const records = makeCommands(7, 100, VALUE_SIZE_BYTES);
  const batch = encode(records, 100, FORMAT, 7);
  const decoded = decodeBatch(batch, 0, FORMAT, positions);
  assert.deepEqual(decoded, {
    baseOffset: 7,
    recordCount: 100,
    sizeBytes: batch.length,
    baseTimestampMs: Math.floor((TIME_US_BASE + 7 * 337) / 1000),
    maxTimestampMs: Math.floor((TIME_US_BASE + 106 * 337) / 1000),
  });
  for (let index = 0; index < 100; index++) {
    const value = batch.subarray(positions[index]!, positions[index]! + VALUE_SIZE_BYTES);
    assert.deepEqual(value, records.subarray(index * VALUE_SIZE_BYTES, (index + 1) * VALUE_SIZE_BYTES));
  }
});

test('time going backwards inside a batch round-trips through negative timestamp deltas', () => {
  const records = makeCommands(1, 3, VALUE_SIZE_BYTES);
  records.writeBigUInt64LE(BigInt(TIME_US_BASE - 5_000_000), VALUE_SIZE_BYTES + 16);
  const decoded = decodeBatch(encode(records, 3, FORMAT, 1), 0, FORMAT, positions);
  assert.equal(decoded.baseTimestampMs, Math.floor((TIME_US_BASE + 337) / 1000));
  assert.equal(decoded.maxTimestampMs, Math.floor((TIME_US_BASE + 3 * 337) / 1000));
});

test('event batches carry a journal-seq header with the command seq, big-endian', () => {
  const format: BatchFormat = { layout: EVENT_LAYOUT, seqHeader: true };
  const events = makeEvents([5, 5, 9], 40);
  const batch = encode(events, 3, format, 40);
  assert.equal(decodeBatch(batch, 0, format, positions).baseOffset, 40);
  const valueEnd = positions[2]! + EVENT_LAYOUT.sizeBytes;
  const headerBytes = batch.subarray(valueEnd, batch.length);
  const expected = Buffer.from([...specVarint(1), ...specVarint(11), ...Buffer.from('journal-seq'), ...specVarint(8), 0, 0, 0, 0, 0, 0, 0, 9]);
  assert.deepEqual(headerBytes, expected);
});

/** A valid 2-record batch (24-byte values): records start at 61 and 92, each 31 bytes. */
function sample(): Buffer {
  return encode(makeCommands(50, 2, VALUE_SIZE_BYTES), 2, FORMAT, 50);
}

function reseal(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

function assertDefect(batch: Buffer, defect: BatchDefect): void {
  assert.throws(
    () => decodeBatch(batch, 0, FORMAT, positions),
    (error: unknown) => error instanceof BatchDecodeError && error.defect === defect,
    `expected defect ${defect}`,
  );
}

test('the record layout assumed by the malformed-field cases holds', () => {
  const batch = sample();
  assert.equal(batch.length, 61 + 2 * 31);
  assert.equal(batch[61], 60); // body length 30, zig-zag
  assert.equal(batch[92], 60);
  assert.equal(batch[96], 0x01); // second record's null key
});

test('decode rejects each malformed field with its own defect', () => {
  const cases: ReadonlyArray<readonly [BatchDefect, (batch: Buffer) => Buffer]> = [
    ['magic', (batch) => (batch.writeInt8(1, 16), batch)],
    ['crc', (batch) => ((batch[70] = batch[70]! ^ 0x01), batch)],
    ['length', (batch) => (batch.writeInt32BE(48, 8), batch)],
    ['length', (batch) => (batch.writeInt32BE(0x7fff_0000, 8), batch)],
    ['truncated', (batch) => batch.subarray(0, batch.length - 1)],
    ['attributes', (batch) => reseal((batch.writeInt16BE(1, 21), batch))],
    ['leaderEpoch', (batch) => (batch.writeInt32BE(3, 12), batch)],
    ['producer', (batch) => reseal((batch.writeBigInt64BE(5n, 43), batch))],
    ['producer', (batch) => reseal((batch.writeInt16BE(0, 51), batch))],
    ['producer', (batch) => reseal((batch.writeInt32BE(0, 53), batch))],
    ['recordCount', (batch) => reseal((batch.writeInt32BE(3, 57), batch.writeInt32BE(2, 23), batch))],
    ['recordCount', (batch) => reseal((batch.writeInt32BE(1, 57), batch.writeInt32BE(0, 23), batch))],
    ['recordCount', (batch) => reseal((batch.writeInt32BE(0, 57), batch.writeInt32BE(-1, 23), batch))],
    ['lastOffsetDelta', (batch) => reseal((batch.writeInt32BE(2, 23), batch))],
    ['offsetDelta', (batch) => reseal(((batch[95] = 4), batch))],
    ['recordAttributes', (batch) => reseal(((batch[93] = 1), batch))],
    ['key', (batch) => reseal(((batch[96] = 0), batch))],
    ['valueLength', (batch) => reseal(((batch[97] = 46), batch))],
    ['recordLength', (batch) => reseal(((batch[92] = 58), batch))],
    ['recordLength', (batch) => reseal(((batch[92] = 0x7e), batch))],
    ['headers', (batch) => reseal(((batch[122] = 2), batch))],
    ['timestamp', (batch) => reseal((batch.writeBigInt64BE(batch.readBigInt64BE(35) + 1n, 35), batch))],
    ['timestamp', (batch) => reseal((batch.writeBigInt64BE(batch.readBigInt64BE(27) - 1n, 27), batch))],
    ['seq', (batch) => reseal(((batch[98 + 8] = batch[98 + 8]! + 1), batch))],
    [
      'varintOverflow',
      (batch) => {
        const overlong = Buffer.concat([batch.subarray(0, 61), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]);
        overlong.writeInt32BE(overlong.length - 12, 8);
        overlong.writeInt32BE(1, 57);
        overlong.writeInt32BE(0, 23);
        return reseal(overlong);
      },
    ],
  ];
  for (const [defect, mutate] of cases) assertDefect(mutate(sample()), defect);
  assert.doesNotThrow(() => decodeBatch(sample(), 0, FORMAT, positions));
});
