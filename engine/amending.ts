// Changes to live orders: cancel (an OCO pair goes together), replace (priority kept only for a
// quantity decrease at the same price; otherwise the order re-enters and may trade), mass cancel.
import { ALL_ACCOUNTS, ALL_SESSIONS, ALL_SYMBOLS, BOTH_SIDES, OrderFlag, ORDER_FLAGS_ALL, Side, SymbolStatus, type CancelCommand, type MassCancelCommand, type ReplaceCommand } from './commands.ts';
import type { CoreState, SymbolBook } from './core-state.ts';
import { clientOrderSlot, detachFromLevel, dropLevelIfEmpty, endLiveOrderAndSibling, releaseReserved, reserveAmount, reserveAssetId, trimReserved, unregisterLive } from './book-ops.ts';
import { wouldCross } from './matching.ts';
import { NIL, OrderState } from './order-store.ts';
import { executeIncoming } from './placing.ts';
import { checkLevelRoom, checkLimitPrice } from './price-rules.ts';
import { ResultCode } from './result-codes.ts';
import { CommandType } from './schema.ts';
import { runTriggers } from './triggers.ts';

/**
 * The live order a cancel or replace names (by order id, or when that is 0 by the account's client
 * order id) on `symbolId`, or minus the code saying why there is none.
 */
function namedOrder(s: CoreState, c: CancelCommand | ReplaceCommand): number {
  if (s.symbols[c.symbolId] === undefined) return -ResultCode.UNKNOWN_SYMBOL;
  if (!Number.isInteger(c.accountId) || c.accountId < 0 || c.accountId >= s.ledger.accountCount) return -ResultCode.UNKNOWN_ACCOUNT;
  const byClientId = c.orderId === 0;
  const id = byClientId ? c.clientOrderId : c.orderId;
  if (!Number.isSafeInteger(id) || id < 1) return -ResultCode.UNKNOWN_ORDER;
  const slot = byClientId ? clientOrderSlot(s, c.accountId, id) : s.slotByOrderId.get(id);
  if (slot === NIL || s.orders.symbolId[slot] !== c.symbolId) return -ResultCode.UNKNOWN_ORDER;
  if (s.orders.accountId[slot] !== c.accountId) return -ResultCode.NOT_ORDER_OWNER;
  return slot;
}

export function cancel(s: CoreState, c: CancelCommand): void {
  const slot = namedOrder(s, c);
  if (slot < 0) {
    s.events.rejected(CommandType.CANCEL, -slot, c.symbolId, c.accountId, c.orderId, c.clientOrderId);
    return;
  }
  endLiveOrderAndSibling(s, s.symbols[c.symbolId] as SymbolBook, slot, ResultCode.CANCELLED_BY_OWNER, ResultCode.OCO_SIBLING_DONE);
}

function massCancelCode(s: CoreState, c: MassCancelCommand): number {
  const sweep = c.accountId === ALL_ACCOUNTS && c.sessionId === ALL_SESSIONS;
  if (!sweep && (!Number.isInteger(c.accountId) || c.accountId < 0 || c.accountId >= s.ledger.accountCount)) return ResultCode.UNKNOWN_ACCOUNT;
  if (c.symbolId !== ALL_SYMBOLS && s.symbols[c.symbolId] === undefined) return ResultCode.UNKNOWN_SYMBOL;
  if (c.side !== BOTH_SIDES && c.side !== Side.BUY && c.side !== Side.SELL) return ResultCode.BAD_SIDE;
  if (!Number.isInteger(c.sessionId) || c.sessionId < 0 || c.sessionId > ALL_SESSIONS) return ResultCode.NOT_SAFE_INTEGER;
  return ResultCode.OK;
}

/**
 * Ends the live orders of an account (or, for the restart sweep, of every account) that match the
 * symbol, side and session filters, in each account's order of arrival, and reports how many.
 * A session filter selects the cancel-on-disconnect orders of that session (or of every session).
 */
export function massCancel(s: CoreState, c: MassCancelCommand): void {
  const code = massCancelCode(s, c);
  if (code !== ResultCode.OK) {
    s.events.rejected(CommandType.MASS_CANCEL, code, c.symbolId, c.accountId, 0, 0);
    return;
  }
  const reason = c.sessionId === 0 ? ResultCode.CANCELLED_BY_MASS_CANCEL : ResultCode.CANCELLED_ON_DISCONNECT;
  const first = c.accountId === ALL_ACCOUNTS ? 0 : c.accountId;
  const last = c.accountId === ALL_ACCOUNTS ? s.ledger.accountCount - 1 : c.accountId;
  let cancelled = 0;
  for (let account = first; account <= last; account++) cancelled += cancelMatching(s, account, c, reason);
  s.events.massCancelDone(c.accountId, c.symbolId, c.side, c.sessionId, cancelled);
}

function cancelMatching(s: CoreState, account: number, c: MassCancelCommand, reason: number): number {
  const o = s.orders;
  let cancelled = 0;
  let slot = s.ledger.orderHead[account] as number;
  while (slot !== NIL) {
    let next = o.accountNext[slot] as number;
    const session = o.sessionId[slot] as number;
    const matches = (c.symbolId === ALL_SYMBOLS || o.symbolId[slot] === c.symbolId) && (c.side === BOTH_SIDES || o.side[slot] === c.side) &&
      (c.sessionId === 0 || (session !== 0 && (c.sessionId === ALL_SESSIONS || session === c.sessionId)));
    if (matches) {
      const sibling = o.link[slot] as number;
      if (next !== NIL && next === sibling) next = o.accountNext[next] as number;
      cancelled += sibling === NIL ? 1 : 2;
      endLiveOrderAndSibling(s, s.symbols[o.symbolId[slot] as number] as SymbolBook, slot, reason, reason);
    }
    slot = next;
  }
  return cancelled;
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
  const slot = namedOrder(s, c);
  const code = slot < 0 ? -slot : validateReplace(s, s.symbols[c.symbolId] as SymbolBook, slot, c);
  if (code !== ResultCode.OK) {
    s.events.rejected(CommandType.REPLACE, code, c.symbolId, c.accountId, c.orderId, c.clientOrderId);
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
  if (!Number.isInteger(c.flags) || (c.flags & ~ORDER_FLAGS_ALL) !== 0) return ResultCode.BAD_FLAGS;
  if (!Number.isSafeInteger(c.qtyLots) || !Number.isSafeInteger(c.priceTicks)) return ResultCode.NOT_SAFE_INTEGER;
  if (c.qtyLots < 1) return ResultCode.QTY_NOT_POSITIVE;
  if (c.qtyLots > sym.spec.maxQtyLots) return ResultCode.QTY_ABOVE_MAX;
  const samePrice = c.priceTicks === o.priceTicks[slot];
  if (samePrice && c.qtyLots <= (o.openQty[slot] as number)) return ResultCode.OK;
  const priceCode = checkLimitPrice(sym, c.priceTicks);
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
  s.events.replaced(o, sym.id, slot, true, o.priceTicks[slot] as number, oldQty, oldVisible, visible);
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
  s.events.replaced(o, sym.id, slot, false, oldPrice, oldQty, oldVisible, display > 0 ? Math.min(display, qtyLots) : qtyLots);
  executeIncoming(s, sym, slot);
  runTriggers(s, sym);
}
