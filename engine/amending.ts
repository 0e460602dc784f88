// Changes to live orders: cancel (an OCO pair goes together), replace (priority kept only for a
// quantity decrease at the same price; otherwise the order re-enters and may trade), mass cancel.
import { BOTH_SIDES, ALL_SYMBOLS, OrderFlag, ORDER_FLAGS_ALL, SymbolStatus, type CancelCommand, type MassCancelCommand, type ReplaceCommand } from './commands.ts';
import type { CoreState, SymbolBook } from './core-state.ts';
import { detachFromLevel, dropLevelIfEmpty, endLiveOrderAndSibling, releaseReserved, reserveAmount, reserveAssetId, trimReserved, unregisterLive } from './book-ops.ts';
import { wouldCross } from './matching.ts';
import { NIL, OrderState } from './order-store.ts';
import { executeIncoming } from './placing.ts';
import { checkLevelRoom, checkLimitPrice } from './price-rules.ts';
import { ResultCode } from './result-codes.ts';
import { CommandType } from './schema.ts';
import { runTriggers } from './triggers.ts';

/** The live order `orderId` of `accountId` on `symbolId`, or the code saying why there is none. */
function ownedOrder(s: CoreState, symbolId: number, accountId: number, orderId: number): number {
  if (s.symbols[symbolId] === undefined) return -ResultCode.UNKNOWN_SYMBOL;
  if (!Number.isInteger(accountId) || accountId < 0 || accountId >= s.ledger.accountCount) return -ResultCode.UNKNOWN_ACCOUNT;
  const slot = Number.isSafeInteger(orderId) ? s.slotByOrderId.get(orderId) : NIL;
  if (slot === NIL || s.orders.symbolId[slot] !== symbolId) return -ResultCode.UNKNOWN_ORDER;
  if (s.orders.accountId[slot] !== accountId) return -ResultCode.NOT_ORDER_OWNER;
  return slot;
}

export function cancel(s: CoreState, c: CancelCommand): void {
  const slot = ownedOrder(s, c.symbolId, c.accountId, c.orderId);
  if (slot < 0) {
    s.events.rejected(CommandType.CANCEL, -slot, c.symbolId, c.accountId, Number.isSafeInteger(c.orderId) ? c.orderId : 0);
    return;
  }
  endLiveOrderAndSibling(s, s.symbols[c.symbolId] as SymbolBook, slot, ResultCode.CANCELLED_BY_OWNER, ResultCode.OCO_SIBLING_DONE);
}

export function massCancel(s: CoreState, c: MassCancelCommand): void {
  const l = s.ledger;
  let code: number = ResultCode.OK;
  if (!Number.isInteger(c.accountId) || c.accountId < 0 || c.accountId >= l.accountCount) code = ResultCode.UNKNOWN_ACCOUNT;
  else if (c.symbolId !== ALL_SYMBOLS && s.symbols[c.symbolId] === undefined) code = ResultCode.UNKNOWN_SYMBOL;
  else if (c.side !== BOTH_SIDES && c.side !== 1 && c.side !== 2) code = ResultCode.BAD_SIDE;
  if (code !== ResultCode.OK) {
    s.events.rejected(CommandType.MASS_CANCEL, code, c.symbolId, c.accountId, 0);
    return;
  }
  const o = s.orders;
  let slot = l.orderHead[c.accountId] as number;
  while (slot !== NIL) {
    let next = o.accountNext[slot] as number;
    const matches = (c.symbolId === ALL_SYMBOLS || o.symbolId[slot] === c.symbolId) && (c.side === BOTH_SIDES || o.side[slot] === c.side);
    if (matches) {
      if (next !== NIL && next === o.link[slot]) next = o.accountNext[next] as number;
      endLiveOrderAndSibling(s, s.symbols[o.symbolId[slot] as number] as SymbolBook, slot, ResultCode.CANCELLED_BY_MASS_CANCEL,
        ResultCode.CANCELLED_BY_MASS_CANCEL);
    }
    slot = next;
  }
}

/** Ends every live order of a symbol that is closing: levels best first, bids then asks, then stops. */
export function cancelAllOfSymbol(s: CoreState, sym: SymbolBook): void {
  const lv = s.levels;
  for (const ladder of [sym.bids, sym.asks]) {
    while (ladder.count > 0) endLiveOrderAndSibling(s, sym, lv.head[ladder.best()] as number, ResultCode.SYMBOL_CLOSING, ResultCode.SYMBOL_CLOSING);
  }
  for (const ladder of [sym.buyStops, sym.sellStops]) {
    while (ladder.count > 0) endLiveOrderAndSibling(s, sym, ladder.next(), ResultCode.SYMBOL_CLOSING, ResultCode.SYMBOL_CLOSING);
  }
}

export function replace(s: CoreState, c: ReplaceCommand): void {
  const slot = ownedOrder(s, c.symbolId, c.accountId, c.orderId);
  const code = slot < 0 ? -slot : validateReplace(s, s.symbols[c.symbolId] as SymbolBook, slot, c);
  if (code !== ResultCode.OK) {
    s.events.rejected(CommandType.REPLACE, code, c.symbolId, c.accountId, Number.isSafeInteger(c.orderId) ? c.orderId : 0);
    return;
  }
  const sym = s.symbols[c.symbolId] as SymbolBook;
  const o = s.orders;
  if (c.priceTicks === o.priceTicks[slot] && c.qtyLots <= (o.openQty[slot] as number)) reduceInPlace(s, sym, slot, c.qtyLots);
  else reenter(s, sym, slot, c.priceTicks, c.qtyLots);
}

function validateReplace(s: CoreState, sym: SymbolBook, slot: number, c: ReplaceCommand): number {
  const o = s.orders;
  if (o.state[slot] !== OrderState.RESTING) return ResultCode.ORDER_NOT_RESTING;
  if (o.link[slot] !== NIL) return ResultCode.OCO_NOT_REPLACEABLE;
  if (sym.status !== SymbolStatus.TRADING) return sym.status === SymbolStatus.HALTED ? ResultCode.SYMBOL_HALTED : ResultCode.SYMBOL_CLOSED;
  if ((c.flags & ~ORDER_FLAGS_ALL) !== 0) return ResultCode.BAD_FLAGS;
  if (!Number.isSafeInteger(c.qtyLots)) return ResultCode.NOT_SAFE_INTEGER;
  if (c.qtyLots < 1) return ResultCode.QTY_NOT_POSITIVE;
  if (c.qtyLots > sym.spec.maxQtyLots) return ResultCode.QTY_ABOVE_MAX;
  const samePrice = c.priceTicks === o.priceTicks[slot];
  if (samePrice && c.qtyLots <= (o.openQty[slot] as number)) return ResultCode.OK;
  const priceCode = samePrice ? ResultCode.OK : checkLimitPrice(sym, c.priceTicks);
  if (priceCode !== ResultCode.OK) return priceCode;
  const side = o.side[slot] as number;
  if ((c.flags & OrderFlag.POST_ONLY) !== 0 && wouldCross(s, sym, side, c.priceTicks)) return ResultCode.POST_ONLY_WOULD_CROSS;
  const ownLevelEmptied = o.level[slot] !== NIL && s.levels.orderCount[o.level[slot] as number] === 1;
  if (!samePrice && !ownLevelEmptied && checkLevelRoom(s, sym, side, c.priceTicks) !== ResultCode.OK) return ResultCode.LEVELS_MAX;
  if (!s.config.riskEnabled) return ResultCode.OK;
  const extra = reserveAmount(sym, side, c.priceTicks, c.qtyLots) - (o.reserved[slot] as number);
  const asset = s.ledger.assets[reserveAssetId(sym, side)];
  const available = asset === undefined ? 0 : (asset.available[c.accountId] as number);
  return extra <= available ? ResultCode.OK : ResultCode.INSUFFICIENT_BALANCE;
}

/** Same price, no larger quantity: the order keeps its place in the queue. */
function reduceInPlace(s: CoreState, sym: SymbolBook, slot: number, qtyLots: number): void {
  const o = s.orders;
  const lv = s.levels;
  const level = o.level[slot] as number;
  const oldQty = o.openQty[slot] as number;
  const oldVisible = o.visibleQty[slot] as number;
  const visible = Math.min(oldVisible, qtyLots);
  o.openQty[slot] = qtyLots;
  o.visibleQty[slot] = visible;
  lv.totalQty[level] = (lv.totalQty[level] as number) - (oldQty - qtyLots);
  lv.visibleQty[level] = (lv.visibleQty[level] as number) - (oldVisible - visible);
  trimReserved(s, sym, slot);
  s.events.replaced(sym.id, o.accountId[slot] as number, o.orderId[slot] as number, o.side[slot] as number, true,
    o.priceTicks[slot] as number, oldQty, oldVisible, qtyLots, qtyLots, visible);
}

/** Any other change: the order leaves the book and enters again as an incoming order with its id. */
function reenter(s: CoreState, sym: SymbolBook, slot: number, priceTicks: number, qtyLots: number): void {
  const o = s.orders;
  const oldPrice = o.priceTicks[slot] as number;
  const oldQty = o.openQty[slot] as number;
  const oldVisible = o.visibleQty[slot] as number;
  const side = o.side[slot] as number;
  const level = detachFromLevel(s, slot);
  dropLevelIfEmpty(s, sym, side, level);
  unregisterLive(s, slot);
  o.state[slot] = OrderState.INCOMING;
  o.priceTicks[slot] = priceTicks;
  o.openQty[slot] = qtyLots;
  o.visibleQty[slot] = 0;
  o.priority[slot] = s.priorityNext++;
  if (s.config.riskEnabled) {
    const need = reserveAmount(sym, side, priceTicks, qtyLots);
    const extra = need - (o.reserved[slot] as number);
    if (extra > 0) {
      s.ledger.reserve(reserveAssetId(sym, side), o.accountId[slot] as number, extra);
      o.reserved[slot] = need;
    } else {
      releaseReserved(s, sym, slot, -extra);
    }
  }
  const display = o.displayQty[slot] as number;
  s.events.replaced(sym.id, o.accountId[slot] as number, o.orderId[slot] as number, side, false,
    oldPrice, oldQty, oldVisible, priceTicks, qtyLots, display > 0 ? Math.min(display, qtyLots) : qtyLots);
  executeIncoming(s, sym, slot);
  runTriggers(s, sym);
}
