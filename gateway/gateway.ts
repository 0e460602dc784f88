// The gateway's logic, independent of the socket library: sessions log in, send requests that become
// core commands, subscribe to market data; released events come back as private messages to the
// accounts they concern (with the requestId on the originating session) and as public market data.
// Malformed or hostile frames get an error frame; only a session that keeps misbehaving is closed.
import { ALL_ACCOUNTS, ALL_SESSIONS, ALL_SYMBOLS, BOTH_SIDES, type Command } from '../engine/commands.ts';
import { EVENT_SIZE_BYTES, CommandType, decodeRecord, eventLayout, readU64, SEQ_OFFSET_BYTES, type DecodedRecord, type RecordLayout } from '../engine/schema.ts';
import { Role, type TokenVerifier } from './auth.ts';
import type { MarketData } from './market-data.ts';
import { decodeClientMessage, encodeServerMessage } from './protocol/codec.ts';
import { errorMessageOf, GatewayErrorCode, ProtocolError } from './protocol/errors.ts';
import { BOOK_DEPTH_DEFAULT, BOOK_UPDATE_LEVELS_MAX, type ClientMessage, type ServerMessage } from './protocol/messages.ts';
import type { Registry, SymbolInfo } from './registry.ts';
import { privateMessagesOf } from './reports.ts';
import type { Encoding } from './protocol/codec.ts';
import { Session, Sessions, subscriptionKey, SUBSCRIPTIONS_PER_SESSION_MAX, type Connection } from './sessions.ts';
import { translateCancel, translateMassCancel, translatePlace, translateReplace, type Translated } from './translate.ts';
import type { Venue } from './venue.ts';

/** Errors a session may cause in a row before it is closed as hostile. */
export const ERRORS_BEFORE_CLOSE = 100;
/** WebSocket close codes. */
export const CLOSE_POLICY = 1008;
export const CLOSE_GOING_AWAY = 1001;

export interface GatewayOptions {
  readonly registry: Registry;
  readonly marketData: MarketData;
  readonly venue: Venue;
  readonly verifier: TokenVerifier;
  readonly messagesPerSecondPerSession: number;
  readonly nowMs: () => number;
  readonly counters: GatewayCounters;
}

/** What the gateway counts for metrics (the server turns these into Prometheus series). */
export interface GatewayCounters {
  rejectedByCode(code: number): void;
  command(type: string): void;
  slowConsumerDropped(): void;
}

interface RequestOrigin {
  readonly sessionId: number;
  readonly requestId: number;
}

export class Gateway {
  readonly sessions = new Sessions();
  private readonly origins = new Map<number, RequestOrigin>();
  private readonly errorsInARow = new Map<number, number>();
  private readonly adminWaiters = new Map<number, (view: DataView, offset: number) => void>();
  private readonly systemBacklog: Command[] = [];
  /** Between release() and afterRelease(): frames wait in roundFrames to leave corked, per session, in order. */
  private roundOpen = false;
  private readonly roundFrames = new Map<Session, Uint8Array[]>();

  constructor(private readonly o: GatewayOptions) {}

  open(connection: Connection, ip: string, encoding: Encoding): Session {
    const session = new Session(this.sessions.nextId(), ip, encoding, connection, this.o.messagesPerSecondPerSession, this.o.nowMs());
    this.sessions.add(session);
    return session;
  }

  /** A session ended: its cancel-on-disconnect orders are cancelled by a journaled command. */
  close(session: Session): void {
    this.sessions.remove(session);
    this.errorsInARow.delete(session.id);
    if (session.placedCancelOnDisconnect && session.accountId >= 0) {
      this.submitSystem({ type: CommandType.MASS_CANCEL, seq: 0, timeUs: 0, accountId: session.accountId, symbolId: ALL_SYMBOLS, side: BOTH_SIDES, sessionId: session.id });
    }
  }

  /** After a restart no session survives: one journaled sweep ends every cancel-on-disconnect order. */
  sweepCancelOnDisconnect(): void {
    this.submitSystem({ type: CommandType.MASS_CANCEL, seq: 0, timeUs: 0, accountId: ALL_ACCOUNTS, symbolId: ALL_SYMBOLS, side: BOTH_SIDES, sessionId: ALL_SESSIONS });
  }

  /** The venue's own commands must not be lost to a full pipeline: they wait and are retried after each release. */
  private submitSystem(command: Command): void {
    if (this.systemBacklog.length > 0 || this.o.venue.submit(command) === 0) this.systemBacklog.push(command);
  }

  private retrySystemBacklog(): void {
    while (this.systemBacklog.length > 0 && this.o.venue.submit(this.systemBacklog[0] as Command) !== 0) this.systemBacklog.shift();
  }

  send(session: Session, message: ServerMessage): void {
    this.sendBytes(session, encodeServerMessage(session.encoding, message));
  }

  private sendBytes(session: Session, bytes: Uint8Array): void {
    if (!this.roundOpen) return this.deliver(session, bytes);
    const frames = this.roundFrames.get(session);
    if (frames === undefined) this.roundFrames.set(session, [bytes]);
    else frames.push(bytes);
  }

  private deliver(session: Session, bytes: Uint8Array): void {
    if (!session.connection.send(bytes)) this.o.counters.slowConsumerDropped();
  }

  /**
   * Sends the frames of the release round, each session's corked: outside a uWebSockets.js callback
   * every uncorked send is its own write syscall, and a round holds several frames per session.
   */
  private flushRound(): void {
    this.roundOpen = false;
    for (const [session, frames] of this.roundFrames) {
      session.connection.cork(() => {
        for (const bytes of frames) this.deliver(session, bytes);
      });
    }
    this.roundFrames.clear();
  }

  private fail(session: Session, error: ProtocolError): void {
    this.o.counters.rejectedByCode(error.code);
    this.send(session, errorMessageOf(error));
    // Rate limiting answers floods by itself; only malformed and refused requests count towards closing.
    if (error.code === GatewayErrorCode.RATE_LIMITED) return;
    const errors = (this.errorsInARow.get(session.id) ?? 0) + 1;
    this.errorsInARow.set(session.id, errors);
    if (errors >= ERRORS_BEFORE_CLOSE) session.connection.close(CLOSE_POLICY, 'too many bad requests');
  }

  /** A text frame: the protocol is binary only. */
  rejectTextFrame(session: Session): void {
    this.fail(session, new ProtocolError('BAD_FRAME', 'frames must be binary (msgpack or FlatBuffers), not text'));
  }

  /**
   * One binary frame from a session. `addressWithinRate` is the transport's per-address limit. Limits
   * are applied after decoding, so that a refusal names the request it refuses.
   */
  onFrame(session: Session, bytes: Uint8Array, addressWithinRate: boolean): void {
    const decoded = decodeClientMessage(session.encoding, bytes);
    if (decoded instanceof ProtocolError) return this.fail(session, decoded);
    if (!addressWithinRate) return this.fail(session, new ProtocolError('RATE_LIMITED', 'address message rate exceeded', decoded.requestId));
    if (!session.bucket.take(this.o.nowMs())) return this.fail(session, new ProtocolError('RATE_LIMITED', 'session message rate exceeded', decoded.requestId));
    this.errorsInARow.delete(session.id);
    this.o.counters.command(decoded.type);
    this.handle(session, decoded);
  }

  private handle(session: Session, m: ClientMessage): void {
    switch (m.type) {
      case 'login': return void this.login(session, m.requestId, m.token);
      case 'ping': return this.send(session, { type: 'pong', requestId: m.requestId, ...(m.timeMs === undefined ? {} : { timeMs: m.timeMs }), serverTimeMs: this.o.nowMs() });
      case 'subscribe': return this.subscribe(session, m.requestId, m.channel, m.symbol, m.depth ?? BOOK_DEPTH_DEFAULT);
      case 'unsubscribe': {
        const sym = this.o.registry.symbolByName.get(m.symbol);
        if (sym !== undefined) this.sessions.unsubscribe(session, subscriptionKey(m.channel, sym.id));
        return this.send(session, { type: 'unsubscribed', requestId: m.requestId, channel: m.channel, symbol: m.symbol });
      }
      default:
        return this.order(session, m);
    }
  }

  private async login(session: Session, requestId: number, token: string): Promise<void> {
    if (session.identity !== undefined || session.loggingIn) return this.fail(session, new ProtocolError('BAD_FIELD', 'this session is already logged in', requestId));
    session.loggingIn = true;
    const verified = await this.o.verifier.verify(token);
    session.loggingIn = false;
    if (this.sessions.get(session.id) === undefined) return;
    if (!verified.ok) {
      return this.fail(session, new ProtocolError(verified.reason === 'expired' ? 'TOKEN_EXPIRED' : 'AUTH_FAILED', verified.message, requestId));
    }
    const accountId = this.o.registry.accountIdByName.get(verified.identity.account);
    const trades = verified.identity.roles.includes(Role.TRADER);
    if (trades && accountId === undefined) return this.fail(session, new ProtocolError('AUTH_FAILED', `no account ${verified.identity.account}`, requestId));
    session.identity = verified.identity;
    if (accountId !== undefined) this.sessions.bindAccount(session, accountId);
    this.send(session, { type: 'loginAccepted', requestId, account: verified.identity.account, roles: verified.identity.roles, sessionId: session.id });
  }

  private order(session: Session, m: Exclude<ClientMessage, { type: 'login' | 'ping' | 'subscribe' | 'unsubscribe' }>): void {
    if (session.identity === undefined) return this.fail(session, new ProtocolError('NOT_LOGGED_IN', `log in before ${m.type}`, m.requestId));
    if (!session.identity.roles.includes(Role.TRADER) || session.accountId < 0) return this.fail(session, new ProtocolError('FORBIDDEN', `${m.type} needs the trader role`, m.requestId));
    if (!this.o.venue.accepting()) return this.fail(session, new ProtocolError('SHUTTING_DOWN', 'the venue is not accepting orders now', m.requestId));
    const sender = { accountId: session.accountId, sessionId: session.id, orderId: this.o.venue.nextOrderId() };
    const registry = this.o.registry;
    let translated: Translated;
    if (m.type === 'place') translated = translatePlace(registry, m, sender);
    else if (m.type === 'cancel') translated = translateCancel(registry, m, sender);
    else if (m.type === 'replace') translated = translateReplace(registry, m, sender);
    else translated = translateMassCancel(registry, m, sender);
    if (!translated.ok) return this.fail(session, translated.error);
    const seq = this.o.venue.submit(translated.command);
    if (seq === 0) return this.fail(session, new ProtocolError('SERVER_BUSY', 'the pipeline is full; retry shortly', m.requestId));
    if (m.type === 'place' && m.cancelOnDisconnect === true) session.placedCancelOnDisconnect = true;
    this.origins.set(seq, { sessionId: session.id, requestId: m.requestId });
  }

  private subscribe(session: Session, requestId: number, channel: 'book' | 'trades' | 'bbo', symbol: string, depth: number): void {
    const sym = this.o.registry.symbolByName.get(symbol);
    if (sym === undefined) return this.fail(session, new ProtocolError('UNKNOWN_SYMBOL', `no symbol ${JSON.stringify(symbol)}`, requestId));
    if (session.identity !== undefined && !session.identity.roles.some((r) => r === Role.MARKET_DATA || r === Role.TRADER)) {
      return this.fail(session, new ProtocolError('FORBIDDEN', 'market data needs the market_data or trader role', requestId));
    }
    const key = subscriptionKey(channel, sym.id);
    if (!session.subscriptions.has(key) && session.subscriptions.size >= SUBSCRIPTIONS_PER_SESSION_MAX) {
      return this.fail(session, new ProtocolError('SUBSCRIPTIONS_MAX', `at most ${SUBSCRIPTIONS_PER_SESSION_MAX} subscriptions per session`, requestId));
    }
    this.sessions.subscribe(session, key, depth);
    this.send(session, { type: 'subscribed', requestId, channel, symbol });
    if (channel === 'book') this.sendSnapshot(session, sym, depth);
    if (channel === 'bbo') this.send(session, this.bboMessage(sym));
  }

  /**
   * A book snapshot at the session's depth; when that many levels would not fit in one frame, the
   * deepest that fits (the client treats a side as exact only down to its worst price).
   */
  private sendSnapshot(session: Session, sym: SymbolInfo, depth: number): void {
    for (let levels = depth; levels >= 1; levels = Math.floor(levels / 2)) {
      const snap = this.o.marketData.snapshot(sym.id, levels);
      if (snap === undefined) return;
      const message: ServerMessage = { type: 'bookSnapshot', symbol: sym.name, seq: snap.seq, bids: this.o.registry.levels(sym, snap.bids), asks: this.o.registry.levels(sym, snap.asks) };
      let bytes: Uint8Array;
      try {
        bytes = encodeServerMessage(session.encoding, message);
      } catch (e) {
        if (e instanceof RangeError) continue;
        throw e;
      }
      return this.sendBytes(session, bytes);
    }
  }

  private bboMessage(sym: SymbolInfo): ServerMessage {
    const best = this.o.marketData.best(sym.id);
    const r = this.o.registry;
    const side = (ticks: number | undefined, lots: number | undefined, price: string, qty: string) =>
      ticks === undefined || lots === undefined ? {} : { [price]: r.price(sym, ticks), [qty]: r.qty(sym, lots) };
    return {
      type: 'bbo', symbol: sym.name, seq: this.o.marketData.bookSeq(sym.id),
      ...side(best?.bidTicks, best?.bidLots, 'bidPrice', 'bidQty'), ...side(best?.askTicks, best?.askLots, 'askPrice', 'askQty'),
    };
  }

  /**
   * Submits an administrative command and resolves with its outcome, the first event of the command
   * once durable (the core answers every admin command with one event); undefined when the pipeline
   * is full, and a rejection when no outcome arrives within `timeoutMs`.
   */
  execute(command: Command, timeoutMs: number): Promise<DecodedRecord> | undefined {
    const seq = this.o.venue.submit(command);
    if (seq === 0) return undefined;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.adminWaiters.delete(seq);
        reject(new Error(`no outcome for command ${seq} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.adminWaiters.set(seq, (view, offset) => {
        clearTimeout(timer);
        resolve(decodeRecord(eventLayout(view.getUint8(offset)) as RecordLayout, view, offset));
      });
    });
  }

  /**
   * Durable events, in order: registry and market data first, then each private message to its
   * account's sessions (with the requestId on the session that sent the command), then the admin
   * waiters. Call afterRelease() once the whole batch is released: the frames go out there.
   */
  release(view: DataView, offset: number, count: number): void {
    this.roundOpen = true;
    let seqPrevious = 0;
    for (let i = 0; i < count; i++) {
      const at = offset + i * EVENT_SIZE_BYTES;
      const seq = readU64(view, at + SEQ_OFFSET_BYTES);
      if (seq !== seqPrevious) {
        this.forgetOriginsBefore(seq);
        this.adminWaiters.get(seq)?.(view, at);
        this.adminWaiters.delete(seq);
        seqPrevious = seq;
      }
      this.o.registry.applyEvent(view, at);
      this.o.marketData.applyEvent(view, at);
      const origin = this.origins.get(seq);
      for (const { accountId, message } of privateMessagesOf(this.o.registry, view, at)) {
        const sessions = this.sessions.ofAccount(accountId);
        if (sessions === undefined) continue;
        for (const s of sessions) {
          const own = origin !== undefined && origin.sessionId === s.id && message.type !== 'balance';
          this.send(s, own ? { ...message, requestId: origin.requestId } : message);
        }
      }
    }
  }

  private forgetOriginsBefore(seq: number): void {
    for (const key of this.origins.keys()) {
      if (key >= seq) break;
      this.origins.delete(key);
    }
  }

  /** After each release round: the market data the released events changed, and any waiting venue commands. */
  afterRelease(): void {
    this.publishMarketData();
    this.retrySystemBacklog();
    this.flushRound();
  }

  /** One message to many sessions, encoded once per encoding. */
  private broadcast(sessions: Iterable<Session>, message: ServerMessage): void {
    const encoded = new Map<Encoding, Uint8Array>();
    for (const s of sessions) {
      let bytes = encoded.get(s.encoding);
      if (bytes === undefined) {
        bytes = encodeServerMessage(s.encoding, message);
        encoded.set(s.encoding, bytes);
      }
      this.sendBytes(s, bytes);
    }
  }

  /** Sends the market data the released events changed: book updates, trades, best bid and offer. */
  private publishMarketData(): void {
    this.o.marketData.flush((change) => {
      const sym = this.o.registry.symbols[change.symbolId];
      if (sym === undefined) return;
      if (change.bookSeq !== undefined) {
        const subscribers = this.sessions.subscribers(subscriptionKey('book', sym.id));
        if (subscribers !== undefined) this.broadcastBookUpdate(subscribers, sym, change.bookSeq, change.bids, change.asks);
      }
      const tradeSubscribers = this.sessions.subscribers(subscriptionKey('trades', sym.id));
      if (tradeSubscribers !== undefined) {
        for (const t of change.trades) this.broadcast(tradeSubscribers, { type: 'trade', symbol: sym.name, ...this.o.registry.trade(sym, t) });
      }
      const bboSubscribers = change.bestChanged ? this.sessions.subscribers(subscriptionKey('bbo', sym.id)) : undefined;
      if (bboSubscribers !== undefined) {
        this.broadcast(bboSubscribers, this.bboMessage(sym));
      }
    });
  }

  /** One update per book change; a change larger than a frame allows goes out as a fresh snapshot instead. */
  private broadcastBookUpdate(subscribers: ReadonlySet<Session>, sym: SymbolInfo, seq: number, bids: [number, number][], asks: [number, number][]): void {
    const key = subscriptionKey('book', sym.id);
    if (bids.length > BOOK_UPDATE_LEVELS_MAX || asks.length > BOOK_UPDATE_LEVELS_MAX) {
      for (const s of subscribers) this.sendSnapshot(s, sym, s.depthOf(key) ?? BOOK_DEPTH_DEFAULT);
      return;
    }
    this.broadcast(subscribers, { type: 'bookUpdate', symbol: sym.name, seq, bids: this.o.registry.levels(sym, bids), asks: this.o.registry.levels(sym, asks) });
  }

  /** The venue is stopping: every session is told and closed. */
  closeAll(reason: string): void {
    for (const s of [...this.sessions.all()]) s.connection.close(CLOSE_GOING_AWAY, reason);
  }
}
