// The protocol's entry point for both ends: the encoding a connection speaks is chosen by its
// WebSocket subprotocol, and every frame is encoded and decoded here, with the frame size limit
// applied in both directions.
import { ProtocolError } from './errors.ts';
import { decodeFlatbuffersClientMessage, decodeFlatbuffersServerMessage, encodeFlatbuffersMessage } from './flatbuffers.ts';
import { FRAME_SIZE_BYTES_MAX } from './messages.ts';
import type { AnyMessage, ClientMessage, ServerMessage } from './messages.ts';
import { decodeMsgpackClientMessage, decodeMsgpackServerMessage, encodeMsgpackMessage } from './msgpack.ts';

export const ENCODINGS = ['msgpack', 'flatbuffers'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const SUBPROTOCOL_MSGPACK = 'exchange.v1.msgpack';
export const SUBPROTOCOL_FLATBUFFERS = 'exchange.v1.flatbuffers';

const SUBPROTOCOL_BY_ENCODING: Readonly<Record<Encoding, string>> = { msgpack: SUBPROTOCOL_MSGPACK, flatbuffers: SUBPROTOCOL_FLATBUFFERS };
const ENCODING_BY_SUBPROTOCOL: ReadonlyMap<string, Encoding> = new Map(ENCODINGS.map((e) => [SUBPROTOCOL_BY_ENCODING[e], e]));

export function subprotocolOf(encoding: Encoding): string {
  return SUBPROTOCOL_BY_ENCODING[encoding];
}

export function encodingOf(subprotocol: string): Encoding | undefined {
  return ENCODING_BY_SUBPROTOCOL.get(subprotocol);
}

/**
 * The subprotocol a server accepts: the first one the client offers that this protocol speaks, from a
 * Sec-WebSocket-Protocol header value ("a, b") or a list; undefined when none is (refuse the upgrade).
 */
export function negotiateSubprotocol(offered: string | Iterable<string> | undefined): string | undefined {
  if (offered === undefined) return undefined;
  const names = typeof offered === 'string' ? offered.split(',') : offered;
  for (const name of names) {
    const trimmed = name.trim();
    if (ENCODING_BY_SUBPROTOCOL.has(trimmed)) return trimmed;
  }
  return undefined;
}

function encode(encoding: Encoding, message: AnyMessage): Uint8Array {
  const bytes = encoding === 'msgpack' ? encodeMsgpackMessage(message) : encodeFlatbuffersMessage(message);
  // The receiver refuses a larger frame, so sending one is the sender's bug (e.g. a snapshot too deep for its decimals).
  if (bytes.length > FRAME_SIZE_BYTES_MAX) throw new RangeError(`${message.type} encodes to ${bytes.length} bytes, more than the ${FRAME_SIZE_BYTES_MAX}-byte frame limit`);
  return bytes;
}

function tooLarge(bytes: Uint8Array): ProtocolError | undefined {
  return bytes.length > FRAME_SIZE_BYTES_MAX
    ? new ProtocolError('FRAME_TOO_LARGE', `a frame of ${bytes.length} bytes is larger than ${FRAME_SIZE_BYTES_MAX}`)
    : undefined;
}

/** Server side. Throws RangeError only for a message that would exceed FRAME_SIZE_BYTES_MAX. */
export function encodeServerMessage(encoding: Encoding, message: ServerMessage): Uint8Array {
  return encode(encoding, message);
}

/** Server side: a client's frame as a checked message, or the error to answer with. Never throws. */
export function decodeClientMessage(encoding: Encoding, bytes: Uint8Array): ClientMessage | ProtocolError {
  return tooLarge(bytes) ?? (encoding === 'msgpack' ? decodeMsgpackClientMessage(bytes) : decodeFlatbuffersClientMessage(bytes));
}

/** Client side. Throws RangeError only for a message that would exceed FRAME_SIZE_BYTES_MAX. */
export function encodeClientMessage(encoding: Encoding, message: ClientMessage): Uint8Array {
  return encode(encoding, message);
}

/** Client side: a server frame as a checked message, or why it is not one. Never throws. */
export function decodeServerMessage(encoding: Encoding, bytes: Uint8Array): ServerMessage | ProtocolError {
  return tooLarge(bytes) ?? (encoding === 'msgpack' ? decodeMsgpackServerMessage(bytes) : decodeFlatbuffersServerMessage(bytes));
}
