// Time and price events of the core: GTD expiry, evaluated against each command's timestamp
// before the command applies, and the stop cascade, evaluated after each incoming order.
//
// Cascade order (deterministic): after an order has fully executed, if the last trade price
// reaches a pending stop, ONE stop triggers: the buy stop with the lowest stop price whose stop is
// at or below the last price (earliest arrival among equals), else the sell stop with the highest
// stop price at or above it. It executes completely as an incoming order (and may move the last
// price), then the check repeats, until no stop is reached. A command that has produced
// matchesPerCommandMax fills triggers no more stops: they stay pending for a later command.
import { OrderType, Side, SymbolStatus, TimeInForce } from './commands.ts';
import type { CoreState, SymbolBook } from './core-state.ts';
import { endLiveOrder, endLiveOrderAndSibling, releaseAllReserved, releaseReserved, takeOffStops, unlinkPair } from './book-ops.ts';
import { fillableQty } from './matching.ts';
import { NIL, OrderState } from './order-store.ts';
import { executeIncoming } from './placing.ts';
import { checkLevelRoom, checkLimitPrice } from './price-rules.ts';
import { ResultCode } from './result-codes.ts';

export function runTriggers(s: CoreState, sym: SymbolBook): void {
  const o = s.orders;
  for (;;) {
    const last = sym.lastPriceTicks;
    if (last === 0 || sym.status !== SymbolStatus.TRADING || s.matchesInCommand >= s.config.matchesPerCommandMax) return;
    let slot = sym.buyStops.next();
    if (slot === NIL || (o.stopPriceTicks[slot] as number) > last) {
      slot = sym.sellStops.next();
      if (slot === NIL || (o.stopPriceTicks[slot] as number) < last) return;
    }
    trigger(s, sym, slot);
  }
}

function trigger(s: CoreState, sym: SymbolBook, slot: number): void {
  const o = s.orders;
  takeOffStops(s, sym, slot);
  s.events.triggered(o, sym.id, slot, sym.lastPriceTicks);
  const sibling = unlinkPair(s, slot);
  if (sibling !== NIL) {
    o.reserved[slot] = (o.reserved[slot] as number) + (o.reserved[sibling] as number);
    o.reserved[sibling] = 0;
    endLiveOrder(s, sym, sibling, ResultCode.OCO_SIBLING_DONE);
  }
  o.state[slot] = OrderState.INCOMING;
  o.priority[slot] = s.priorityNext++;
  if (o.orderType[slot] === OrderType.STOP_MARKET) {
    o.orderType[slot] = OrderType.MARKET;
    o.tif[slot] = TimeInForce.IOC;
    if (o.side[slot] === Side.BUY) releaseReserved(s, sym, slot, (o.reserved[slot] as number) - (o.quoteBudget[slot] as number));
    executeIncoming(s, sym, slot);
    return;
  }
  o.orderType[slot] = OrderType.LIMIT;
  const refusal = refuseTriggeredLimit(s, sym, slot);
  if (refusal === ResultCode.OK) {
    executeIncoming(s, sym, slot);
    return;
  }
  s.events.cancelled(o, sym.id, slot, refusal, o.openQty[slot] as number, 0, 0);
  releaseAllReserved(s, sym, slot);
  o.release(slot);
}

/** A triggered stop-limit meets the rules of a new limit order now: band, FOK, room to rest. */
function refuseTriggeredLimit(s: CoreState, sym: SymbolBook, slot: number): number {
  const o = s.orders;
  const price = o.priceTicks[slot] as number;
  if (checkLimitPrice(sym, price) !== ResultCode.OK) return ResultCode.TRIGGERED_OUT_OF_BAND;
  const tif = o.tif[slot] as number;
  if (tif === TimeInForce.FOK && fillableQty(s, sym, slot, o.openQty[slot] as number) < (o.openQty[slot] as number)) {
    return ResultCode.FOK_NOT_FILLABLE;
  }
  if (tif === TimeInForce.GTC || tif === TimeInForce.GTD) return checkLevelRoom(s, sym, o.side[slot] as number, price);
  return ResultCode.OK;
}

/** Ends every order whose GTD expiry is at or before `timeUs`, earliest first. */
export function expireDue(s: CoreState, timeUs: number): void {
  const o = s.orders;
  for (;;) {
    const slot = s.expiries.top();
    if (slot === NIL || (o.expireTimeUs[slot] as number) > timeUs) return;
    const sym = s.symbols[o.symbolId[slot] as number] as SymbolBook;
    endLiveOrderAndSibling(s, sym, slot, ResultCode.EXPIRED, ResultCode.EXPIRED);
  }
}
