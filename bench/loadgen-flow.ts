// One account's order flow: the next request of the mix for a connection, built from the account's
// resting orders. A cancel or replace needs a resting order, so with none it becomes a new limit
// order; an account at its resting cap cancels instead, which keeps the book bounded over any run.
import type { ClientMessage, Side } from '../gateway/protocol/messages.ts';
import { LiveOrders, type LiveOrder } from './loadgen-live-orders.ts';
import { MARKETABLE_OFFSET_TICKS, PASSIVE_OFFSET_TICKS_MAX, PRICE_TEXT_BY_OFFSET, QTY_LOTS_MAX, QTY_TEXT_BY_LOTS } from './loadgen-market.ts';
import { kindAt, type Mix, type MixKind } from './loadgen-mix.ts';

/** Resting orders one account keeps at most; beyond it a new limit order becomes a cancel. */
export const RESTING_PER_ACCOUNT_MAX = 200;

/** What a request was, so that its reports can update the account's resting orders. */
export interface FlowRequest {
  readonly message: ClientMessage;
  readonly kind: MixKind;
  readonly symbolIndex: number;
  readonly side: Side;
}

export class OrderFlow {
  readonly live = new LiveOrders();

  constructor(private readonly mix: Mix, private readonly symbolNames: readonly string[], private readonly random: () => number) {}

  next(requestId: number): FlowRequest {
    let kind = kindAt(this.mix, this.random());
    if ((kind === 'cancel' || kind === 'replace') && this.live.size === 0) kind = 'limit';
    if (kind === 'limit' && this.live.size >= RESTING_PER_ACCOUNT_MAX) kind = 'cancel';
    switch (kind) {
      case 'limit': return this.place(requestId, kind, 'GTC', 1 + Math.floor(this.random() * PASSIVE_OFFSET_TICKS_MAX), -1);
      case 'marketable': return this.place(requestId, kind, 'IOC', MARKETABLE_OFFSET_TICKS, 1);
      case 'cancel': return this.cancel(requestId);
      case 'replace': return this.replace(requestId);
    }
  }

  private side(): Side {
    return this.random() < 0.5 ? 'buy' : 'sell';
  }

  private qty(): string {
    return QTY_TEXT_BY_LOTS[1 + Math.floor(this.random() * QTY_LOTS_MAX)] as string;
  }

  /** `direction` -1 rests on the order's own side of the mid, +1 reaches through it to the other side. */
  private place(requestId: number, kind: MixKind, timeInForce: 'GTC' | 'IOC', offsetTicks: number, direction: number): FlowRequest {
    const symbolIndex = Math.floor(this.random() * this.symbolNames.length);
    const side = this.side();
    const offset = (side === 'buy' ? 1 : -1) * direction * offsetTicks;
    const message: ClientMessage = {
      type: 'place', requestId, symbol: this.symbolNames[symbolIndex] as string, side, orderType: 'limit', timeInForce,
      price: PRICE_TEXT_BY_OFFSET.get(offset) as string, qty: this.qty(),
    };
    return { message, kind, symbolIndex, side };
  }

  /** The order is forgotten at once: a second cancel of it would only be refused. */
  private cancel(requestId: number): FlowRequest {
    const order = this.live.pick(this.random());
    this.live.remove(order.orderId);
    return { message: { type: 'cancel', requestId, symbol: this.symbolNames[order.symbolIndex] as string, orderId: order.orderId }, kind: 'cancel', symbolIndex: order.symbolIndex, side: order.side };
  }

  private replace(requestId: number): FlowRequest {
    const order: LiveOrder = this.live.pick(this.random());
    const offset = (order.side === 'buy' ? -1 : 1) * (1 + Math.floor(this.random() * PASSIVE_OFFSET_TICKS_MAX));
    const message: ClientMessage = {
      type: 'replace', requestId, symbol: this.symbolNames[order.symbolIndex] as string, orderId: order.orderId, price: PRICE_TEXT_BY_OFFSET.get(offset) as string, qty: this.qty(),
    };
    return { message, kind: 'replace', symbolIndex: order.symbolIndex, side: order.side };
  }
}
