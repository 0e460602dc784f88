// Messages to FlatBuffers frames through the generated API (fbs/exchange_generated.ts). Absent
// optional fields are not written; strings and vectors are created before the table that holds them,
// as FlatBuffers requires (the create* helpers take their arguments already built).
import { Builder } from 'flatbuffers';
import * as fb from './fbs/exchange_generated.ts';
import type { AnyMessage, PriceLevel, Side } from './messages.ts';

/**
 * flatc 2.0.8's TypeScript adds an optional scalar with a default of 0, so a present 0 or false
 * would be dropped and read back as absent. With defaults forced every field the create helpers add
 * is written; they add optional scalars only when present, and an absent string or vector arrives
 * here as offset 0, which is skipped.
 */
class PresenceBuilder extends Builder {
  override addFieldOffset(voffset: number, value: number, defaultValue: number): void {
    if (value !== 0) super.addFieldOffset(voffset, value, defaultValue);
  }
}

/** One builder, reused: it starts at this size, grows to the largest frame once and is cleared per message. */
const BUILDER_SIZE_BYTES_INITIAL = 1_024;
const builder = new PresenceBuilder(BUILDER_SIZE_BYTES_INITIAL);

function text(value: string | undefined): number {
  return value === undefined ? 0 : builder.createString(value);
}

function big(value: number | undefined): bigint | null {
  return value === undefined ? null : BigInt(value);
}

function opt<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

function levels(list: readonly PriceLevel[]): number[] {
  return list.map(([price, qty]) => fb.Level.createLevel(builder, builder.createString(price), builder.createString(qty)));
}

function side(value: Side | undefined): fb.Side | null {
  return value === undefined ? null : fb.Side[value];
}

function body(m: AnyMessage): [fb.Body, number] {
  const b = builder;
  switch (m.type) {
    case 'login':
      return [fb.Body.Login, fb.Login.createLogin(b, m.requestId, text(m.token))];
    case 'place':
      return [fb.Body.Place, fb.Place.createPlace(b, m.requestId, text(m.symbol), fb.Side[m.side], fb.OrderType[m.orderType],
        fb.TimeInForce[m.timeInForce], text(m.qty), text(m.price), text(m.stopPrice), text(m.stopLimitPrice), text(m.displayQty),
        big(m.expireTimeMs), opt(m.postOnly), m.stp === undefined ? null : fb.StpMode[m.stp], text(m.quoteBudget), big(m.clientOrderId),
        opt(m.cancelOnDisconnect))];
    case 'cancel':
      return [fb.Body.Cancel, fb.Cancel.createCancel(b, m.requestId, text(m.symbol), big(m.orderId), big(m.clientOrderId))];
    case 'replace':
      return [fb.Body.Replace, fb.Replace.createReplace(b, m.requestId, text(m.symbol), big(m.orderId), big(m.clientOrderId), text(m.price),
        text(m.qty), opt(m.postOnly))];
    case 'massCancel':
      return [fb.Body.MassCancel, fb.MassCancel.createMassCancel(b, m.requestId, text(m.symbol), side(m.side))];
    case 'subscribe':
      return [fb.Body.Subscribe, fb.Subscribe.createSubscribe(b, m.requestId, fb.Channel[m.channel], text(m.symbol), opt(m.depth))];
    case 'unsubscribe':
      return [fb.Body.Unsubscribe, fb.Unsubscribe.createUnsubscribe(b, m.requestId, fb.Channel[m.channel], text(m.symbol))];
    case 'ping':
      return [fb.Body.Ping, fb.Ping.createPing(b, m.requestId, big(m.timeMs))];
    case 'loginAccepted':
      return [fb.Body.LoginAccepted, fb.LoginAccepted.createLoginAccepted(b, m.requestId, text(m.account),
        fb.LoginAccepted.createRolesVector(b, m.roles.map((role) => b.createString(role))), m.sessionId)];
    case 'error':
      return [fb.Body.GatewayError, fb.GatewayError.createGatewayError(b, opt(m.requestId), m.code, text(m.name), text(m.message))];
    case 'executionReport':
      return [fb.Body.ExecutionReport, fb.ExecutionReport.createExecutionReport(b, opt(m.requestId), fb.ExecutionKind[m.kind], text(m.symbol),
        big(m.orderId), big(m.clientOrderId), side(m.side), text(m.price), text(m.qty), text(m.leavesQty), text(m.lastPrice), text(m.lastQty),
        text(m.fee), text(m.feeAsset), m.liquidity === undefined ? null : fb.Liquidity[m.liquidity], opt(m.code), text(m.reason),
        BigInt(m.seq), BigInt(m.timeMs))];
    case 'massCancelDone':
      return [fb.Body.MassCancelDone, fb.MassCancelDone.createMassCancelDone(b, opt(m.requestId), text(m.symbol), side(m.side), m.cancelledCount,
        BigInt(m.seq), BigInt(m.timeMs))];
    case 'balance':
      return [fb.Body.Balance, fb.Balance.createBalance(b, text(m.asset), text(m.available), text(m.reserved), BigInt(m.seq))];
    case 'bookSnapshot':
      return [fb.Body.BookSnapshot, fb.BookSnapshot.createBookSnapshot(b, text(m.symbol), BigInt(m.seq),
        fb.BookSnapshot.createBidsVector(b, levels(m.bids)), fb.BookSnapshot.createAsksVector(b, levels(m.asks)))];
    case 'bookUpdate':
      return [fb.Body.BookUpdate, fb.BookUpdate.createBookUpdate(b, text(m.symbol), BigInt(m.seq),
        fb.BookUpdate.createBidsVector(b, levels(m.bids)), fb.BookUpdate.createAsksVector(b, levels(m.asks)))];
    case 'trade':
      return [fb.Body.Trade, fb.Trade.createTrade(b, text(m.symbol), BigInt(m.seq), text(m.price), text(m.qty), fb.Side[m.takerSide],
        BigInt(m.timeMs))];
    case 'bbo':
      return [fb.Body.Bbo, fb.Bbo.createBbo(b, text(m.symbol), BigInt(m.seq), text(m.bidPrice), text(m.bidQty), text(m.askPrice),
        text(m.askQty))];
    case 'subscribed':
      return [fb.Body.Subscribed, fb.Subscribed.createSubscribed(b, m.requestId, fb.Channel[m.channel], text(m.symbol))];
    case 'unsubscribed':
      return [fb.Body.Unsubscribed, fb.Unsubscribed.createUnsubscribed(b, m.requestId, fb.Channel[m.channel], text(m.symbol))];
    case 'pong':
      return [fb.Body.Pong, fb.Pong.createPong(b, m.requestId, big(m.timeMs), BigInt(m.serverTimeMs))];
    default:
      return assertNever(m);
  }
}

function assertNever(value: never): never {
  throw new Error(`not a message: ${JSON.stringify(value)}`);
}

/** One finished buffer with file identifier EXV1, copied out of the reused builder. */
export function encodeFlatbuffersMessage(message: AnyMessage): Uint8Array {
  builder.clear();
  builder.forceDefaults(true);
  const [type, offset] = body(message);
  fb.Message.finishMessageBuffer(builder, fb.Message.createMessage(builder, type, offset));
  return builder.asUint8Array().slice();
}
