// Proves the validator and both decoders refuse each malformed frame or field with the right gateway error, name the field, echo a readable requestId, and accept the edge values that are valid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Builder, ByteBuffer } from 'flatbuffers';
import { Encoder } from '@msgpack/msgpack';
import { decodeClientMessage, decodeServerMessage } from '../../../gateway/protocol/codec.ts';
import { GatewayErrorCode, ProtocolError } from '../../../gateway/protocol/errors.ts';
import type { GatewayErrorName } from '../../../gateway/protocol/errors.ts';
import * as fb from '../../../gateway/protocol/fbs/exchange_generated.ts';
import { FRAME_SIZE_BYTES_MAX, REQUEST_ID_MAX } from '../../../gateway/protocol/messages.ts';
import { validateClientMessage, validateServerMessage } from '../../../gateway/protocol/validate.ts';

const PLACE = { type: 'place', requestId: 77, symbol: 'BTC-USD', side: 'buy', orderType: 'limit', timeInForce: 'GTC', qty: '1', price: '100' };
const CANCEL = { type: 'cancel', requestId: 5, symbol: 'BTC-USD', orderId: 9 };
const SUBSCRIBE = { type: 'subscribe', requestId: 6, channel: 'book', symbol: 'BTC-USD' };
const patched = (base: object, patch: object): object => ({ ...base, ...patch });
const without = (base: object, key: string): object => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));

function assertRefused(result: unknown, name: GatewayErrorName, mentions: string, requestId?: number): void {
  assert.ok(result instanceof ProtocolError, `refused with ${name}: ${JSON.stringify(result)}`);
  assert.equal(result.name, name, result.message);
  assert.equal(result.code, GatewayErrorCode[name]);
  assert.ok(result.message.includes(mentions), `"${result.message}" mentions ${mentions}`);
  assert.equal(result.requestId, requestId);
}

const CLIENT_CASES: readonly [why: string, value: unknown, name: GatewayErrorName, mentions: string, requestId?: number][] = [
  ['an array, not a map', [1, 2], 'BAD_FRAME', 'map'],
  ['a string, not a map', 'place', 'BAD_FRAME', 'map'],
  ['nil', null, 'BAD_FRAME', 'map'],
  ['no type', without(PLACE, 'type'), 'UNKNOWN_MESSAGE', 'undefined', 77],
  ['a numeric type', patched(PLACE, { type: 2 }), 'UNKNOWN_MESSAGE', '2', 77],
  ['an unknown type', patched(PLACE, { type: 'placeOrder' }), 'UNKNOWN_MESSAGE', 'placeOrder', 77],
  ['a server message sent by a client', { type: 'pong', requestId: 3, serverTimeMs: 1 }, 'UNKNOWN_MESSAGE', 'pong is not a client message', 3],
  ['no requestId', without(PLACE, 'requestId'), 'BAD_FIELD', 'place.requestId is required'],
  ['a string requestId', patched(PLACE, { requestId: '7' }), 'BAD_FIELD', 'place.requestId'],
  ['a negative requestId', patched(PLACE, { requestId: -1 }), 'BAD_FIELD', 'place.requestId'],
  ['a fractional requestId', patched(PLACE, { requestId: 1.5 }), 'BAD_FIELD', 'place.requestId'],
  ['a NaN requestId', patched(PLACE, { requestId: Number.NaN }), 'BAD_FIELD', 'place.requestId'],
  ['a requestId past u32', patched(PLACE, { requestId: REQUEST_ID_MAX + 1 }), 'BAD_FIELD', 'place.requestId'],
  ['an extra field', patched(PLACE, { leverage: 10 }), 'BAD_FIELD', '"leverage"', 77],
  ['a missing qty', without(PLACE, 'qty'), 'BAD_FIELD', 'place.qty is required', 77],
  ['a side in capitals', patched(PLACE, { side: 'BUY' }), 'BAD_FIELD', 'place.side', 77],
  ['an unknown order type', patched(PLACE, { orderType: 'trailing_stop' }), 'BAD_FIELD', 'place.orderType', 77],
  ['an unknown time in force', patched(PLACE, { timeInForce: 'DAY' }), 'BAD_FIELD', 'place.timeInForce', 77],
  ['an unknown STP mode', patched(PLACE, { stp: 'cancel' }), 'BAD_FIELD', 'place.stp', 77],
  ['a numeric postOnly', patched(PLACE, { postOnly: 1 }), 'BAD_FIELD', 'place.postOnly', 77],
  ['nil for an optional field', patched(PLACE, { price: null }), 'BAD_DECIMAL', 'place.price', 77],
  ['an empty symbol', patched(PLACE, { symbol: '' }), 'BAD_FIELD', 'place.symbol', 77],
  ['a symbol of 33 characters', patched(PLACE, { symbol: 'A'.repeat(33) }), 'BAD_FIELD', 'place.symbol', 77],
  ['a symbol with a space', patched(PLACE, { symbol: 'BTC USD' }), 'BAD_FIELD', 'place.symbol', 77],
  ['a non-ASCII symbol', patched(PLACE, { symbol: 'BTC€' }), 'BAD_FIELD', 'place.symbol', 77],
  ['clientOrderId 0', patched(PLACE, { clientOrderId: 0 }), 'BAD_FIELD', 'place.clientOrderId', 77],
  ['a negative clientOrderId', patched(PLACE, { clientOrderId: -5 }), 'BAD_FIELD', 'place.clientOrderId', 77],
  ['a fractional clientOrderId', patched(PLACE, { clientOrderId: 2.5 }), 'BAD_FIELD', 'place.clientOrderId', 77],
  ['a clientOrderId of 2^53', patched(PLACE, { clientOrderId: 2 ** 53 }), 'BAD_FIELD', 'place.clientOrderId', 77],
  ['an infinite clientOrderId', patched(PLACE, { clientOrderId: Number.POSITIVE_INFINITY }), 'BAD_FIELD', 'place.clientOrderId', 77],
  ['an expiry past what microseconds can hold', patched(PLACE, { expireTimeMs: 2 ** 50 }), 'BAD_FIELD', 'place.expireTimeMs', 77],
  ['a numeric qty', patched(PLACE, { qty: 1.5 }), 'BAD_DECIMAL', 'place.qty', 77],
  ['cancel naming no order', without(CANCEL, 'orderId'), 'BAD_FIELD', 'exactly one of orderId and clientOrderId', 5],
  ['cancel naming two orders', patched(CANCEL, { clientOrderId: 3 }), 'BAD_FIELD', 'exactly one of orderId and clientOrderId', 5],
  ['cancel with orderId 0', patched(CANCEL, { orderId: 0 }), 'BAD_FIELD', 'cancel.orderId', 5],
  ['replace naming no order', { type: 'replace', requestId: 4, symbol: 'X', price: '1', qty: '1' }, 'BAD_FIELD', 'exactly one', 4],
  ['depth 0', patched(SUBSCRIBE, { depth: 0 }), 'BAD_FIELD', 'subscribe.depth', 6],
  ['depth 501', patched(SUBSCRIBE, { depth: 501 }), 'BAD_FIELD', 'subscribe.depth', 6],
  ['depth on the trades channel', patched(SUBSCRIBE, { channel: 'trades', depth: 5 }), 'BAD_FIELD', 'book channel only', 6],
  ['an unknown channel', patched(SUBSCRIBE, { channel: 'orders' }), 'BAD_FIELD', 'subscribe.channel', 6],
  ['an empty token', { type: 'login', requestId: 1, token: '' }, 'BAD_FIELD', 'login.token', 1],
  ['a token with a space', { type: 'login', requestId: 1, token: 'a b' }, 'BAD_FIELD', 'login.token', 1],
  ['a token past its limit', { type: 'login', requestId: 1, token: 'a'.repeat(8_193) }, 'BAD_FIELD', 'login.token', 1],
  ['a ping with a negative time', { type: 'ping', requestId: 1, timeMs: -1 }, 'BAD_FIELD', 'ping.timeMs', 1],
];

for (const [why, value, name, mentions, requestId] of CLIENT_CASES) {
  test(`client message refused: ${why}`, () => assertRefused(validateClientMessage(value), name, mentions, requestId));
}

const BAD_DECIMALS = ['01.5', '00', '1e3', '-1', '+1', '.5', '1.', '', ' 1', '1 ', '1,5', '0x10', 'Infinity', 'NaN', '１', '1.2.3', '9'.repeat(41)];
const GOOD_DECIMALS = ['0', '10', '0.5', '1.50', '0.000000001', '9'.repeat(40)];

test('non-canonical decimals are refused with BAD_DECIMAL naming the field', () => {
  for (const qty of BAD_DECIMALS) assertRefused(validateClientMessage(patched(PLACE, { qty })), 'BAD_DECIMAL', 'place.qty', 77);
});

test('canonical decimals, the largest ids and every optional field are accepted unchanged', () => {
  for (const qty of GOOD_DECIMALS) assert.deepEqual(validateClientMessage(patched(PLACE, { qty })), patched(PLACE, { qty }));
  const full = patched(PLACE, {
    requestId: REQUEST_ID_MAX, stopPrice: '1', stopLimitPrice: '2', displayQty: '1', expireTimeMs: 0, postOnly: false, stp: 'none',
    quoteBudget: '5', clientOrderId: Number.MAX_SAFE_INTEGER, cancelOnDisconnect: true,
  });
  assert.deepEqual(validateClientMessage(full), full);
});

const SNAPSHOT = { type: 'bookSnapshot', symbol: 'X', seq: 1, bids: [['1', '1']], asks: [] };
const SERVER_CASES: readonly [why: string, value: unknown, name: GatewayErrorName, mentions: string, requestId?: number][] = [
  ['a client message sent by the server', PLACE, 'UNKNOWN_MESSAGE', 'place is not a server message', 77],
  ['a snapshot level with qty 0', patched(SNAPSHOT, { bids: [['1', '0']] }), 'BAD_DECIMAL', 'bookSnapshot.bids'],
  ['a snapshot level with price 0', patched(SNAPSHOT, { asks: [['0', '1']] }), 'BAD_DECIMAL', 'bookSnapshot.asks'],
  ['a level of three strings', patched(SNAPSHOT, { bids: [['1', '1', '1']] }), 'BAD_FIELD', 'bookSnapshot.bids'],
  ['a level as a map', patched(SNAPSHOT, { bids: [{ price: '1', qty: '1' }] }), 'BAD_FIELD', 'bookSnapshot.bids'],
  ['a snapshot deeper than 500', patched(SNAPSHOT, { bids: Array.from({ length: 501 }, () => ['1', '1']) }), 'BAD_FIELD', 'bookSnapshot.bids'],
  ['a bbo price without its quantity', { type: 'bbo', symbol: 'X', seq: 1, bidPrice: '1' }, 'BAD_FIELD', 'bidQty'],
  ['17 roles', { type: 'loginAccepted', requestId: 1, account: 'a', roles: Array.from({ length: 17 }, () => 'r'), sessionId: 1 }, 'BAD_FIELD', 'loginAccepted.roles', 1],
  ['an error name in lower case', { type: 'error', code: 9001, name: 'bad_frame', message: '' }, 'BAD_FIELD', 'error.name'],
  ['an execution report of an unknown kind', { type: 'executionReport', kind: 'done', symbol: 'X', seq: 1, timeMs: 1 }, 'BAD_FIELD', 'executionReport.kind'],
];

for (const [why, value, name, mentions, requestId] of SERVER_CASES) {
  test(`server message refused: ${why}`, () => assertRefused(validateServerMessage(value), name, mentions, requestId));
}

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const msgpack = (value: unknown): Uint8Array => new Encoder().encode(value);

test('msgpack frames the decoder refuses are BAD_FRAME, and never reach the validator', () => {
  const place = msgpack(PLACE);
  const frames: [string, Uint8Array][] = [
    ['an empty frame', new Uint8Array(0)],
    ['the never-used byte c1', hex('c1')],
    ['a map with trailing bytes', Uint8Array.from([...place, 0x00])],
    ['a truncated map', place.subarray(0, place.length - 3)],
    ['binary data', msgpack({ ...PLACE, symbol: new Uint8Array([1, 2, 3]) })],
    ['a timestamp extension', msgpack({ ...PLACE, symbol: new Date(0) })],
    ['a map of 33 keys', msgpack(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])))],
    ['an array of 1001 values', msgpack({ ...PLACE, qty: Array.from({ length: 1001 }, () => 0) })],
    ['a __proto__ key', hex('81 a9 5f5f70726f746f5f5f 81 a5 61646d696e c3')],
    ['a string claiming 4 GiB', hex('81 a4 74797065 db ffffffff 61')],
  ];
  for (const [why, frame] of frames) {
    const result = decodeClientMessage('msgpack', frame);
    assert.ok(result instanceof ProtocolError && result.name === 'BAD_FRAME', `${why}: ${String(result)}`);
  }
  assert.equal(({} as Record<string, unknown>)['admin'], undefined);
});

test('msgpack numbers are refused when they are floats, NaN or past 2^53', () => {
  assertRefused(decodeClientMessage('msgpack', msgpack({ ...PLACE, requestId: 1.5 })), 'BAD_FIELD', 'place.requestId');
  assertRefused(decodeClientMessage('msgpack', msgpack({ ...PLACE, clientOrderId: Number.NaN })), 'BAD_FIELD', 'place.clientOrderId', 77);
  const big = new Encoder({ useBigInt64: true }).encode({ ...PLACE, clientOrderId: 2n ** 53n + 1n });
  assertRefused(decodeClientMessage('msgpack', big), 'BAD_FIELD', 'place.clientOrderId', 77);
  assertRefused(decodeClientMessage('msgpack', msgpack({ ...PLACE, 1: 'x' })), 'BAD_FIELD', '"1"', 77);
});

test('a frame larger than FRAME_SIZE_BYTES_MAX is refused before decoding, in both encodings', () => {
  const frame = new Uint8Array(FRAME_SIZE_BYTES_MAX + 1);
  for (const encoding of ['msgpack', 'flatbuffers'] as const) {
    assertRefused(decodeClientMessage(encoding, frame), 'FRAME_TOO_LARGE', `${FRAME_SIZE_BYTES_MAX}`);
    assertRefused(decodeServerMessage(encoding, frame), 'FRAME_TOO_LARGE', `${FRAME_SIZE_BYTES_MAX}`);
  }
});

function finished(b: Builder, type: number, body: number): Uint8Array {
  fb.Message.finishMessageBuffer(b, fb.Message.createMessage(b, type, body));
  return b.asUint8Array().slice();
}

test('FlatBuffers frames: wrong identifier, unknown body, out-of-range values and missing required fields', () => {
  assertRefused(decodeClientMessage('flatbuffers', hex('0800000045585632')), 'BAD_FRAME', 'EXV1');
  assertRefused(decodeClientMessage('flatbuffers', hex('0400')), 'BAD_FRAME', 'at least');
  let b = new Builder(64);
  fb.Ping.startPing(b);
  fb.Ping.addRequestId(b, 1);
  assertRefused(decodeClientMessage('flatbuffers', finished(b, 99, fb.Ping.endPing(b))), 'UNKNOWN_MESSAGE', '99');

  b = new Builder(64);
  const symbol = b.createString('X');
  fb.Cancel.startCancel(b);
  fb.Cancel.addRequestId(b, 3);
  fb.Cancel.addSymbol(b, symbol);
  fb.Cancel.addOrderId(b, 2n ** 53n);
  assertRefused(decodeClientMessage('flatbuffers', finished(b, fb.Body.Cancel, fb.Cancel.endCancel(b))), 'BAD_FIELD', 'cancel.orderId', 3);

  b = new Builder(64);
  fb.Subscribe.startSubscribe(b);
  fb.Subscribe.addRequestId(b, 4);
  fb.Subscribe.addChannel(b, 9 as fb.Channel);
  assertRefused(decodeClientMessage('flatbuffers', finished(b, fb.Body.Subscribe, b.endObject())), 'BAD_FIELD', 'subscribe.channel', 4);

  b = new Builder(64);
  const token = b.createString('t');
  fb.Login.startLogin(b);
  fb.Login.addToken(b, token);
  assertRefused(decodeClientMessage('flatbuffers', finished(b, fb.Body.Login, fb.Login.endLogin(b))), 'BAD_FIELD', 'login.requestId is required');

  b = new Builder(64);
  const account = b.createString('a');
  fb.LoginAccepted.startLoginAccepted(b);
  fb.LoginAccepted.addRequestId(b, 5);
  fb.LoginAccepted.addAccount(b, account);
  fb.LoginAccepted.addSessionId(b, 1);
  assertRefused(decodeServerMessage('flatbuffers', finished(b, fb.Body.LoginAccepted, b.endObject())), 'BAD_FIELD', 'loginAccepted.roles is required', 5);
});

test('a FlatBuffers vector claiming more elements than any message has is BAD_FRAME', () => {
  const b = new Builder(64);
  const roles = fb.LoginAccepted.createRolesVector(b, []);
  const account = b.createString('a');
  const body = fb.LoginAccepted.createLoginAccepted(b, 1, account, roles, 1);
  const frame = finished(b, fb.Body.LoginAccepted, body);
  const bb = new ByteBuffer(frame);
  const table = fb.Message.getRootAsMessage(bb).body(new fb.LoginAccepted()) as fb.LoginAccepted;
  const rolesLengthAt = bb.__vector(table.bb_pos + bb.__offset(table.bb_pos, 8)) - 4;
  new DataView(frame.buffer).setUint32(rolesLengthAt, 0x7fff_ffff, true);
  assertRefused(decodeServerMessage('flatbuffers', frame), 'BAD_FRAME', 'more than');
});
