// The msgpack encoding (MSGPACK.md): each frame is one msgpack map whose keys are the message's field
// names, `type` first; absent optional fields are left out. The decoder's own limits stop a hostile
// frame before it allocates (no binary or extension values, short maps and arrays); validate.ts
// then decides whether the map is a message.
import { Decoder, Encoder } from '@msgpack/msgpack';
import { ProtocolError } from './errors.ts';
import { BOOK_UPDATE_LEVELS_MAX, MAP_FIELDS_MAX, TOKEN_LENGTH_MAX } from './messages.ts';
import type { AnyMessage, ClientMessage, ServerMessage } from './messages.ts';
import { validateClientMessage, validateServerMessage } from './validate.ts';

/** Longest library error text quoted in a BAD_FRAME error. */
const CAUSE_LENGTH_MAX = 120;

const encoder = new Encoder({ ignoreUndefined: true });
const decoder = new Decoder({
  maxStrLength: TOKEN_LENGTH_MAX,
  maxBinLength: 0,
  maxExtLength: 0,
  maxArrayLength: BOOK_UPDATE_LEVELS_MAX,
  maxMapLength: MAP_FIELDS_MAX,
});

export function encodeMsgpackMessage(message: AnyMessage): Uint8Array {
  return encoder.encode(message);
}

function decodeValue(bytes: Uint8Array): unknown {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    const cause = error instanceof Error ? error.message.slice(0, CAUSE_LENGTH_MAX) : 'undecodable';
    return new ProtocolError('BAD_FRAME', `not one msgpack value: ${cause}`);
  }
}

export function decodeMsgpackClientMessage(bytes: Uint8Array): ClientMessage | ProtocolError {
  const value = decodeValue(bytes);
  return value instanceof ProtocolError ? value : validateClientMessage(value);
}

export function decodeMsgpackServerMessage(bytes: Uint8Array): ServerMessage | ProtocolError {
  const value = decodeValue(bytes);
  return value instanceof ProtocolError ? value : validateServerMessage(value);
}
