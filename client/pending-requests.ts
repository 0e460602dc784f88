// Requests waiting for their answer, by requestId: bounded in number, each with its own timeout, so
// a client never waits forever nor holds an unbounded map. A request settles on the first message
// of its expected type carrying its id (resolve) or an `error` carrying it (reject).
import { REQUEST_ID_MAX } from '../gateway/protocol/messages.ts';
import type { ServerMessage, ServerMessageType } from '../gateway/protocol/messages.ts';
import { ExchangeError, RequestError } from './errors.ts';

export type ServerMessageOf<K extends ServerMessageType> = Extract<ServerMessage, { type: K }>;

interface Pending {
  readonly expect: ServerMessageType;
  readonly resolve: (message: ServerMessage) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export interface Opened<K extends ServerMessageType> {
  readonly requestId: number;
  readonly promise: Promise<ServerMessageOf<K>>;
}

export class PendingRequests {
  private readonly byId = new Map<number, Pending>();
  private requestIdLast = 0;

  constructor(private readonly countMax: number, private readonly timeoutMs: number) {}

  /** A fresh request id (1.., wrapping, never one still pending) and the promise of its answer; undefined when countMax are pending. */
  open<K extends ServerMessageType>(expect: K, description: string): Opened<K> | undefined {
    if (this.byId.size >= this.countMax) return undefined;
    do this.requestIdLast = this.requestIdLast >= REQUEST_ID_MAX ? 1 : this.requestIdLast + 1;
    while (this.byId.has(this.requestIdLast));
    const requestId = this.requestIdLast;
    const promise = new Promise<ServerMessageOf<K>>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(requestId, new RequestError('timeout', `${description} (request ${requestId}) got no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.byId.set(requestId, { expect, resolve: resolve as (message: ServerMessage) => void, reject, timer });
    });
    return { requestId, promise };
  }

  /** Settles the request the message answers; true when it did. */
  settle(message: ServerMessage): boolean {
    const requestId = 'requestId' in message ? message.requestId : undefined;
    const pending = requestId === undefined ? undefined : this.byId.get(requestId);
    if (requestId === undefined || pending === undefined) return false;
    if (message.type === 'error') {
      this.fail(requestId, new ExchangeError(message));
      return true;
    }
    if (message.type !== pending.expect) return false;
    this.byId.delete(requestId);
    clearTimeout(pending.timer);
    pending.resolve(message);
    return true;
  }

  fail(requestId: number, error: Error): void {
    const pending = this.byId.get(requestId);
    if (pending === undefined) return;
    this.byId.delete(requestId);
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  failAll(error: Error): void {
    for (const requestId of [...this.byId.keys()]) this.fail(requestId, error);
  }
}
