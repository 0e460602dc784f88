// The small operations every order path shares: putting an order on its level, taking it off,
// keeping the account's order list and the id index, and releasing what the order reserved.
import { Side } from './commands.ts';
import type { CoreState, SymbolBook } from './core-state.ts';
import { NumberIndex } from './number-index.ts';
import { NIL, OrderState } from './order-store.ts';

export function ownSide(sym: SymbolBook, side: number) {
  return side === Side.BUY ? sym.bids : sym.asks;
}

export function oppositeSide(sym: SymbolBook, side: number) {
  return side === Side.BUY ? sym.asks : sym.bids;
}

/** The asset an order of `side` reserves: quote for buys, base for sells. */
export function reserveAssetId(sym: SymbolBook, side: number): number {
  return side === Side.BUY ? sym.spec.quoteAssetId : sym.spec.baseAssetId;
}

/** What `qtyLots` at `priceTicks` costs the order's side: quote for buys, base for sells. */
export function reserveAmount(sym: SymbolBook, side: number, priceTicks: number, qtyLots: number): number {
  return side === Side.BUY ? priceTicks * qtyLots * sym.spec.quoteUnitsPerTickLot : qtyLots * sym.spec.baseUnitsPerLot;
}

/** Hands back `amount` of the order's reservation (never more than it holds) to its account. */
export function releaseReserved(s: CoreState, sym: SymbolBook, slot: number, amountWanted: number): void {
  const o = s.orders;
  const amount = Math.min(amountWanted, o.reserved[slot] as number);
  if (amount <= 0) return;
  o.reserved[slot] = (o.reserved[slot] as number) - amount;
  s.ledger.unreserve(reserveAssetId(sym, o.side[slot] as number), o.accountId[slot] as number, amount);
}

export function releaseAllReserved(s: CoreState, sym: SymbolBook, slot: number): void {
  releaseReserved(s, sym, slot, s.orders.reserved[slot] as number);
}

/** The reservation a resting limit order needs for its open quantity at its price. */
export function restingNeed(sym: SymbolBook, s: CoreState, slot: number): number {
  const o = s.orders;
  return reserveAmount(sym, o.side[slot] as number, o.priceTicks[slot] as number, o.openQty[slot] as number);
}

/**
 * Releases what a resting order holds beyond its need (price improvement, a reduced quantity). The
 * limit leg of a live OCO pair keeps the pair's reservation, which covers whichever leg executes.
 */
export function trimReserved(s: CoreState, sym: SymbolBook, slot: number): void {
  if (s.orders.link[slot] !== NIL) return;
  releaseReserved(s, sym, slot, (s.orders.reserved[slot] as number) - restingNeed(sym, s, slot));
}

export function linkAccount(s: CoreState, slot: number): void {
  const o = s.orders;
  const l = s.ledger;
  const account = o.accountId[slot] as number;
  const tail = l.orderTail[account] as number;
  o.accountPrev[slot] = tail;
  o.accountNext[slot] = NIL;
  if (tail === NIL) l.orderHead[account] = slot;
  else o.accountNext[tail] = slot;
  l.orderTail[account] = slot;
  l.orderCount[account] = (l.orderCount[account] as number) + 1;
}

export function unlinkAccount(s: CoreState, slot: number): void {
  const o = s.orders;
  const l = s.ledger;
  const account = o.accountId[slot] as number;
  const prev = o.accountPrev[slot] as number;
  const next = o.accountNext[slot] as number;
  if (prev === NIL) l.orderHead[account] = next;
  else o.accountNext[prev] = next;
  if (next === NIL) l.orderTail[account] = prev;
  else o.accountPrev[next] = prev;
  o.accountPrev[slot] = NIL;
  o.accountNext[slot] = NIL;
  l.orderCount[account] = (l.orderCount[account] as number) - 1;
}

const CLIENT_INDEX_INITIAL_CAPACITY = 16;

/** The live order of `accountId` with `clientOrderId` (>= 1), or NIL. */
export function clientOrderSlot(s: CoreState, accountId: number, clientOrderId: number): number {
  return s.slotByClientOrderId.get(accountId)?.get(clientOrderId) ?? NIL;
}

/**
 * Makes an order live: indexed by id (and client order id), on its account's list, and in the
 * expiry heap when it has a deadline. The two legs of an OCO pair share a client order id; the
 * index points at whichever leg registered last, and either leg names the pair.
 */
export function registerLive(s: CoreState, slot: number): void {
  const o = s.orders;
  s.slotByOrderId.set(o.orderId[slot] as number, slot);
  const clientOrderId = o.clientOrderId[slot] as number;
  if (clientOrderId > 0) {
    const account = o.accountId[slot] as number;
    let index = s.slotByClientOrderId.get(account);
    if (index === undefined) {
      index = new NumberIndex(CLIENT_INDEX_INITIAL_CAPACITY);
      s.slotByClientOrderId.set(account, index);
    }
    index.set(clientOrderId, slot);
  }
  linkAccount(s, slot);
  if ((o.expireTimeUs[slot] as number) > 0) s.expiries.push(slot);
}

export function unregisterLive(s: CoreState, slot: number): void {
  const o = s.orders;
  s.slotByOrderId.delete(o.orderId[slot] as number);
  const clientOrderId = o.clientOrderId[slot] as number;
  if (clientOrderId > 0) {
    const index = s.slotByClientOrderId.get(o.accountId[slot] as number);
    const link = o.link[slot] as number;
    if (index !== undefined && index.get(clientOrderId) === slot) {
      if (link !== NIL) index.set(clientOrderId, link);
      else index.delete(clientOrderId);
    }
  }
  unlinkAccount(s, slot);
  if ((o.heapIndex[slot] as number) !== NIL) s.expiries.remove(slot);
}

/** Appends an order at the back of the level at its price, creating the level when needed. */
export function enqueue(s: CoreState, sym: SymbolBook, slot: number): void {
  const o = s.orders;
  const lv = s.levels;
  const ladder = ownSide(sym, o.side[slot] as number);
  const price = o.priceTicks[slot] as number;
  let level = ladder.levelAt(price);
  if (level === NIL) {
    level = lv.alloc(price);
    ladder.insertAt(-ladder.search(price, lv.priceTicks) - 1, level, price);
  }
  appendToLevel(s, level, slot);
  o.state[slot] = OrderState.RESTING;
}

export function appendToLevel(s: CoreState, level: number, slot: number): void {
  const o = s.orders;
  const lv = s.levels;
  const tail = lv.tail[level] as number;
  o.level[slot] = level;
  o.prev[slot] = tail;
  o.next[slot] = NIL;
  if (tail === NIL) lv.head[level] = slot;
  else o.next[tail] = slot;
  lv.tail[level] = slot;
  lv.orderCount[level] = (lv.orderCount[level] as number) + 1;
  lv.totalQty[level] = (lv.totalQty[level] as number) + (o.openQty[slot] as number);
  lv.visibleQty[level] = (lv.visibleQty[level] as number) + (o.visibleQty[slot] as number);
}

/** Takes an order out of its level queue (totals included); the level stays even if emptied. */
export function detachFromLevel(s: CoreState, slot: number): number {
  const o = s.orders;
  const lv = s.levels;
  const level = o.level[slot] as number;
  const prev = o.prev[slot] as number;
  const next = o.next[slot] as number;
  if (prev === NIL) lv.head[level] = next;
  else o.next[prev] = next;
  if (next === NIL) lv.tail[level] = prev;
  else o.prev[next] = prev;
  lv.orderCount[level] = (lv.orderCount[level] as number) - 1;
  lv.totalQty[level] = (lv.totalQty[level] as number) - (o.openQty[slot] as number);
  lv.visibleQty[level] = (lv.visibleQty[level] as number) - (o.visibleQty[slot] as number);
  o.level[slot] = NIL;
  o.prev[slot] = NIL;
  o.next[slot] = NIL;
  return level;
}

/** Removes an emptied level from its side of the book. */
export function dropLevelIfEmpty(s: CoreState, sym: SymbolBook, side: number, level: number): void {
  const lv = s.levels;
  if ((lv.orderCount[level] as number) !== 0) return;
  const ladder = ownSide(sym, side);
  const price = lv.priceTicks[level] as number;
  ladder.removeAt(ladder.search(price, lv.priceTicks), price);
  lv.release(level);
}

/** Takes a resting order off the book entirely (level, id index, account list, expiry). */
export function takeOffBook(s: CoreState, sym: SymbolBook, slot: number): void {
  const level = detachFromLevel(s, slot);
  dropLevelIfEmpty(s, sym, s.orders.side[slot] as number, level);
  unregisterLive(s, slot);
}

/** Takes a pending stop out of its ladder, id index, account list and expiry heap. */
export function takeOffStops(s: CoreState, sym: SymbolBook, slot: number): void {
  const o = s.orders;
  const ladder = o.side[slot] === Side.BUY ? sym.buyStops : sym.sellStops;
  ladder.remove(slot, o.stopPriceTicks, o.priority);
  unregisterLive(s, slot);
}

/**
 * Ends a live order that did not fill: off the book or stop ladder, reservation released, a
 * cancel event with `code` as the reason, the slot freed. The OCO sibling is left to the caller.
 */
export function endLiveOrder(s: CoreState, sym: SymbolBook, slot: number, code: number): void {
  const o = s.orders;
  const visible = o.visibleQty[slot] as number;
  if (o.state[slot] === OrderState.RESTING) takeOffBook(s, sym, slot);
  else takeOffStops(s, sym, slot);
  releaseAllReserved(s, sym, slot);
  s.events.cancelled(o, sym.id, slot, code, o.openQty[slot] as number, visible, 0);
  o.release(slot);
}

/** Ends a live order, then its OCO sibling if any (with `siblingCode`). */
export function endLiveOrderAndSibling(s: CoreState, sym: SymbolBook, slot: number, code: number, siblingCode: number): void {
  const sibling = unlinkPair(s, slot);
  endLiveOrder(s, sym, slot, code);
  if (sibling !== NIL) endLiveOrder(s, sym, sibling, siblingCode);
}

/** Dissolves the OCO pair of `slot`; returns the sibling (or NIL), which now stands alone. */
export function unlinkPair(s: CoreState, slot: number): number {
  const sibling = s.orders.link[slot] as number;
  if (sibling !== NIL) {
    s.orders.link[slot] = NIL;
    s.orders.link[sibling] = NIL;
  }
  return sibling;
}
