// The messages of the WebSocket protocol, version 1, as TypeScript data: one discriminated union per
// direction, the same for every encoding (README.md describes them, MSGPACK.md and exchange.fbs the
// bytes). Every limit a frame or field must respect is named here; validate.ts enforces them.

/** Largest WebSocket frame either side may send; one message per frame. */
export const FRAME_SIZE_BYTES_MAX = 65_536;
/** Request ids are u32 chosen by the client and echoed on the direct responses. */
export const REQUEST_ID_MAX = 0xffff_ffff;
/** Order ids, client order ids, sequences and times are integers up to 2^53 - 1. */
export const U53_MAX = Number.MAX_SAFE_INTEGER;
/** An expiry in ms must still be a safe integer in the core's microseconds. */
export const EXPIRE_TIME_MS_MAX = Math.floor(Number.MAX_SAFE_INTEGER / 1000);
/** Session ids and counts are u32, like the core's fields. */
export const U32_MAX = 0xffff_ffff;
/** Result codes (the core's and the gateway's) are u16. */
export const CODE_MAX = 0xffff;
/** Symbol, asset, account and role names: the core's name rule (1..32 of letters, digits, `._:@-`). */
export const NAME_LENGTH_MAX = 32;
/** Decimal strings: at most this many characters, like the core's decimal parser. */
export const DECIMAL_LENGTH_MAX = 40;
/** A login token (JWT compact form or API key): printable ASCII up to this length. */
export const TOKEN_LENGTH_MAX = 8_192;
/** Roles granted to a session. */
export const ROLES_COUNT_MAX = 16;
/** Error and reason names: upper-case identifiers up to this length. */
export const CODE_NAME_LENGTH_MAX = 64;
/** Human-readable error text. */
export const ERROR_TEXT_LENGTH_MAX = 1_024;
/** Book depth a subscriber may ask for, and the default. */
export const BOOK_DEPTH_MAX = 500;
export const BOOK_DEPTH_DEFAULT = 50;
/** Changed levels per side in one book update; a server splits larger changes into several updates. */
export const BOOK_UPDATE_LEVELS_MAX = 1_000;
/** Keys in one msgpack map: more than any message has, fewer than a hostile frame might claim. */
export const MAP_FIELDS_MAX = 32;

/** A decimal string: `0` or digits without a leading zero, optionally `.` and digits; no sign, no exponent. */
export type Decimal = string;

export const SIDES = ['buy', 'sell'] as const;
export type Side = (typeof SIDES)[number];
export const ORDER_TYPES = ['limit', 'market', 'stop_limit', 'stop_market', 'oco'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const TIMES_IN_FORCE = ['GTC', 'IOC', 'FOK', 'GTD'] as const;
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];
export const STP_MODES = ['none', 'cancel_newest', 'cancel_oldest', 'cancel_both', 'decrement_and_cancel'] as const;
export type StpMode = (typeof STP_MODES)[number];
export const CHANNELS = ['book', 'trades', 'bbo'] as const;
export type Channel = (typeof CHANNELS)[number];
export const EXECUTION_KINDS = ['accepted', 'rejected', 'partially_filled', 'filled', 'cancelled', 'replaced', 'triggered', 'expired'] as const;
export type ExecutionKind = (typeof EXECUTION_KINDS)[number];
export const LIQUIDITIES = ['maker', 'taker'] as const;
export type Liquidity = (typeof LIQUIDITIES)[number];

// Client -> server.

export interface LoginMessage {
  type: 'login';
  requestId: number;
  token: string;
}

export interface PlaceMessage {
  type: 'place';
  requestId: number;
  symbol: string;
  side: Side;
  orderType: OrderType;
  timeInForce: TimeInForce;
  qty: Decimal;
  /** Limit price; for OCO the limit leg's price. */
  price?: Decimal;
  /** Trigger of a stop order, or of the OCO stop leg. */
  stopPrice?: Decimal;
  /** OCO only: the stop leg's limit price; absent makes the stop leg a stop-market. */
  stopLimitPrice?: Decimal;
  /** Iceberg peak. */
  displayQty?: Decimal;
  /** GTD expiry, Unix ms. */
  expireTimeMs?: number;
  postOnly?: boolean;
  stp?: StpMode;
  /** Most quote a market or stop-market buy may spend. */
  quoteBudget?: Decimal;
  /** The client's id for the order, 1..2^53-1, unique among the account's live orders. */
  clientOrderId?: number;
  cancelOnDisconnect?: boolean;
}

/** Names the order by exactly one of `orderId` and `clientOrderId`. */
export interface CancelMessage {
  type: 'cancel';
  requestId: number;
  symbol: string;
  orderId?: number;
  clientOrderId?: number;
}

/** Names the order like CancelMessage; `qty` is the new open quantity. */
export interface ReplaceMessage {
  type: 'replace';
  requestId: number;
  symbol: string;
  orderId?: number;
  clientOrderId?: number;
  price: Decimal;
  qty: Decimal;
  postOnly?: boolean;
}

/** Every live order of the session's account, optionally of one symbol and one side. */
export interface MassCancelMessage {
  type: 'massCancel';
  requestId: number;
  symbol?: string;
  side?: Side;
}

export interface SubscribeMessage {
  type: 'subscribe';
  requestId: number;
  channel: Channel;
  symbol: string;
  /** Book channel only: levels per side in the snapshot, 1..BOOK_DEPTH_MAX (default BOOK_DEPTH_DEFAULT). */
  depth?: number;
}

export interface UnsubscribeMessage {
  type: 'unsubscribe';
  requestId: number;
  channel: Channel;
  symbol: string;
}

export interface PingMessage {
  type: 'ping';
  requestId: number;
  /** Echoed in the pong, for round-trip timing. */
  timeMs?: number;
}

export type ClientMessage =
  | LoginMessage
  | PlaceMessage
  | CancelMessage
  | ReplaceMessage
  | MassCancelMessage
  | SubscribeMessage
  | UnsubscribeMessage
  | PingMessage;

// Server -> client.

export interface LoginAcceptedMessage {
  type: 'loginAccepted';
  requestId: number;
  account: string;
  roles: readonly string[];
  sessionId: number;
}

/** A gateway-level error (errors.ts); `requestId` when the failed frame carried a readable one. */
export interface ErrorMessage {
  type: 'error';
  requestId?: number;
  code: number;
  name: string;
  message: string;
}

export interface ExecutionReportMessage {
  type: 'executionReport';
  /** Present on reports caused by this session's own request. */
  requestId?: number;
  kind: ExecutionKind;
  symbol: string;
  orderId?: number;
  clientOrderId?: number;
  side?: Side;
  price?: Decimal;
  qty?: Decimal;
  leavesQty?: Decimal;
  lastPrice?: Decimal;
  lastQty?: Decimal;
  fee?: Decimal;
  feeAsset?: string;
  liquidity?: Liquidity;
  /** The core's result code, for rejected, cancelled and expired. */
  code?: number;
  /** The name of `code`. */
  reason?: string;
  /** Journal sequence of the command that caused the report. */
  seq: number;
  timeMs: number;
}

export interface MassCancelDoneMessage {
  type: 'massCancelDone';
  requestId?: number;
  symbol?: string;
  side?: Side;
  cancelledCount: number;
  seq: number;
  timeMs: number;
}

export interface BalanceMessage {
  type: 'balance';
  asset: string;
  available: Decimal;
  reserved: Decimal;
  seq: number;
}

/** One price level: price and total shown quantity. */
export type PriceLevel = readonly [price: Decimal, qty: Decimal];

export interface BookSnapshotMessage {
  type: 'bookSnapshot';
  symbol: string;
  /** The symbol's book sequence this snapshot is at. */
  seq: number;
  /** Best first. */
  bids: readonly PriceLevel[];
  asks: readonly PriceLevel[];
}

/** Changed levels only; qty "0" removes the level. `seq` is the previous book sequence + 1. */
export interface BookUpdateMessage {
  type: 'bookUpdate';
  symbol: string;
  seq: number;
  bids: readonly PriceLevel[];
  asks: readonly PriceLevel[];
}

export interface TradeMessage {
  type: 'trade';
  symbol: string;
  /** The symbol's trade sequence. */
  seq: number;
  price: Decimal;
  qty: Decimal;
  takerSide: Side;
  timeMs: number;
}

/** Best bid and offer; a side is absent when it is empty. `seq` is the book sequence. */
export interface BboMessage {
  type: 'bbo';
  symbol: string;
  seq: number;
  bidPrice?: Decimal;
  bidQty?: Decimal;
  askPrice?: Decimal;
  askQty?: Decimal;
}

export interface SubscribedMessage {
  type: 'subscribed';
  requestId: number;
  channel: Channel;
  symbol: string;
}

export interface UnsubscribedMessage {
  type: 'unsubscribed';
  requestId: number;
  channel: Channel;
  symbol: string;
}

export interface PongMessage {
  type: 'pong';
  requestId: number;
  timeMs?: number;
  serverTimeMs: number;
}

export type ServerMessage =
  | LoginAcceptedMessage
  | ErrorMessage
  | ExecutionReportMessage
  | MassCancelDoneMessage
  | BalanceMessage
  | BookSnapshotMessage
  | BookUpdateMessage
  | TradeMessage
  | BboMessage
  | SubscribedMessage
  | UnsubscribedMessage
  | PongMessage;

export type ClientMessageType = ClientMessage['type'];
export type ServerMessageType = ServerMessage['type'];
export type AnyMessage = ClientMessage | ServerMessage;
