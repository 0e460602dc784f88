// Proves the zig-zag and unsigned varints match Kafka's byte encoding at the boundaries, decode the same inside a
// longer buffer as at its end, and reject overlong, out-of-range or cut-off input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VarintError, readUvarint32, readVarint, readVarlong, uvarintSizeBytes, varintSizeBytes, writeUvarint, writeVarint } from '../../journal/varint.ts';

const VECTORS: ReadonlyArray<readonly [number, readonly number[]]> = [
  [0, [0x00]],
  [-1, [0x01]],
  [1, [0x02]],
  [-64, [0x7f]],
  [64, [0x80, 0x01]],
  [2_147_483_647, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
  [-2_147_483_648, [0xff, 0xff, 0xff, 0xff, 0x0f]],
];

test('varints encode to Kafka zig-zag bytes and decode back', () => {
  for (const [value, expected] of VECTORS) {
    const bytes = new Uint8Array(10);
    const end = writeVarint(bytes, 0, value);
    assert.deepEqual([...bytes.subarray(0, end)], expected, `encoding of ${value}`);
    assert.equal(varintSizeBytes(value), expected.length);
    const cursor = { bytes, pos: 0 };
    assert.equal(readVarint(cursor, end), value);
    assert.equal(cursor.pos, end);
  }
});

test('unsigned varints (flexible versions) encode to Kafka bytes, decode back, and stop at 32 bits', () => {
  const vectors: ReadonlyArray<readonly [number, readonly number[]]> = [
    [0, [0x00]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [4_294_967_295, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];
  for (const [value, expected] of vectors) {
    const bytes = new Uint8Array(8).fill(0xff);
    const end = writeUvarint(bytes, 1, value);
    assert.deepEqual([...bytes.subarray(1, end)], expected, `encoding of ${value}`);
    assert.equal(uvarintSizeBytes(value), expected.length);
    const cursor = { bytes, pos: 1 };
    assert.equal(readUvarint32(cursor, bytes.length), value);
    assert.equal(cursor.pos, end);
  }
  const reject = (bytes: number[], defect: string): void => {
    assert.throws(() => readUvarint32({ bytes: Uint8Array.from(bytes), pos: 0 }, bytes.length), (error: unknown) => error instanceof VarintError && error.defect === defect);
  };
  reject([0x80, 0x80, 0x80, 0x80, 0x10], 'overflow');
  reject([0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 'overflow');
  reject([0xff, 0xff], 'truncated');
});

test('varlongs round-trip large and negative values up to the safe-integer range', () => {
  for (const value of [2 ** 31, -(2 ** 31) - 1, 1_767_225_600_000, -1_767_225_600_000, 2 ** 52 - 1, -(2 ** 52)]) {
    const bytes = new Uint8Array(10);
    const end = writeVarint(bytes, 0, value);
    assert.equal(end, varintSizeBytes(value));
    assert.equal(readVarlong({ bytes, pos: 0 }, end), value);
  }
});

test('overlong, out-of-range and cut-off varints are rejected', () => {
  const reject = (bytes: number[], read: typeof readVarint, defect: string): void => {
    assert.throws(
      () => read({ bytes: Uint8Array.from(bytes), pos: 0 }, bytes.length),
      (error: unknown) => error instanceof VarintError && error.defect === defect,
    );
  };
  reject([0x80, 0x80, 0x80, 0x80, 0x80, 0x00], readVarint, 'overflow');
  reject([0xff, 0xff, 0xff, 0xff, 0x1f], readVarint, 'overflow');
  reject([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], readVarlong, 'overflow');
  reject([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], readVarlong, 'overflow');
  reject([0x80, 0x80], readVarint, 'truncated');
});

test('a varint followed by more bytes decodes exactly as one that ends the buffer, at every size', () => {
  const values: number[] = [];
  for (let bits = 0; bits <= 31; bits++) values.push(2 ** bits - 1, 2 ** bits, -(2 ** bits), -(2 ** bits) + 1);
  for (const value of values.filter((v) => v >= -(2 ** 31) && v <= 2 ** 31 - 1)) {
    for (const trailing of [0x00, 0x7f, 0x80, 0xff]) {
      const bytes = new Uint8Array(16).fill(trailing);
      const end = writeVarint(bytes, 3, value);
      const inside = { bytes, pos: 3 };
      assert.equal(readVarint(inside, bytes.length), value, `${value} followed by 0x${trailing.toString(16)}`);
      assert.equal(inside.pos, end);
      const atEnd = { bytes: bytes.subarray(0, end), pos: 3 };
      assert.equal(readVarint(atEnd, end), value);
      assert.equal(readVarlong({ bytes, pos: 3 }, bytes.length), value);
    }
  }
});
