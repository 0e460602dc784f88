// The FlatBuffers encoding (exchange.fbs): each frame is one finished `Message` buffer with file
// identifier EXV1 whose body union holds the message. Converts between the generated API and the
// message types of messages.ts; decoded frames pass the same validator as msgpack frames.
import { ProtocolError } from './errors.ts';
import { decodeFlatbuffersValue } from './fbs-decode.ts';
import type { ClientMessage, ServerMessage } from './messages.ts';
import { validateClientMessage, validateServerMessage } from './validate.ts';

export { encodeFlatbuffersMessage } from './fbs-encode.ts';

export function decodeFlatbuffersClientMessage(bytes: Uint8Array): ClientMessage | ProtocolError {
  const value = decodeFlatbuffersValue(bytes);
  return value instanceof ProtocolError ? value : validateClientMessage(value);
}

export function decodeFlatbuffersServerMessage(bytes: Uint8Array): ServerMessage | ProtocolError {
  const value = decodeFlatbuffersValue(bytes);
  return value instanceof ProtocolError ? value : validateServerMessage(value);
}
