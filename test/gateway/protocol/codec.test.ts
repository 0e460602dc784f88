// Proves subprotocol negotiation picks the client's first supported choice, each encoding maps to its subprotocol and back, frames of one encoding are refused by the other, and an oversized message is refused on encode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ENCODINGS, SUBPROTOCOL_FLATBUFFERS, SUBPROTOCOL_MSGPACK, decodeClientMessage, encodeClientMessage, encodeServerMessage, encodingOf,
  negotiateSubprotocol, subprotocolOf,
} from '../../../gateway/protocol/codec.ts';
import { ProtocolError } from '../../../gateway/protocol/errors.ts';
import { BOOK_DEPTH_MAX, DECIMAL_LENGTH_MAX } from '../../../gateway/protocol/messages.ts';
import type { PriceLevel } from '../../../gateway/protocol/messages.ts';

test('negotiation accepts the first subprotocol the client offers that the protocol speaks', () => {
  assert.equal(negotiateSubprotocol('exchange.v1.flatbuffers, exchange.v1.msgpack'), SUBPROTOCOL_FLATBUFFERS);
  assert.equal(negotiateSubprotocol('chat, exchange.v1.msgpack,exchange.v1.flatbuffers'), SUBPROTOCOL_MSGPACK);
  assert.equal(negotiateSubprotocol(new Set(['x', SUBPROTOCOL_MSGPACK])), SUBPROTOCOL_MSGPACK);
  assert.equal(negotiateSubprotocol('exchange.v2.msgpack, chat'), undefined);
  assert.equal(negotiateSubprotocol(''), undefined);
  assert.equal(negotiateSubprotocol(undefined), undefined);
});

test('each encoding has its subprotocol and back; other names have no encoding', () => {
  for (const encoding of ENCODINGS) assert.equal(encodingOf(subprotocolOf(encoding)), encoding);
  assert.equal(subprotocolOf('msgpack'), 'exchange.v1.msgpack');
  assert.equal(subprotocolOf('flatbuffers'), 'exchange.v1.flatbuffers');
  assert.equal(encodingOf('exchange.v1.json'), undefined);
});

test('a frame of one encoding is refused by the other as BAD_FRAME', () => {
  const ping = { type: 'ping', requestId: 1 } as const;
  const asMsgpack = decodeClientMessage('flatbuffers', encodeClientMessage('msgpack', ping));
  const asFlatbuffers = decodeClientMessage('msgpack', encodeClientMessage('flatbuffers', ping));
  assert.ok(asMsgpack instanceof ProtocolError && asMsgpack.name === 'BAD_FRAME');
  assert.ok(asFlatbuffers instanceof ProtocolError && asFlatbuffers.name === 'BAD_FRAME');
});

test('a message that would exceed the frame limit throws on encode, in both encodings', () => {
  // A full-depth snapshot of the longest decimals does not fit 64 KiB: the sender must send less.
  const long = '9'.repeat(DECIMAL_LENGTH_MAX);
  const levels: PriceLevel[] = Array.from({ length: BOOK_DEPTH_MAX }, () => [long, long]);
  for (const encoding of ENCODINGS) {
    assert.throws(() => encodeServerMessage(encoding, { type: 'bookSnapshot', symbol: 'X', seq: 1, bids: levels, asks: levels }), /frame limit/);
  }
});
