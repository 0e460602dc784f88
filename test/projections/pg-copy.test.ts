// Proves the binary COPY writer lays out what PostgreSQL's binary format expects: the header, a field
// count per row, each field's length and big-endian value (bigint both sides of 2^32 and negative,
// timestamps from the 2000 epoch, UTF-8 text, NULL as -1), the trailer; and refuses what bigint cannot hold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CopyWriter } from '../../projections/pg-copy.ts';

const HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const POSTGRES_EPOCH_UNIX_US = 946_684_800_000_000;

/** Reads the fields of every row back: numbers for 8-byte fields, strings otherwise, null for NULL. */
function readBack(data: Buffer, kinds: readonly ('int64' | 'int32' | 'text' | 'bool')[]): (bigint | number | string | boolean | null)[][] {
  assert.deepEqual(data.subarray(0, HEADER.length), HEADER, 'signature, flags and header extension');
  const rows: (bigint | number | string | boolean | null)[][] = [];
  let pos = HEADER.length;
  for (;;) {
    const fields = data.readInt16BE(pos);
    pos += 2;
    if (fields === -1) break;
    assert.equal(fields, kinds.length);
    const row: (bigint | number | string | boolean | null)[] = [];
    for (const kind of kinds) {
      const length = data.readInt32BE(pos);
      pos += 4;
      if (length === -1) {
        row.push(null);
        continue;
      }
      const value = data.subarray(pos, pos + length);
      pos += length;
      row.push(kind === 'int64' ? value.readBigInt64BE() : kind === 'int32' ? value.readInt32BE() : kind === 'bool' ? value[0] === 1 : value.toString('utf8'));
    }
    rows.push(row);
  }
  assert.equal(pos, data.length, 'nothing after the trailer');
  return rows;
}

test('rows are encoded field by field as binary COPY reads them', () => {
  const bigints = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -(2 ** 32), -(2 ** 53 - 1)];
  const w = new CopyWriter();
  for (const n of bigints) {
    w.row(5);
    w.int64(n);
    w.int32(-n % 2 ** 31 | 0);
    w.text(n % 2 === 0 ? 'buy' : 'bénéfice €');
    w.timestamptzOrNull(n === 0 ? null : 1_767_225_600_000_000);
    w.bool(n > 0);
  }
  assert.equal(w.rows, bigints.length);
  const rows = readBack(w.finish(), ['int64', 'int32', 'text', 'int64', 'bool']);
  assert.deepEqual(rows, bigints.map((n) => [BigInt(n), -n % 2 ** 31 | 0, n % 2 === 0 ? 'buy' : 'bénéfice €',
    n === 0 ? null : BigInt(1_767_225_600_000_000 - POSTGRES_EPOCH_UNIX_US), n > 0]));
});

test('the buffer grows as rows are written, and what was written stays', () => {
  const w = new CopyWriter();
  const count = 50_000;
  for (let i = 0; i < count; i++) {
    w.row(2);
    w.int64(i * 1_000_003);
    w.text(`row ${i}`);
  }
  const rows = readBack(w.finish(), ['int64', 'text']);
  assert.equal(rows.length, count);
  assert.deepEqual(rows[count - 1], [BigInt((count - 1) * 1_000_003), `row ${count - 1}`]);
  assert.deepEqual(rows[12_345], [BigInt(12_345 * 1_000_003), 'row 12345']);
});

test('a bigint field refuses values that are not safe integers', () => {
  for (const bad of [0.5, -0.5, 2 ** 53, -(2 ** 53), Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => new CopyWriter().int64(bad), RangeError, String(bad));
  }
});
