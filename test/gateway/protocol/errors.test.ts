// Proves gateway error codes are unique, start at 9001 in order, README.md documents exactly the table, and a ProtocolError becomes the error frame that names its code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GatewayErrorCode, ProtocolError, errorMessageOf } from '../../../gateway/protocol/errors.ts';

const FIRST_CODE = 9001;

test('every code is unique, and the codes run 9001, 9002, ... in the order of the table', () => {
  const codes = Object.values(GatewayErrorCode);
  assert.equal(new Set(codes).size, codes.length);
  assert.deepEqual(codes, codes.map((_, i) => FIRST_CODE + i));
});

test('README.md documents exactly the codes of the table, with their names and a meaning', () => {
  const doc = readFileSync(new URL('../../../gateway/protocol/README.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| (9\d{3}) \| ([A-Z_]+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2], m[3] ?? ''] as const);
  assert.deepEqual(rows.map(([code, name]) => [code, name]), Object.entries(GatewayErrorCode).map(([name, code]) => [code, name]));
  for (const [code, , meaning] of rows) assert.ok(meaning.trim().length > 20, `code ${code} has a meaning`);
});

test('a protocol error becomes an error frame with its code, name, text and request id', () => {
  assert.deepEqual(errorMessageOf(new ProtocolError('RATE_LIMITED', 'slow down', 12)), { type: 'error', requestId: 12, code: 9009, name: 'RATE_LIMITED', message: 'slow down' });
  assert.deepEqual(errorMessageOf(new ProtocolError('BAD_FRAME', 'not msgpack')), { type: 'error', code: 9001, name: 'BAD_FRAME', message: 'not msgpack' });
});
