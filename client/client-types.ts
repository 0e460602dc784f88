// The client's public vocabulary: what connect and the requests take, and the events it emits.
import type { Encoding } from '../gateway/protocol/codec.ts';
import type {
  BalanceMessage, BboMessage, BookSnapshotMessage, BookUpdateMessage, ErrorMessage, ExecutionReportMessage, MassCancelDoneMessage,
  PlaceMessage, Side, TradeMessage,
} from '../gateway/protocol/messages.ts';
import type { BookView } from './local-book.ts';

export interface ExchangeClientOptions {
  /** Every request rejects with RequestError('timeout') after this long without its answer. */
  readonly requestTimeoutMs?: number;
  /** More requests in flight than this reject at once with RequestError('pending_max'). */
  readonly pendingRequestsMax?: number;
}

export interface ReconnectOptions {
  readonly delayMsFirst: number;
  readonly delayMsMax: number;
}

export interface ConnectOptions {
  readonly encoding?: Encoding;
  /** Log in with this token after connecting, and again after every reconnect. */
  readonly token?: string;
  /** Reconnect after the connection drops (true: default delays). */
  readonly reconnect?: boolean | ReconnectOptions;
}

export type PlaceParams = Omit<PlaceMessage, 'type' | 'requestId'>;
export type OrderRef = { readonly orderId: number } | { readonly clientOrderId: number };
export type CancelParams = { readonly symbol: string } & OrderRef;
export type ReplaceParams = { readonly symbol: string; readonly price: string; readonly qty: string; readonly postOnly?: boolean } & OrderRef;
export interface MassCancelParams {
  readonly symbol?: string;
  readonly side?: Side;
}

export interface ExchangeClientEvents {
  executionReport: [report: ExecutionReportMessage];
  massCancelDone: [done: MassCancelDoneMessage];
  balance: [balance: BalanceMessage];
  bookSnapshot: [snapshot: BookSnapshotMessage];
  bookUpdate: [update: BookUpdateMessage];
  trade: [trade: TradeMessage];
  bbo: [bbo: BboMessage];
  /** The local book of a symbol changed (a snapshot or an update applied). */
  book: [view: BookView];
  /** A gap in a symbol's book sequence: the local book is dropped until a fresh snapshot arrives. */
  resync: [symbol: string];
  /** An `error` frame that answers no pending request. */
  serverError: [error: ErrorMessage];
  /** Something went wrong in the background: an undecodable frame, a failed re-login, resubscribe or resync. */
  failure: [error: Error];
  open: [];
  close: [code: number, reason: string];
  reconnecting: [attempt: number, delayMs: number];
  reconnected: [];
}
