// A client of the exchange's WebSocket protocol (gateway/protocol/README.md): one connection in one
// encoding, requests as promises answered by requestId, everything the server sends as events, a
// local order book per book subscription that resyncs itself on a sequence gap, and reconnection
// with capped exponential backoff that logs in again and restores every subscription.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { decodeServerMessage, encodeClientMessage, subprotocolOf } from '../gateway/protocol/codec.ts';
import type { Encoding } from '../gateway/protocol/codec.ts';
import { ProtocolError } from '../gateway/protocol/errors.ts';
import { BOOK_DEPTH_DEFAULT, FRAME_SIZE_BYTES_MAX } from '../gateway/protocol/messages.ts';
import type {
  BookSnapshotMessage, BookUpdateMessage, Channel, ClientMessage, ExecutionReportMessage, LoginAcceptedMessage, MassCancelDoneMessage,
  PongMessage, ServerMessage, ServerMessageType, SubscribedMessage, UnsubscribedMessage,
} from '../gateway/protocol/messages.ts';
import { validateClientMessage } from '../gateway/protocol/validate.ts';
import { reconnectDelayMs } from './backoff.ts';
import { ExchangeError, RequestError } from './errors.ts';
import { awaitSnapshot, bookSubscription, snapshotNotComing, takeSnapshot, takeUpdate } from './book-subscription.ts';
import type { BookSubscription } from './book-subscription.ts';
import type {
  CancelParams, ConnectOptions, ExchangeClientEvents, ExchangeClientOptions, MassCancelParams, PlaceParams, ReconnectOptions, ReplaceParams,
} from './client-types.ts';
import { bookView } from './local-book.ts';
import type { BookView } from './local-book.ts';
import { PendingRequests } from './pending-requests.ts';
import type { ServerMessageOf } from './pending-requests.ts';

export const REQUEST_TIMEOUT_MS_DEFAULT = 10_000;
export const PENDING_REQUESTS_MAX_DEFAULT = 1_024;
export const RECONNECT_DELAY_MS_FIRST_DEFAULT = 250;
export const RECONNECT_DELAY_MS_MAX_DEFAULT = 30_000;
/** WebSocket close code of a deliberate close. */
const CLOSE_NORMAL = 1000;

interface Subscription {
  readonly channel: Channel;
  readonly symbol: string;
  readonly depth: number | undefined;
}

/** A client message before it gets its requestId (Omit applied to each member of the union). */
type Outgoing = ClientMessage extends infer M ? (M extends ClientMessage ? Omit<M, 'requestId'> : never) : never;

/** What answers each request type. */
const ANSWER = {
  login: 'loginAccepted', place: 'executionReport', cancel: 'executionReport', replace: 'executionReport', massCancel: 'massCancelDone',
  subscribe: 'subscribed', unsubscribe: 'unsubscribed', ping: 'pong',
} as const satisfies { readonly [K in ClientMessage['type']]: ServerMessageType };

const subscriptionKey = (channel: Channel, symbol: string): string => `${channel}:${symbol}`;

export class ExchangeClient extends EventEmitter<ExchangeClientEvents> {
  private readonly pending: PendingRequests;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly books = new Map<string, BookSubscription>();
  private socket: WebSocket | undefined;
  private url = '';
  private encoding: Encoding = 'msgpack';
  private token: string | undefined;
  private reconnect: ReconnectOptions | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(options: ExchangeClientOptions = {}) {
    super();
    this.pending = new PendingRequests(options.pendingRequestsMax ?? PENDING_REQUESTS_MAX_DEFAULT, options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS_DEFAULT);
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /**
   * Opens the connection (and logs in when given a token); rejects if the first attempt fails, and
   * then leaves the client closed. Call once, or again after close().
   */
  async connect(url: string, options: ConnectOptions = {}): Promise<void> {
    if (this.socket !== undefined) throw new Error('connect: this client is already connected');
    this.url = url;
    this.encoding = options.encoding ?? 'msgpack';
    this.token = options.token;
    this.reconnect = options.reconnect === true
      ? { delayMsFirst: RECONNECT_DELAY_MS_FIRST_DEFAULT, delayMsMax: RECONNECT_DELAY_MS_MAX_DEFAULT }
      : options.reconnect === false ? undefined : options.reconnect;
    this.closing = false;
    await this.openSocket();
    if (this.token === undefined) return;
    try {
      await this.login(this.token);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Logs in (with the connect token when none is given); the token is reused after reconnects. */
  login(token?: string): Promise<LoginAcceptedMessage> {
    if (token !== undefined) this.token = token;
    if (this.token === undefined) return Promise.reject(new Error('login: no token given'));
    return this.request({ type: 'login', token: this.token });
  }

  /** Resolves with the first execution report of the order: accepted or rejected. */
  place(order: PlaceParams): Promise<ExecutionReportMessage> {
    return this.request({ type: 'place', ...order });
  }

  /** Resolves with the first execution report of the cancel: cancelled or rejected. */
  cancel(params: CancelParams): Promise<ExecutionReportMessage> {
    return this.request({ type: 'cancel', ...params });
  }

  /** Resolves with the first execution report of the replace: replaced or rejected. */
  replace(params: ReplaceParams): Promise<ExecutionReportMessage> {
    return this.request({ type: 'replace', ...params });
  }

  /** Resolves with the summary, after the cancelled reports of the orders it ended have been emitted. */
  massCancel(params: MassCancelParams = {}): Promise<MassCancelDoneMessage> {
    return this.request({ type: 'massCancel', ...params });
  }

  /** Subscribes, kept across reconnects; a book subscription maintains book(symbol). */
  async subscribe(channel: Channel, symbol: string, depth?: number): Promise<SubscribedMessage> {
    const subscription: Subscription = { channel, symbol, depth };
    const key = subscriptionKey(channel, symbol);
    this.subscriptions.set(key, subscription);
    if (channel === 'book') this.books.set(symbol, bookSubscription(depth ?? BOOK_DEPTH_DEFAULT));
    try {
      return await this.sendSubscribe(subscription);
    } catch (error) {
      if (this.subscriptions.get(key) === subscription) this.forget(channel, symbol);
      throw error;
    }
  }

  unsubscribe(channel: Channel, symbol: string): Promise<UnsubscribedMessage> {
    this.forget(channel, symbol);
    return this.request({ type: 'unsubscribe', channel, symbol });
  }

  ping(): Promise<PongMessage> {
    return this.request({ type: 'ping', timeMs: Date.now() });
  }

  /** The local book of a book subscription, once its snapshot has arrived. */
  book(symbol: string): BookView | undefined {
    const book = this.books.get(symbol)?.book;
    return book === undefined ? undefined : bookView(book);
  }

  /** Closes for good: no reconnect; every pending request rejects with RequestError('closed'). */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.pending.failAll(new RequestError('closed', 'the client was closed'));
    this.subscriptions.clear();
    this.books.clear();
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close(CLOSE_NORMAL);
    });
  }

  private request<M extends Outgoing>(message: M): Promise<ServerMessageOf<(typeof ANSWER)[M['type']]>> {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return Promise.reject(new RequestError('not_connected', `${message.type}: not connected`));
    const opened = this.pending.open(ANSWER[message.type], message.type);
    if (opened === undefined) return Promise.reject(new RequestError('pending_max', `${message.type}: too many requests in flight`));
    const checked = validateClientMessage({ ...message, requestId: opened.requestId });
    if (checked instanceof ProtocolError) {
      this.pending.fail(opened.requestId, new ExchangeError(checked));
    } else {
      socket.send(encodeClientMessage(this.encoding, checked), (error) => {
        if (error instanceof Error) this.pending.fail(opened.requestId, new RequestError('disconnected', `${message.type}: ${error.message}`));
      });
    }
    return opened.promise as Promise<ServerMessageOf<(typeof ANSWER)[M['type']]>>;
  }

  private sendSubscribe(s: Subscription): Promise<SubscribedMessage> {
    return this.request(s.depth === undefined ? { type: 'subscribe', channel: s.channel, symbol: s.symbol } : { type: 'subscribe', channel: s.channel, symbol: s.symbol, depth: s.depth });
  }

  private forget(channel: Channel, symbol: string): void {
    this.subscriptions.delete(subscriptionKey(channel, symbol));
    if (channel === 'book') this.books.delete(symbol);
  }

  private openSocket(): Promise<void> {
    const subprotocol = subprotocolOf(this.encoding);
    const socket = new WebSocket(this.url, [subprotocol], { maxPayload: FRAME_SIZE_BYTES_MAX });
    return new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        reject(error);
      };
      socket.once('error', fail);
      socket.once('close', (code) => fail(new Error(`connection to ${this.url} closed (${code}) before it opened`)));
      socket.once('open', () => {
        socket.removeAllListeners();
        if (socket.protocol !== subprotocol) return fail(new Error(`the server did not accept subprotocol ${subprotocol}`));
        if (this.closing) return fail(new Error('the client was closed while connecting'));
        this.socket = socket;
        socket.on('message', (data, isBinary) => this.onFrame(data, isBinary));
        socket.on('error', (error) => this.emit('failure', error));
        socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
        this.emit('open');
        resolve();
      });
    });
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (this.socket === socket) this.socket = undefined;
    this.pending.failAll(new RequestError('disconnected', `the connection closed (${code}) before the answer came`));
    for (const book of this.books.values()) awaitSnapshot(book);
    this.emit('close', code, reason);
    if (!this.closing && this.reconnect !== undefined) this.scheduleReconnect(0);
  }

  private scheduleReconnect(attempt: number): void {
    const policy = this.reconnect;
    if (policy === undefined) return;
    const delayMs = reconnectDelayMs(attempt, policy.delayMsFirst, policy.delayMsMax);
    this.emit('reconnecting', attempt + 1, delayMs);
    this.reconnectTimer = setTimeout(() => {
      this.openSocket().then(() => this.restoreSession(), () => {
        if (!this.closing) this.scheduleReconnect(attempt + 1);
      });
    }, delayMs);
  }

  /** After a reconnect: log in again, then restore every subscription; failures are reported, not thrown. */
  private async restoreSession(): Promise<void> {
    if (this.token !== undefined) await this.login(this.token).catch((error: Error) => this.emit('failure', error));
    await Promise.all([...this.subscriptions.values()].map((s) => this.sendSubscribe(s).catch((error: Error) => this.onResubscribeFailed(s, error))));
    this.emit('reconnected');
  }

  private onResubscribeFailed(s: Subscription, error: Error): void {
    const book = s.channel === 'book' ? this.books.get(s.symbol) : undefined;
    if (book !== undefined) snapshotNotComing(book);
    this.emit('failure', error);
  }

  private onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    if (!isBinary) return void this.emit('failure', new ExchangeError(new ProtocolError('BAD_FRAME', 'the server sent a text frame')));
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    const message = decodeServerMessage(this.encoding, bytes);
    if (message instanceof ProtocolError) return void this.emit('failure', new ExchangeError(message));
    const answered = this.pending.settle(message);
    this.dispatch(message, answered);
  }

  private dispatch(m: ServerMessage, answered: boolean): void {
    switch (m.type) {
      case 'executionReport': return void this.emit('executionReport', m);
      case 'massCancelDone': return void this.emit('massCancelDone', m);
      case 'balance': return void this.emit('balance', m);
      case 'trade': return void this.emit('trade', m);
      case 'bbo': return void this.emit('bbo', m);
      case 'bookSnapshot': return this.onSnapshot(m);
      case 'bookUpdate': return this.onUpdate(m);
      case 'error':
        if (!answered) this.emit('serverError', m);
        return;
      case 'loginAccepted':
      case 'subscribed':
      case 'unsubscribed':
      case 'pong':
        return;
      default:
        return assertNever(m);
    }
  }

  private onSnapshot(snapshot: BookSnapshotMessage): void {
    this.emit('bookSnapshot', snapshot);
    const book = this.books.get(snapshot.symbol);
    if (book !== undefined) this.emit('book', takeSnapshot(book, snapshot));
  }

  private onUpdate(update: BookUpdateMessage): void {
    this.emit('bookUpdate', update);
    const book = this.books.get(update.symbol);
    const outcome = book === undefined ? undefined : takeUpdate(book, update);
    if (outcome === 'gap') this.resync(update.symbol, book as BookSubscription);
    else if (outcome !== undefined) this.emit('book', outcome);
  }

  /** Drops the book and asks for a fresh snapshot: unsubscribe, then subscribe again at the same depth. */
  private resync(symbol: string, book: BookSubscription): void {
    awaitSnapshot(book);
    this.emit('resync', symbol);
    const subscription: Subscription = { channel: 'book', symbol, depth: book.depth };
    this.request({ type: 'unsubscribe', channel: 'book', symbol }).catch((error: Error) => this.emit('failure', error));
    this.sendSubscribe(subscription).catch((error: Error) => this.onResubscribeFailed(subscription, error));
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled server message ${JSON.stringify(value)}`);
}
