// Proves that on 100,000 random and mutated frames per encoding, seeded and replayable (FUZZ_SEED), neither direction's decoder throws, every refusal is a table error that fits an error frame, and every accepted frame is a valid message that re-encodes to itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Encoder } from '@msgpack/msgpack';
import { ENCODINGS, decodeClientMessage, decodeServerMessage, encodeClientMessage, encodeServerMessage } from '../../../gateway/protocol/codec.ts';
import type { Encoding } from '../../../gateway/protocol/codec.ts';
import { GatewayErrorCode, ProtocolError } from '../../../gateway/protocol/errors.ts';
import { ERROR_TEXT_LENGTH_MAX } from '../../../gateway/protocol/messages.ts';
import type { AnyMessage, ClientMessage, ServerMessage } from '../../../gateway/protocol/messages.ts';
import { validateClientMessage, validateServerMessage } from '../../../gateway/protocol/validate.ts';
import { mulberry32 } from '../../../bench/mulberry32.ts';
import { CLIENT_SAMPLES, SERVER_SAMPLES } from './samples.ts';

const FRAMES_PER_ENCODING = 100_000;
const SEED = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 32));
console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays this run)`);

const random = mulberry32(SEED);
const below = (n: number): number => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[below(items.length)] as T;

const SAMPLES: readonly AnyMessage[] = [...CLIENT_SAMPLES, ...SERVER_SAMPLES].filter((m) => JSON.stringify(m).length < 4_000);
/** Values that break rules: wrong types, out of range, non-canonical decimals, huge or nested. */
const HOSTILE: readonly unknown[] = [
  -1, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32, 2 ** 53, 2 ** 64, -(2 ** 63), '', '0', '01.5', '1e3', '-1', '.5', 'buy', 'GTC', 'book',
  'x'.repeat(70), 'é', null, true, false, [], [['1', '1']], [['1', '0']], [[1, 1]], {}, { a: 1 }, new Uint8Array(0), Array.from({ length: 600 }, () => ['1', '1']),
];
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xcf, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0x90, 0x80, 0xa0];
const structural = new Encoder();
const IDENTIFIER = new TextEncoder().encode('EXV1');

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = below(256);
  return bytes;
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function mutateBytes(frame: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(frame);
  const view = new DataView(bytes.buffer);
  switch (below(7)) {
    case 0: // flip a few bits
      for (let i = below(4); i >= 0 && bytes.length > 0; i--) bytes[below(bytes.length)]! ^= 1 << below(8);
      return bytes;
    case 1: // overwrite with format bytes and extremes
      for (let i = below(4); i >= 0 && bytes.length > 0; i--) bytes[below(bytes.length)] = pick(INTERESTING_BYTES);
      return bytes;
    case 2: // a random 32-bit word: FlatBuffers offsets and lengths, msgpack lengths
      if (bytes.length >= 4) view.setInt32(below(bytes.length - 3), pick([0, -1, 0x7fff_ffff, -0x8000_0000, below(2 ** 31), bytes.length]), true);
      return bytes;
    case 3:
      return bytes.subarray(0, below(bytes.length + 1));
    case 4:
      return concat(bytes, randomBytes(1 + below(16)));
    case 5: { // splice in part of another frame
      const other = encodeAny(pick(ENCODINGS), pick(SAMPLES));
      const at = below(bytes.length + 1);
      return concat(bytes.subarray(0, at), other.subarray(below(other.length)), bytes.subarray(at + below(8)));
    }
    default: // duplicate a chunk
    {
      const at = below(bytes.length + 1);
      return concat(bytes.subarray(0, at), bytes.subarray(at, at + below(32)), bytes.subarray(at));
    }
  }
}

/** A sample with one field replaced, removed or added, or its type changed; encoded as msgpack. */
function mutateFields(): Uint8Array {
  const message: Record<string, unknown> = { ...pick(SAMPLES) };
  const keys = Object.keys(message);
  switch (below(4)) {
    case 0: message[pick(keys)] = pick(HOSTILE); break;
    case 1: delete message[pick(keys)]; break;
    case 2: message[pick(['extra', 'requestId', 'depth', 'price', '__proto__x'])] = pick(HOSTILE); break;
    default: message['type'] = pick(SAMPLES).type;
  }
  try {
    return structural.encode(message);
  } catch {
    return randomBytes(below(8));
  }
}

function encodeAny(encoding: Encoding, message: AnyMessage): Uint8Array {
  return 'token' in message || 'orderType' in message || message.type === 'cancel' || message.type === 'replace' || message.type === 'massCancel'
    || message.type === 'subscribe' || message.type === 'unsubscribe' || message.type === 'ping'
    ? encodeClientMessage(encoding, message as ClientMessage)
    : encodeServerMessage(encoding, message as ServerMessage);
}

function frame(encoding: Encoding): Uint8Array {
  const roll = below(10);
  if (roll === 0) return randomBytes(below(300));
  if (roll === 1 && encoding === 'flatbuffers') return concat(randomBytes(4), IDENTIFIER, randomBytes(below(200)));
  if (roll <= 3 && encoding === 'msgpack') return mutateFields();
  let bytes = encodeAny(encoding, pick(SAMPLES));
  for (let i = below(3); i >= 0; i--) bytes = mutateBytes(bytes);
  return bytes;
}

const CODES: ReadonlySet<number> = new Set(Object.values(GatewayErrorCode));

interface Tally {
  valid: number;
  byName: Map<string, number>;
}

function check<M extends AnyMessage>(encoding: Encoding, bytes: Uint8Array, decode: (e: Encoding, b: Uint8Array) => M | ProtocolError,
  validate: (value: unknown) => M | ProtocolError, encode: (e: Encoding, m: M) => Uint8Array, tally: Tally): void {
  const replay = (): string => `seed ${SEED}, frame ${Buffer.from(bytes).toString('hex').slice(0, 400)}`;
  let result: M | ProtocolError;
  try {
    result = decode(encoding, bytes);
  } catch (error) {
    assert.fail(`decoder threw ${String(error)}; ${replay()}`);
  }
  if (result instanceof ProtocolError) {
    if (!CODES.has(result.code) || result.message.length > ERROR_TEXT_LENGTH_MAX) {
      assert.fail(`code ${result.code} with ${result.message.length} characters of text; ${replay()}`);
    }
    tally.byName.set(result.name, (tally.byName.get(result.name) ?? 0) + 1);
    return;
  }
  tally.valid++;
  assert.deepStrictEqual(validate(result), result, replay());
  assert.deepStrictEqual(decode(encoding, encode(encoding, result)), result, replay());
}

for (const encoding of ENCODINGS) {
  test(`${encoding}: ${FRAMES_PER_ENCODING} random and mutated frames never break either decoder`, () => {
    const client: Tally = { valid: 0, byName: new Map() };
    const server: Tally = { valid: 0, byName: new Map() };
    for (let i = 0; i < FRAMES_PER_ENCODING; i++) {
      const bytes = frame(encoding);
      check(encoding, bytes, decodeClientMessage, validateClientMessage, encodeClientMessage, client);
      check(encoding, bytes, decodeServerMessage, validateServerMessage, encodeServerMessage, server);
    }
    console.log(`${encoding}: client decoder ${client.valid} valid, ${JSON.stringify(Object.fromEntries(client.byName))}; `
      + `server decoder ${server.valid} valid, ${JSON.stringify(Object.fromEntries(server.byName))}`);
    // The campaign must reach the validator, not only the byte decoder, for its verdict to mean anything.
    for (const tally of [client, server]) {
      assert.ok(tally.valid > 500, `only ${tally.valid} frames decoded to messages`);
      for (const name of ['BAD_FRAME', 'UNKNOWN_MESSAGE', 'BAD_FIELD', 'BAD_DECIMAL']) assert.ok((tally.byName.get(name) ?? 0) > 100, `${name} was reached`);
    }
  });
}
