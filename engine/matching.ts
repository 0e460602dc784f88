// Price-time matching of one incoming order against the opposite side of its book: trades print at
// the maker's price, fills settle both accounts at once, icebergs refill to the back of their
// level, and self-trade prevention follows the incoming order's mode.
import { OrderType, Side, StpMode } from './commands.ts';
import type { CoreState, SymbolBook } from './core-state.ts';
import { appendToLevel, detachFromLevel, endLiveOrder, oppositeSide, unlinkPair, releaseAllReserved, releaseReserved, reserveAmount, trimReserved, unregisterLive } from './book-ops.ts';
import { feeOf } from './fees.ts';
import type { PriceLadder } from './ladders.ts';
import { BPS_PER_UNIT } from './limits.ts';
import { NIL } from './order-store.ts';
import { ResultCode } from './result-codes.ts';
import type { Asset } from './ledger.ts';

/** The worst price a market order of `side` may trade at, from the best price it meets on arrival. */
export function marketBound(sym: SymbolBook, side: number, best: number): number {
  const bps = sym.spec.protectionBps;
  if (side === Side.BUY) return bps === 0 ? Number.POSITIVE_INFINITY : Math.floor((best * (BPS_PER_UNIT + bps)) / BPS_PER_UNIT);
  return bps === 0 ? 0 : Math.ceil((best * (BPS_PER_UNIT - bps)) / BPS_PER_UNIT);
}

function crosses(buy: boolean, bound: number, priceTicks: number): boolean {
  return buy ? priceTicks <= bound : priceTicks >= bound;
}

/** The price bound of the incoming order in `t`: its limit, or the market protection bound. */
export function takerBound(s: CoreState, sym: SymbolBook, t: number): number {
  const o = s.orders;
  const side = o.side[t] as number;
  if (o.orderType[t] !== OrderType.MARKET) return o.priceTicks[t] as number;
  const best = oppositeSide(sym, side).best();
  if (best === NIL) return side === Side.BUY ? Number.POSITIVE_INFINITY : 0;
  return marketBound(sym, side, s.levels.priceTicks[best] as number);
}

/** True when the best opposite price would trade with a limit order of `side` at `priceTicks`. */
export function wouldCross(s: CoreState, sym: SymbolBook, side: number, priceTicks: number): boolean {
  const best = oppositeSide(sym, side).best();
  return best !== NIL && crosses(side === Side.BUY, priceTicks, s.levels.priceTicks[best] as number);
}

/**
 * How much of `wantLots` the incoming order in `t` could fill right now, walking the book exactly as
 * matching would: its price bound, a market buy's budget, the fills left under matchesPerCommandMax,
 * and self-trade prevention (its own orders are skipped under CANCEL_OLDEST and end the walk under
 * the other modes; in a level holding such an order, only the shown quantity ahead of it can trade,
 * because iceberg refills go behind it). Stops as soon as `wantLots` is reached.
 */
export function fillableQty(s: CoreState, sym: SymbolBook, t: number, wantLots: number): number {
  const o = s.orders;
  const lv = s.levels;
  const buy = o.side[t] === Side.BUY;
  const ladder = oppositeSide(sym, o.side[t] as number);
  const bound = takerBound(s, sym, t);
  const stp = o.stp[t] as number;
  const account = o.accountId[t] as number;
  const stopsAtOwn = stp !== StpMode.NONE && stp !== StpMode.CANCEL_OLDEST;
  const unit = sym.spec.quoteUnitsPerTickLot;
  let budget = budgetOf(s, t);
  let fillsLeft = s.config.matchesPerCommandMax - s.matchesInCommand;
  let got = 0;
  for (let i = ladder.count - 1; i >= 0; i--) {
    const level = ladder.levels[i] as number;
    const px = lv.priceTicks[level] as number;
    if (!crosses(buy, bound, px)) return got;
    const ownAhead = stopsAtOwn && levelHasAccount(s, level, account);
    for (let m = lv.head[level] as number; m !== NIL; m = o.next[m] as number) {
      if (stp !== StpMode.NONE && o.accountId[m] === account) {
        if (stopsAtOwn) return got;
        continue;
      }
      const available = ownAhead ? (o.visibleQty[m] as number) : (o.openQty[m] as number);
      const take = Math.min(wantLots - got, available, Math.floor(budget / (px * unit)));
      const fills = fillsFor(s, m, take);
      if (take <= 0 || fills > fillsLeft) return got;
      fillsLeft -= fills;
      budget -= take * px * unit;
      got += take;
      if (got >= wantLots) return got;
    }
  }
  return got;
}

function levelHasAccount(s: CoreState, level: number, account: number): boolean {
  for (let m = s.levels.head[level] as number; m !== NIL; m = s.orders.next[m] as number) {
    if (s.orders.accountId[m] === account) return true;
  }
  return false;
}

/** What a market buy may still spend; unbounded for every other order, and without risk. */
function budgetOf(s: CoreState, t: number): number {
  const o = s.orders;
  const budgeted = s.config.riskEnabled && o.side[t] === Side.BUY && o.orderType[t] === OrderType.MARKET;
  return budgeted ? (o.reserved[t] as number) : Number.POSITIVE_INFINITY;
}

/** Fills taking `qty` from maker `m` produces: one per shown peak it reaches. */
function fillsFor(s: CoreState, m: number, qty: number): number {
  const o = s.orders;
  const visible = o.visibleQty[m] as number;
  const display = o.displayQty[m] as number;
  return qty <= visible || display === 0 ? 1 : 1 + Math.ceil((qty - visible) / display);
}

/**
 * Matches the incoming order in `t` until it is filled or can trade no further. Returns 0 when the
 * remainder (if any) may rest, or the reason it must be cancelled.
 */
export function matchIncoming(s: CoreState, sym: SymbolBook, t: number): number {
  const o = s.orders;
  const lv = s.levels;
  const buy = o.side[t] === Side.BUY;
  const market = o.orderType[t] === OrderType.MARKET;
  const ladder = buy ? sym.asks : sym.bids;
  const bound = takerBound(s, sym, t);
  const selfTradeCheck = o.stp[t] !== StpMode.NONE;
  const account = o.accountId[t] as number;
  const budgeted = market && buy && s.config.riskEnabled;
  const unit = sym.spec.quoteUnitsPerTickLot;
  while ((o.openQty[t] as number) > 0) {
    const level = ladder.best();
    if (level === NIL) return market ? ResultCode.UNFILLED_MARKET : 0;
    const px = lv.priceTicks[level] as number;
    if (!crosses(buy, bound, px)) return market ? ResultCode.PROTECTION_BAND_REACHED : 0;
    let m = lv.head[level] as number;
    while (m !== NIL && (o.openQty[t] as number) > 0) {
      const next = o.next[m] as number;
      if (selfTradeCheck && o.accountId[m] === account) {
        const reason = preventSelfTrade(s, sym, t, m);
        if (reason !== 0) {
          dropBestIfEmpty(s, ladder, level);
          return reason;
        }
      } else {
        if (s.matchesInCommand >= s.config.matchesPerCommandMax) return ResultCode.MATCHES_PER_COMMAND_MAX;
        let qty = Math.min(o.openQty[t] as number, o.visibleQty[m] as number);
        if (budgeted) {
          qty = Math.min(qty, Math.floor((o.reserved[t] as number) / (px * unit)));
          if (qty === 0) {
            dropBestIfEmpty(s, ladder, level);
            return ResultCode.BUDGET_EXHAUSTED;
          }
        }
        fill(s, sym, t, m, level, px, qty);
      }
      m = next;
    }
    dropBestIfEmpty(s, ladder, level);
  }
  return 0;
}

function dropBestIfEmpty(s: CoreState, ladder: PriceLadder, level: number): void {
  if ((s.levels.orderCount[level] as number) !== 0) return;
  ladder.removeAt(ladder.count - 1, s.levels.priceTicks[level] as number);
  s.levels.release(level);
}

/** Executes `qty` between taker `t` and resting maker `m` at the maker's price. */
function fill(s: CoreState, sym: SymbolBook, t: number, m: number, level: number, px: number, qty: number): void {
  const o = s.orders;
  const lv = s.levels;
  o.openQty[t] = (o.openQty[t] as number) - qty;
  o.openQty[m] = (o.openQty[m] as number) - qty;
  o.visibleQty[m] = (o.visibleQty[m] as number) - qty;
  lv.totalQty[level] = (lv.totalQty[level] as number) - qty;
  lv.visibleQty[level] = (lv.visibleQty[level] as number) - qty;
  s.matchesInCommand++;
  sym.lastPriceTicks = px;
  sym.referencePriceTicks = px;
  settle(s, sym, t, m, px, qty);
  if (o.link[t] !== NIL) endSibling(s, sym, t);
  if (o.link[m] !== NIL) {
    endSibling(s, sym, m);
    trimReserved(s, sym, m);
  }
  if (o.openQty[m] === 0) {
    detachFromLevel(s, m);
    unregisterLive(s, m);
    releaseAllReserved(s, sym, m);
    o.release(m);
  } else if (o.visibleQty[m] === 0) {
    refill(s, sym, m, level);
  }
}

/** An iceberg whose shown part is used up shows its next peak at the back of its level. */
function refill(s: CoreState, sym: SymbolBook, m: number, level: number): void {
  const o = s.orders;
  detachFromLevel(s, m);
  o.visibleQty[m] = Math.min(o.displayQty[m] as number, o.openQty[m] as number);
  o.priority[m] = s.priorityNext++;
  appendToLevel(s, level, m);
  s.events.refilled(o, sym.id, m);
}

/** A fill of either leg of a one-cancels-the-other pair ends the other leg (the pending stop). */
function endSibling(s: CoreState, sym: SymbolBook, slot: number): void {
  endLiveOrder(s, sym, unlinkPair(s, slot), ResultCode.OCO_SIBLING_DONE);
}

/** Moves the money of one fill and reports it as a trade. */
function settle(s: CoreState, sym: SymbolBook, t: number, m: number, px: number, qty: number): void {
  const o = s.orders;
  const spec = sym.spec;
  const takerBuys = o.side[t] === Side.BUY;
  const buyer = takerBuys ? t : m;
  const seller = takerBuys ? m : t;
  const baseAmount = qty * spec.baseUnitsPerLot;
  const quoteAmount = px * qty * spec.quoteUnitsPerTickLot;
  const buyerFee = feeOf(baseAmount, takerBuys ? spec.takerFeeBps : spec.makerFeeBps);
  const sellerFee = feeOf(quoteAmount, takerBuys ? spec.makerFeeBps : spec.takerFeeBps);
  if (s.config.riskEnabled) {
    const base = s.ledger.assets[spec.baseAssetId] as Asset;
    const quote = s.ledger.assets[spec.quoteAssetId] as Asset;
    const buyerAccount = o.accountId[buyer] as number;
    const sellerAccount = o.accountId[seller] as number;
    o.reserved[buyer] = (o.reserved[buyer] as number) - quoteAmount;
    quote.reserved[buyerAccount] = (quote.reserved[buyerAccount] as number) - quoteAmount;
    base.available[buyerAccount] = (base.available[buyerAccount] as number) + baseAmount - buyerFee;
    o.reserved[seller] = (o.reserved[seller] as number) - baseAmount;
    base.reserved[sellerAccount] = (base.reserved[sellerAccount] as number) - baseAmount;
    quote.available[sellerAccount] = (quote.available[sellerAccount] as number) + quoteAmount - sellerFee;
    base.feesCollected += buyerFee;
    quote.feesCollected += sellerFee;
    const l = s.ledger;
    l.touch(spec.quoteAssetId, buyerAccount);
    l.touch(spec.baseAssetId, buyerAccount);
    l.touch(spec.baseAssetId, sellerAccount);
    l.touch(spec.quoteAssetId, sellerAccount);
  }
  s.events.trade(o, sym.id, t, m, px, qty, takerBuys ? buyerFee : sellerFee, takerBuys ? sellerFee : buyerFee, quoteAmount);
}

/**
 * Taker `t` met its own account's resting order `m`. Returns 0 to go on matching, or the reason the
 * taker's remainder must be cancelled.
 */
function preventSelfTrade(s: CoreState, sym: SymbolBook, t: number, m: number): number {
  const o = s.orders;
  switch (o.stp[t]) {
    case StpMode.CANCEL_NEWEST:
      return ResultCode.STP_CANCEL_NEWEST;
    case StpMode.CANCEL_OLDEST:
      endMakerInMatch(s, sym, m, ResultCode.STP_CANCEL_OLDEST);
      return 0;
    case StpMode.CANCEL_BOTH:
      endMakerInMatch(s, sym, m, ResultCode.STP_CANCEL_BOTH);
      return ResultCode.STP_CANCEL_BOTH;
    case StpMode.DECREMENT_AND_CANCEL:
      decrementBoth(s, sym, t, m);
      return 0;
    default:
      throw new Error(`self-trade check reached with stp mode ${String(o.stp[t])}`);
  }
}

/** Cancels a resting maker during matching (then its OCO sibling); its level stays for the matching loop to drop. */
function endMakerInMatch(s: CoreState, sym: SymbolBook, m: number, code: number): void {
  const o = s.orders;
  const sibling = unlinkPair(s, m);
  const visible = o.visibleQty[m] as number;
  detachFromLevel(s, m);
  unregisterLive(s, m);
  releaseAllReserved(s, sym, m);
  s.events.cancelled(o, sym.id, m, code, o.openQty[m] as number, visible, 0);
  o.release(m);
  if (sibling !== NIL) endLiveOrder(s, sym, sibling, ResultCode.OCO_SIBLING_DONE);
}

/**
 * Decrement-and-cancel: both orders lose the smaller of their open quantities without a trade; the
 * one that reaches zero is cancelled, the other stays with less. Like a fill, a decrement ends the
 * other leg of an OCO pair, whose quantity would no longer match.
 */
function decrementBoth(s: CoreState, sym: SymbolBook, t: number, m: number): void {
  const o = s.orders;
  const lv = s.levels;
  const qty = Math.min(o.openQty[t] as number, o.openQty[m] as number);
  if (o.link[t] !== NIL) endSibling(s, sym, t);
  if (qty === o.openQty[m]) {
    endMakerInMatch(s, sym, m, ResultCode.STP_DECREMENT);
  } else {
    const level = o.level[m] as number;
    const visibleCut = Math.min(qty, o.visibleQty[m] as number);
    o.openQty[m] = (o.openQty[m] as number) - qty;
    o.visibleQty[m] = (o.visibleQty[m] as number) - visibleCut;
    lv.totalQty[level] = (lv.totalQty[level] as number) - qty;
    lv.visibleQty[level] = (lv.visibleQty[level] as number) - visibleCut;
    if (o.link[m] !== NIL) endSibling(s, sym, m);
    trimReserved(s, sym, m);
    s.events.cancelled(o, sym.id, m, ResultCode.STP_DECREMENT, qty, visibleCut, o.openQty[m] as number);
    if (o.visibleQty[m] === 0) refill(s, sym, m, level);
  }
  o.openQty[t] = (o.openQty[t] as number) - qty;
  if (!(o.orderType[t] === OrderType.MARKET && o.side[t] === Side.BUY)) {
    releaseReserved(s, sym, t, reserveAmount(sym, o.side[t] as number, o.priceTicks[t] as number, qty));
  }
  s.events.cancelled(o, sym.id, t, ResultCode.STP_DECREMENT, qty, 0, o.openQty[t] as number);
}
