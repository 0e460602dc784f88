// Recognises frames the load generator has no use for without decoding them. Balance updates are
// about half of what the venue sends a trading account, and decoding and validating one costs
// microseconds of the client's CPU, which on a small machine is taken from the server under test.
import type { Encoding } from '../gateway/protocol/codec.ts';
import { encodeServerMessage } from '../gateway/protocol/codec.ts';
import type { BalanceMessage } from '../gateway/protocol/messages.ts';

// A msgpack frame is a map whose first entry is `type` (MSGPACK.md): after the one-byte map header
// every balance frame starts with the same bytes as this one.
const BALANCE: BalanceMessage = { type: 'balance', asset: 'A', available: '0', reserved: '0', seq: 0 };
const MSGPACK_BALANCE_PREFIX = encodeServerMessage('msgpack', BALANCE).subarray(1, 1 + 1 + 'type'.length + 1 + 'balance'.length);

export function isBalanceFrame(encoding: Encoding, bytes: Uint8Array): boolean {
  if (encoding !== 'msgpack' || bytes.length <= MSGPACK_BALANCE_PREFIX.length) return false;
  for (let i = 0; i < MSGPACK_BALANCE_PREFIX.length; i++) if (bytes[i + 1] !== MSGPACK_BALANCE_PREFIX[i]) return false;
  return true;
}
