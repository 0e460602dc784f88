// Gateway-level errors: what an `error` frame says when a frame, a field, the session or the server
// refuses a request before it reaches the core (the core's own outcomes arrive as execution reports
// with its result codes). One table, codes 9001.., never renumbered and never reused; README.md
// documents each (test/gateway/protocol/errors.test.ts checks both ways).
import type { ErrorMessage } from './messages.ts';

export const GatewayErrorCode = {
  BAD_FRAME: 9001,
  FRAME_TOO_LARGE: 9002,
  UNKNOWN_MESSAGE: 9003,
  BAD_FIELD: 9004,
  NOT_LOGGED_IN: 9005,
  AUTH_FAILED: 9006,
  TOKEN_EXPIRED: 9007,
  FORBIDDEN: 9008,
  RATE_LIMITED: 9009,
  UNKNOWN_SYMBOL: 9010,
  BAD_DECIMAL: 9011,
  SERVER_BUSY: 9012,
  SHUTTING_DOWN: 9013,
  NOT_LEADER: 9014,
  SUBSCRIPTIONS_MAX: 9015,
} as const;

export type GatewayErrorName = keyof typeof GatewayErrorCode;
export type GatewayErrorCode = (typeof GatewayErrorCode)[GatewayErrorName];

/**
 * A request refused at the gateway, and what the decoders return (not throw) for a frame that is
 * not a valid message. Plain data, not an Error: a refusal is an expected outcome, and a hostile
 * client must not make the gateway pay for a stack trace per bad frame. `requestId` is set when the
 * frame carried a readable one, so the reply can name the request.
 */
export class ProtocolError {
  readonly code: GatewayErrorCode;

  constructor(readonly name: GatewayErrorName, readonly message: string, readonly requestId?: number) {
    this.code = GatewayErrorCode[name];
  }
}

/** The `error` frame that answers a protocol error. */
export function errorMessageOf(error: ProtocolError): ErrorMessage {
  const message: ErrorMessage = { type: 'error', code: error.code, name: error.name, message: error.message };
  if (error.requestId !== undefined) message.requestId = error.requestId;
  return message;
}
