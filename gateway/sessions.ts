// WebSocket sessions: who is on each connection, what it may do, what it subscribed to, and the
// indexes that route messages (by account for private messages, by channel and symbol for market data).
import type { Identity } from './auth.ts';
import type { Encoding } from './protocol/codec.ts';
import type { Channel } from './protocol/messages.ts';
import { TokenBucket } from './rate-limit.ts';

/** What the gateway needs of a connection (uWebSockets.js in production, a fake in tests). */
export interface Connection {
  /** Sends one binary frame; false when the peer is too slow and was (or will be) disconnected. */
  send(bytes: Uint8Array): boolean;
  /** Runs `sends` with the connection corked: the frames they send leave in one write. */
  cork(sends: () => void): void;
  /** Closes the connection with a WebSocket close code and a reason. */
  close(code: number, reason: string): void;
}


/** Subscriptions one session may hold. */
export const SUBSCRIPTIONS_PER_SESSION_MAX = 256;
/** Bursts a session may send before its rate applies: this many seconds' worth. */
export const BURST_SECONDS = 2;

export class Session {
  identity: Identity | undefined;
  accountId = -1;
  /** A login verification is in flight; further requests wait for it. */
  loggingIn = false;
  /** The session placed cancel-on-disconnect orders, so its end must be journaled. */
  placedCancelOnDisconnect = false;
  /** Subscription keys, each with the book depth the session asked for. */
  readonly subscriptions = new Map<string, number>();
  readonly bucket: TokenBucket;

  constructor(readonly id: number, readonly ip: string, readonly encoding: Encoding, readonly connection: Connection, messagesPerSecond: number, nowMs: number) {
    this.bucket = new TokenBucket(messagesPerSecond, messagesPerSecond * BURST_SECONDS, nowMs);
  }

  depthOf(key: string): number | undefined {
    return this.subscriptions.get(key);
  }
}

export function subscriptionKey(channel: Channel, symbolId: number): string {
  return `${channel}:${symbolId}`;
}

export class Sessions {
  private readonly byId = new Map<number, Session>();
  private readonly byAccount = new Map<number, Set<Session>>();
  private readonly bySubscription = new Map<string, Set<Session>>();
  private idNext = 1;

  get count(): number {
    return this.byId.size;
  }

  nextId(): number {
    return this.idNext++;
  }

  add(session: Session): void {
    this.byId.set(session.id, session);
  }

  get(id: number): Session | undefined {
    return this.byId.get(id);
  }

  bindAccount(session: Session, accountId: number): void {
    session.accountId = accountId;
    let set = this.byAccount.get(accountId);
    if (set === undefined) {
      set = new Set();
      this.byAccount.set(accountId, set);
    }
    set.add(session);
  }

  ofAccount(accountId: number): ReadonlySet<Session> | undefined {
    return this.byAccount.get(accountId);
  }

  subscribe(session: Session, key: string, depth: number): void {
    session.subscriptions.set(key, depth);
    let set = this.bySubscription.get(key);
    if (set === undefined) {
      set = new Set();
      this.bySubscription.set(key, set);
    }
    set.add(session);
  }

  unsubscribe(session: Session, key: string): void {
    session.subscriptions.delete(key);
    const set = this.bySubscription.get(key);
    set?.delete(session);
    if (set?.size === 0) this.bySubscription.delete(key);
  }

  subscribers(key: string): ReadonlySet<Session> | undefined {
    return this.bySubscription.get(key);
  }

  remove(session: Session): void {
    this.byId.delete(session.id);
    for (const key of [...session.subscriptions.keys()]) this.unsubscribe(session, key);
    const set = this.byAccount.get(session.accountId);
    set?.delete(session);
    if (set?.size === 0) this.byAccount.delete(session.accountId);
  }

  all(): IterableIterator<Session> {
    return this.byId.values();
  }
}
