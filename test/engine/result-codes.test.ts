// Proves result codes are unique, sit in their documented ranges, and docs/result-codes.md documents exactly the table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ResultCode, resultCodeName } from '../../engine/result-codes.ts';

const RANGES: readonly [prefixes: RegExp, low: number, high: number][] = [
  [/^OK$/, 0, 0],
  [/^(UNKNOWN_COMMAND|BAD_|QTY_NOT_POSITIVE|PRICE_NOT_POSITIVE|NOT_SAFE_INTEGER|AMOUNT_NOT_POSITIVE|UNUSED_FIELD_SET)/, 1000, 1999],
  [/^(UNKNOWN_|DUPLICATE_|NOT_ORDER_OWNER|SYMBOL_|NAME_TAKEN|ORDER_NOT_RESTING|SAME_ASSET|OCO_NOT_REPLACEABLE)/, 2000, 2999],
  [/^(FOK_|POST_ONLY_|PRICE_|QTY_|EXPIRE_|STOP_|MARKET_NOT|TICK_LOT)/, 3000, 3999],
  [/^(INSUFFICIENT_|MARKET_BUY_|BALANCE_)/, 4000, 4999],
  [/_MAX$/, 5000, 5999],
  [/^(CANCELLED_|UNFILLED_|STP_|OCO_|SYMBOL_CLOSING|EXPIRED|PROTECTION_|BUDGET_|MATCHES_|TRIGGERED_)/, 6000, 6999],
];

test('every code is unique', () => {
  const codes = Object.values(ResultCode);
  assert.equal(new Set(codes).size, codes.length);
});

test('every code sits in the range of its group', () => {
  for (const [name, code] of Object.entries(ResultCode)) {
    const range = code === 0 ? RANGES[0] : RANGES.slice(1).find(([, low, high]) => code >= low && code <= high);
    assert.ok(range !== undefined, `${name}=${code} is in a range`);
    assert.match(name, range[0], `${name}=${code} belongs to the ${range[1]}s`);
  }
});

test('docs/result-codes.md documents exactly the codes of the table, with their names', () => {
  const doc = readFileSync(new URL('../../docs/result-codes.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| (\d+) \| ([A-Z_]+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2], m[3] ?? ''] as const);
  assert.deepEqual(rows.map(([code, name]) => [code, name]), Object.entries(ResultCode).map(([name, code]) => [code, name]));
  for (const [code, , meaning] of rows) assert.ok(meaning.trim().length > 10, `code ${code} has a meaning`);
});

test('resultCodeName names table codes and marks others', () => {
  assert.equal(resultCodeName(ResultCode.FOK_NOT_FILLABLE), 'FOK_NOT_FILLABLE');
  assert.equal(resultCodeName(42), 'UNKNOWN_42');
});
