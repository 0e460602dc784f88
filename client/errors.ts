// What a client request can fail with: the exchange refused it (an `error` frame, or the client's own
// check of the message before sending, with the same codes), or the client gave up waiting.
import type { ProtocolError } from '../gateway/protocol/errors.ts';
import type { ErrorMessage } from '../gateway/protocol/messages.ts';

/** A refusal with a gateway error code and name (gateway/protocol/README.md lists them). */
export class ExchangeError extends Error {
  readonly code: number;
  readonly errorName: string;
  readonly requestId: number | undefined;

  constructor(refusal: ErrorMessage | ProtocolError) {
    super(`${refusal.name} (${refusal.code}): ${refusal.message}`);
    this.name = 'ExchangeError';
    this.code = refusal.code;
    this.errorName = refusal.name;
    this.requestId = refusal.requestId;
  }
}

export type RequestFailure = 'timeout' | 'disconnected' | 'closed' | 'not_connected' | 'pending_max';

/** The client gave up on a request; it may or may not have reached the exchange (except not_connected and pending_max). */
export class RequestError extends Error {
  constructor(readonly reason: RequestFailure, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}
