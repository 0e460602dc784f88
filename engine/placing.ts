// New orders: validation (every rejection a result code, nothing changed), reservation, then
// execution: limit and market orders match and rest or end; stops wait in their ladder; an OCO
// pair places its stop leg and executes its limit leg.
import { ALL_SESSIONS, OrderFlag, OrderType, ORDER_FLAGS_ALL, Side, StpMode, SymbolStatus, TimeInForce, type PlaceCommand } from './commands.ts';
import type { CoreState, SymbolBook } from './core-state.ts';
import { clientOrderSlot, endLiveOrder, enqueue, registerLive, unlinkPair, releaseAllReserved, reserveAmount, reserveAssetId, trimReserved } from './book-ops.ts';
import { fillableQty, matchIncoming, wouldCross } from './matching.ts';
import { NIL, OrderState } from './order-store.ts';
import { checkLevelRoom, checkLimitPrice, checkQty } from './price-rules.ts';
import { ResultCode } from './result-codes.ts';
import { CommandType } from './schema.ts';
import { runTriggers } from './triggers.ts';

const isStop = (orderType: number) => orderType === OrderType.STOP_LIMIT || orderType === OrderType.STOP_MARKET;
const rests = (tif: number) => tif === TimeInForce.GTC || tif === TimeInForce.GTD;
const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;

export function place(s: CoreState, c: PlaceCommand): void {
  const sym = s.symbols[c.symbolId];
  const code = sym === undefined ? ResultCode.UNKNOWN_SYMBOL : validatePlace(s, sym, c);
  if (code !== ResultCode.OK || sym === undefined) {
    s.events.rejected(CommandType.PLACE, code, c.symbolId, c.accountId, c.orderId, c.clientOrderId);
    return;
  }
  const slot = s.orders.alloc();
  initOrder(s, slot, c, c.orderId, c.orderType === OrderType.OCO ? OrderType.LIMIT : c.orderType, c.priceTicks, c.stopPriceTicks);
  if (s.config.riskEnabled) {
    const amount = reservationOf(sym, c);
    s.ledger.reserve(reserveAssetId(sym, c.side), c.accountId, amount);
    s.orders.reserved[slot] = amount;
  }
  s.events.accepted(c);
  if (isStop(c.orderType)) {
    placeStop(s, sym, slot);
    return;
  }
  if (c.orderType === OrderType.OCO) {
    const stopLeg = s.orders.alloc();
    initOrder(s, stopLeg, c, c.linkedOrderId, c.linkedPriceTicks === 0 ? OrderType.STOP_MARKET : OrderType.STOP_LIMIT,
      c.linkedPriceTicks, c.stopPriceTicks);
    s.orders.displayQty[stopLeg] = 0;
    s.orders.flags[stopLeg] = 0;
    s.orders.link[slot] = stopLeg;
    s.orders.link[stopLeg] = slot;
    placeStop(s, sym, stopLeg);
  }
  executeIncoming(s, sym, slot);
  runTriggers(s, sym);
}

function initOrder(s: CoreState, slot: number, c: PlaceCommand, orderId: number, orderType: number, priceTicks: number, stopPriceTicks: number): void {
  const o = s.orders;
  o.orderId[slot] = orderId;
  o.accountId[slot] = c.accountId;
  o.symbolId[slot] = c.symbolId;
  o.side[slot] = c.side;
  o.orderType[slot] = orderType;
  o.tif[slot] = c.tif;
  o.flags[slot] = c.flags;
  o.stp[slot] = c.stp;
  o.priceTicks[slot] = priceTicks;
  o.stopPriceTicks[slot] = stopPriceTicks;
  o.openQty[slot] = c.qtyLots;
  o.visibleQty[slot] = 0;
  o.displayQty[slot] = c.displayQtyLots < c.qtyLots ? c.displayQtyLots : 0;
  o.expireTimeUs[slot] = c.tif === TimeInForce.GTD ? c.expireTimeUs : 0;
  o.priority[slot] = s.priorityNext++;
  o.clientOrderId[slot] = c.clientOrderId;
  o.sessionId[slot] = c.sessionId;
  o.quoteBudget[slot] = c.side === Side.BUY ? c.quoteBudget : 0;
}

/** What the order reserves: its limit cost (both legs' worst for OCO), a market buy's budget, or base. */
function reservationOf(sym: SymbolBook, c: PlaceCommand): number {
  if (c.side === Side.SELL) return reserveAmount(sym, c.side, 0, c.qtyLots);
  switch (c.orderType) {
    case OrderType.MARKET:
    case OrderType.STOP_MARKET:
      return c.quoteBudget;
    case OrderType.OCO:
      return Math.max(reserveAmount(sym, c.side, c.priceTicks, c.qtyLots),
        c.linkedPriceTicks === 0 ? c.quoteBudget : reserveAmount(sym, c.side, c.linkedPriceTicks, c.qtyLots));
    default:
      return reserveAmount(sym, c.side, c.priceTicks, c.qtyLots);
  }
}

function placeStop(s: CoreState, sym: SymbolBook, slot: number): void {
  const o = s.orders;
  o.state[slot] = OrderState.STOP_PENDING;
  (o.side[slot] === Side.BUY ? sym.buyStops : sym.sellStops).insert(slot, o.stopPriceTicks, o.priority);
  registerLive(s, slot);
}

/**
 * Runs an incoming order (not yet live) to its end: it matches, then its remainder rests (limit
 * GTC/GTD) or is cancelled with the reason matching gave or the one its kind implies.
 */
export function executeIncoming(s: CoreState, sym: SymbolBook, t: number): void {
  const o = s.orders;
  const stopReason = matchIncoming(s, sym, t);
  const open = o.openQty[t] as number;
  if (open > 0 && stopReason === 0 && o.orderType[t] === OrderType.LIMIT && rests(o.tif[t] as number)) {
    const display = o.displayQty[t] as number;
    o.visibleQty[t] = display > 0 ? Math.min(display, open) : open;
    enqueue(s, sym, t);
    registerLive(s, t);
    trimReserved(s, sym, t);
    s.events.rested(o, sym.id, t);
    return;
  }
  if (open > 0) {
    const reason = stopReason !== 0 ? stopReason : o.orderType[t] === OrderType.MARKET ? ResultCode.UNFILLED_MARKET : ResultCode.UNFILLED_IOC;
    s.events.cancelled(o, sym.id, t, reason, open, 0, 0);
  }
  releaseAllReserved(s, sym, t);
  const sibling = unlinkPair(s, t);
  o.release(t);
  if (sibling !== NIL) endLiveOrder(s, sym, sibling, ResultCode.OCO_SIBLING_DONE);
}

function validatePlace(s: CoreState, sym: SymbolBook, c: PlaceCommand): number {
  const account = c.accountId;
  if (!Number.isInteger(account) || account < 0 || account >= s.ledger.accountCount) return ResultCode.UNKNOWN_ACCOUNT;
  const safe = isCount(c.orderId) && isCount(c.priceTicks) && isCount(c.qtyLots) && isCount(c.stopPriceTicks) && isCount(c.displayQtyLots) &&
    isCount(c.expireTimeUs) && isCount(c.quoteBudget) && isCount(c.linkedOrderId) && isCount(c.linkedPriceTicks) && isCount(c.clientOrderId) &&
    isCount(c.sessionId) && c.sessionId < ALL_SESSIONS;
  if (!safe) return ResultCode.NOT_SAFE_INTEGER;
  if (c.orderId < 1) return ResultCode.BAD_ORDER_ID;
  if (c.side !== Side.BUY && c.side !== Side.SELL) return ResultCode.BAD_SIDE;
  if (!Number.isInteger(c.orderType) || c.orderType < OrderType.LIMIT || c.orderType > OrderType.OCO) return ResultCode.BAD_ORDER_TYPE;
  if (!Number.isInteger(c.tif) || c.tif < TimeInForce.GTC || c.tif > TimeInForce.GTD) return ResultCode.BAD_TIME_IN_FORCE;
  if (!Number.isInteger(c.stp) || c.stp < StpMode.NONE || c.stp > StpMode.DECREMENT_AND_CANCEL) return ResultCode.BAD_STP_MODE;
  if (!Number.isInteger(c.flags) || (c.flags & ~ORDER_FLAGS_ALL) !== 0) return ResultCode.BAD_FLAGS;
  if (hasUnusedField(c)) return ResultCode.UNUSED_FIELD_SET;
  if (sym.status === SymbolStatus.HALTED) return ResultCode.SYMBOL_HALTED;
  if (sym.status === SymbolStatus.CLOSED) return ResultCode.SYMBOL_CLOSED;
  if (s.slotByOrderId.has(c.orderId)) return ResultCode.DUPLICATE_ORDER_ID;
  if (c.clientOrderId > 0 && clientOrderSlot(s, account, c.clientOrderId) !== NIL) return ResultCode.DUPLICATE_CLIENT_ORDER_ID;
  const qtyCode = checkQty(sym, c.qtyLots);
  if (qtyCode !== ResultCode.OK) return qtyCode;
  if (c.tif === TimeInForce.GTD ? c.expireTimeUs <= c.timeUs : c.expireTimeUs !== 0) {
    return c.tif === TimeInForce.GTD ? ResultCode.EXPIRE_TIME_PASSED : ResultCode.BAD_EXPIRE_TIME;
  }
  if (c.displayQtyLots > c.qtyLots || (c.displayQtyLots > 0 && !rests(c.tif))) return ResultCode.BAD_DISPLAY_QTY;
  const postOnly = (c.flags & OrderFlag.POST_ONLY) !== 0;
  if (postOnly && (!rests(c.tif) || (c.orderType !== OrderType.LIMIT && c.orderType !== OrderType.OCO))) return ResultCode.BAD_FLAGS;
  const kindCode = validateKind(s, sym, c);
  if (kindCode !== ResultCode.OK) return kindCode;
  if (postOnly && wouldCross(s, sym, c.side, c.priceTicks)) return ResultCode.POST_ONLY_WOULD_CROSS;
  return validateCapacityAndRisk(s, sym, c);
}

/**
 * True when a field the order type does not use is set: a stop price outside stops and OCO, a price
 * on a market or stop-market order, a display quantity on a market order or a stop-market, a budget
 * outside market-like buys, OCO fields outside OCO.
 */
function hasUnusedField(c: PlaceCommand): boolean {
  const type = c.orderType;
  const marketLike = type === OrderType.MARKET || type === OrderType.STOP_MARKET;
  const budgetUsed = c.side === Side.BUY && (marketLike || type === OrderType.OCO);
  return (c.stopPriceTicks !== 0 && (type === OrderType.LIMIT || type === OrderType.MARKET)) ||
    (marketLike && (c.priceTicks !== 0 || c.displayQtyLots !== 0)) ||
    (c.quoteBudget !== 0 && !budgetUsed) ||
    (type !== OrderType.OCO && (c.linkedOrderId !== 0 || c.linkedPriceTicks !== 0));
}

/** The rules of each order type: prices, stops, times in force, OCO legs, FOK fillability. */
function validateKind(s: CoreState, sym: SymbolBook, c: PlaceCommand): number {
  switch (c.orderType) {
    case OrderType.LIMIT: {
      const priceCode = checkLimitPrice(sym, c.priceTicks);
      if (priceCode !== ResultCode.OK) return priceCode;
      return c.tif === TimeInForce.FOK ? checkFillOrKill(s, sym, c) : ResultCode.OK;
    }
    case OrderType.MARKET:
      if (c.tif !== TimeInForce.IOC && c.tif !== TimeInForce.FOK) return ResultCode.MARKET_NOT_ALLOWED_TIF;
      if (s.config.riskEnabled && c.side === Side.BUY && c.quoteBudget === 0) return ResultCode.MARKET_BUY_NEEDS_BUDGET;
      return c.tif === TimeInForce.FOK ? checkFillOrKill(s, sym, c) : ResultCode.OK;
    case OrderType.STOP_LIMIT: {
      const priceCode = checkLimitPrice(sym, c.priceTicks);
      if (priceCode !== ResultCode.OK && priceCode !== ResultCode.PRICE_OUT_OF_BAND) return priceCode;
      return checkStopPrice(sym, c.side, c.stopPriceTicks);
    }
    case OrderType.STOP_MARKET:
      if (!rests(c.tif)) return ResultCode.BAD_TIME_IN_FORCE;
      if (s.config.riskEnabled && c.side === Side.BUY && c.quoteBudget === 0) return ResultCode.MARKET_BUY_NEEDS_BUDGET;
      return checkStopPrice(sym, c.side, c.stopPriceTicks);
    case OrderType.OCO:
      return validateOco(s, sym, c);
    default:
      return ResultCode.BAD_ORDER_TYPE;
  }
}

function validateOco(s: CoreState, sym: SymbolBook, c: PlaceCommand): number {
  if (!rests(c.tif)) return ResultCode.BAD_TIME_IN_FORCE;
  if (c.linkedOrderId < 1 || c.linkedOrderId === c.orderId) return ResultCode.BAD_OCO;
  if (s.slotByOrderId.has(c.linkedOrderId)) return ResultCode.DUPLICATE_ORDER_ID;
  const priceCode = checkLimitPrice(sym, c.priceTicks);
  if (priceCode !== ResultCode.OK) return priceCode;
  if (c.linkedPriceTicks > sym.spec.priceTicksMax) return ResultCode.PRICE_ABOVE_MAX;
  if (c.linkedPriceTicks === 0 && s.config.riskEnabled && c.side === Side.BUY && c.quoteBudget === 0) return ResultCode.MARKET_BUY_NEEDS_BUDGET;
  return checkStopPrice(sym, c.side, c.stopPriceTicks);
}

/** A stop must lie beyond the last trade price in its direction, or it would trigger at once. */
function checkStopPrice(sym: SymbolBook, side: number, stopPriceTicks: number): number {
  if (stopPriceTicks < 1 || stopPriceTicks > sym.spec.priceTicksMax) return ResultCode.BAD_STOP_PRICE;
  const last = sym.lastPriceTicks;
  if (last === 0) return ResultCode.OK;
  const triggersNow = side === Side.BUY ? stopPriceTicks <= last : stopPriceTicks >= last;
  return triggersNow ? ResultCode.STOP_WOULD_TRIGGER : ResultCode.OK;
}

/** Fill-or-kill is decided before acceptance: a quantity that cannot fill in full is rejected unchanged. */
function checkFillOrKill(s: CoreState, sym: SymbolBook, c: PlaceCommand): number {
  const probe = s.orders.alloc();
  if (probe === NIL) return ResultCode.ORDERS_MAX;
  initOrder(s, probe, c, c.orderId, c.orderType, c.priceTicks, 0);
  s.priorityNext--;
  s.orders.reserved[probe] = c.side === Side.BUY && c.orderType === OrderType.MARKET ? c.quoteBudget : 0;
  const fillable = fillableQty(s, sym, probe, c.qtyLots);
  s.orders.reserved[probe] = 0;
  s.orders.release(probe);
  return fillable >= c.qtyLots ? ResultCode.OK : ResultCode.FOK_NOT_FILLABLE;
}

function validateCapacityAndRisk(s: CoreState, sym: SymbolBook, c: PlaceCommand): number {
  const slotsNeeded = c.orderType === OrderType.OCO ? 2 : 1;
  if (s.orders.live + slotsNeeded > s.config.ordersMax) return ResultCode.ORDERS_MAX;
  const mayRest = c.orderType !== OrderType.MARKET && (rests(c.tif) || isStop(c.orderType));
  if (mayRest && (s.ledger.orderCount[c.accountId] as number) + slotsNeeded > s.config.ordersPerAccountMax) return ResultCode.ORDERS_PER_ACCOUNT_MAX;
  if (isStop(c.orderType) || c.orderType === OrderType.OCO) {
    const ladder = c.side === Side.BUY ? sym.buyStops : sym.sellStops;
    if (ladder.count >= s.config.stopsPerSideMax) return ResultCode.STOPS_MAX;
  }
  if ((c.orderType === OrderType.LIMIT || c.orderType === OrderType.OCO) && rests(c.tif)) {
    const roomCode = checkLevelRoom(s, sym, c.side, c.priceTicks);
    if (roomCode !== ResultCode.OK) return roomCode;
  }
  if (!s.config.riskEnabled) return ResultCode.OK;
  const asset = s.ledger.assets[reserveAssetId(sym, c.side)];
  const available = asset === undefined ? 0 : (asset.available[c.accountId] as number);
  return available >= reservationOf(sym, c) ? ResultCode.OK : ResultCode.INSUFFICIENT_BALANCE;
}
