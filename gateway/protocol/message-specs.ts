// Every message's fields as rules, typed against messages.ts so that a field missing here, or
// required here but optional there, does not compile. Rules that span fields are `check`s. Which
// fields an order type needs (a price for a limit order, none for a market order, ...) is the core's
// rule and is answered by a rejected execution report, so `place` is checked field by field only.
import {
  BOOK_DEPTH_MAX, BOOK_UPDATE_LEVELS_MAX, CHANNELS, ERROR_TEXT_LENGTH_MAX, EXECUTION_KINDS, LIQUIDITIES, ORDER_TYPES,
  ROLES_COUNT_MAX, SIDES, STP_MODES, TIMES_IN_FORCE,
} from './messages.ts';
import type { AnyMessage, ClientMessage, ClientMessageType, ServerMessage, ServerMessageType } from './messages.ts';
import {
  boolean, code, codeName, decimal, depth, expireTimeMs, level, list, name, oneOf, orderId, positiveDecimal, requestId, text,
  token, u32, u53,
} from './rules.ts';
import type { Rule } from './rules.ts';

export interface FieldSpec<T, O extends boolean> {
  readonly rule: Rule<T>;
  readonly optional: O;
}

type IsOptional<M, K extends keyof M> = {} extends Pick<M, K> ? true : false;

export interface MessageSpec<M> {
  readonly fields: { readonly [K in Exclude<keyof M, 'type'>]-?: FieldSpec<Exclude<M[K], undefined>, IsOptional<M, K>> };
  /** A rule across fields: what is wrong, or undefined. */
  readonly check?: (message: M) => string | undefined;
}

function required<T>(rule: Rule<T>): FieldSpec<T, false> {
  return { rule, optional: false };
}
function optional<T>(rule: Rule<T>): FieldSpec<T, true> {
  return { rule, optional: true };
}

type Specs<U extends AnyMessage, K extends U['type']> = { readonly [T in K]: MessageSpec<Extract<U, { type: T }>> };

const side = oneOf(SIDES);
const channel = oneOf(CHANNELS);
const bookSide = list(level(positiveDecimal), BOOK_DEPTH_MAX, '[price, qty] pairs of positive decimal strings');
const updateSide = list(level(decimal), BOOK_UPDATE_LEVELS_MAX, '[price, qty] pairs of decimal strings (qty "0" removes)');

function exactlyOneOrderRef(m: { type: string; orderId?: number; clientOrderId?: number }): string | undefined {
  return (m.orderId === undefined) === (m.clientOrderId === undefined) ? `${m.type} needs exactly one of orderId and clientOrderId` : undefined;
}

export const CLIENT_SPECS: Specs<ClientMessage, ClientMessageType> = {
  login: { fields: { requestId: required(requestId), token: required(token) } },
  place: {
    fields: {
      requestId: required(requestId), symbol: required(name), side: required(side), orderType: required(oneOf(ORDER_TYPES)),
      timeInForce: required(oneOf(TIMES_IN_FORCE)), qty: required(decimal), price: optional(decimal), stopPrice: optional(decimal),
      stopLimitPrice: optional(decimal), displayQty: optional(decimal), expireTimeMs: optional(expireTimeMs), postOnly: optional(boolean),
      stp: optional(oneOf(STP_MODES)), quoteBudget: optional(decimal), clientOrderId: optional(orderId), cancelOnDisconnect: optional(boolean),
    },
  },
  cancel: {
    fields: { requestId: required(requestId), symbol: required(name), orderId: optional(orderId), clientOrderId: optional(orderId) },
    check: exactlyOneOrderRef,
  },
  replace: {
    fields: {
      requestId: required(requestId), symbol: required(name), orderId: optional(orderId), clientOrderId: optional(orderId),
      price: required(decimal), qty: required(decimal), postOnly: optional(boolean),
    },
    check: exactlyOneOrderRef,
  },
  massCancel: { fields: { requestId: required(requestId), symbol: optional(name), side: optional(side) } },
  subscribe: {
    fields: { requestId: required(requestId), channel: required(channel), symbol: required(name), depth: optional(depth) },
    check: (m) => (m.depth !== undefined && m.channel !== 'book' ? 'subscribe.depth applies to the book channel only' : undefined),
  },
  unsubscribe: { fields: { requestId: required(requestId), channel: required(channel), symbol: required(name) } },
  ping: { fields: { requestId: required(requestId), timeMs: optional(u53) } },
};

function pairedSides(m: { bidPrice?: string; bidQty?: string; askPrice?: string; askQty?: string }): string | undefined {
  if ((m.bidPrice === undefined) !== (m.bidQty === undefined)) return 'bbo.bidPrice and bbo.bidQty come together';
  if ((m.askPrice === undefined) !== (m.askQty === undefined)) return 'bbo.askPrice and bbo.askQty come together';
  return undefined;
}

export const SERVER_SPECS: Specs<ServerMessage, ServerMessageType> = {
  loginAccepted: {
    fields: {
      requestId: required(requestId), account: required(name), roles: required(list(name, ROLES_COUNT_MAX, 'role names')),
      sessionId: required(u32),
    },
  },
  error: {
    fields: { requestId: optional(requestId), code: required(code), name: required(codeName), message: required(text(ERROR_TEXT_LENGTH_MAX)) },
  },
  executionReport: {
    fields: {
      requestId: optional(requestId), kind: required(oneOf(EXECUTION_KINDS)), symbol: required(name), orderId: optional(orderId),
      clientOrderId: optional(orderId), side: optional(side), price: optional(decimal), qty: optional(decimal),
      leavesQty: optional(decimal), lastPrice: optional(decimal), lastQty: optional(decimal), fee: optional(decimal),
      feeAsset: optional(name), liquidity: optional(oneOf(LIQUIDITIES)), code: optional(code), reason: optional(codeName),
      seq: required(u53), timeMs: required(u53),
    },
  },
  massCancelDone: {
    fields: {
      requestId: optional(requestId), symbol: optional(name), side: optional(side), cancelledCount: required(u32), seq: required(u53),
      timeMs: required(u53),
    },
  },
  balance: { fields: { asset: required(name), available: required(decimal), reserved: required(decimal), seq: required(u53) } },
  bookSnapshot: { fields: { symbol: required(name), seq: required(u53), bids: required(bookSide), asks: required(bookSide) } },
  bookUpdate: { fields: { symbol: required(name), seq: required(u53), bids: required(updateSide), asks: required(updateSide) } },
  trade: {
    fields: {
      symbol: required(name), seq: required(u53), price: required(positiveDecimal), qty: required(positiveDecimal), takerSide: required(side),
      timeMs: required(u53),
    },
  },
  bbo: {
    fields: {
      symbol: required(name), seq: required(u53), bidPrice: optional(positiveDecimal), bidQty: optional(positiveDecimal),
      askPrice: optional(positiveDecimal), askQty: optional(positiveDecimal),
    },
    check: pairedSides,
  },
  subscribed: { fields: { requestId: required(requestId), channel: required(channel), symbol: required(name) } },
  unsubscribed: { fields: { requestId: required(requestId), channel: required(channel), symbol: required(name) } },
  pong: { fields: { requestId: required(requestId), timeMs: optional(u53), serverTimeMs: required(u53) } },
};
