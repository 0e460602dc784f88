// The O(state) audit of the core, run after every command in tests: books sorted and uncrossed,
// level totals equal to their orders, every index and list consistent, reservations exact, and
// money conserved per asset. Throws an Error naming the first broken invariant.
import { OrderType, Side } from './commands.ts';
import type { CoreState, SymbolBook } from './core-state.ts';
import { reserveAmount } from './book-ops.ts';
import { NIL, OrderState } from './order-store.ts';

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invariant broken: ${what}`);
}

export function verifyState(s: CoreState): void {
  const live = new Set<number>();
  for (const sym of s.symbols) verifySymbol(s, sym, live);
  check(live.size === s.orders.live, `${s.orders.live} live slots but ${live.size} orders in books and stops`);
  check(s.slotByOrderId.size === live.size, `id index holds ${s.slotByOrderId.size}, books hold ${live.size}`);
  for (const [orderId, slot] of s.slotByOrderId.entries()) check(live.has(slot) && s.orders.orderId[slot] === orderId, `id index entry ${orderId}`);
  verifyAccounts(s, live);
  verifyExpiries(s, live);
  if (s.config.riskEnabled) verifyMoney(s);
}

function verifySymbol(s: CoreState, sym: SymbolBook, live: Set<number>): void {
  const o = s.orders;
  const lv = s.levels;
  for (const [ladder, side] of [[sym.bids, Side.BUY], [sym.asks, Side.SELL]] as const) {
    for (let i = 0; i < ladder.count; i++) {
      const level = ladder.levels[i] as number;
      const price = lv.priceTicks[level] as number;
      if (i > 0) check(ladder.sign * price > ladder.sign * (lv.priceTicks[ladder.levels[i - 1] as number] as number), `${sym.spec.name} levels sorted`);
      let count = 0;
      let total = 0;
      let visible = 0;
      let prev = NIL;
      for (let slot = lv.head[level] as number; slot !== NIL; slot = o.next[slot] as number) {
        check(o.prev[slot] === prev && o.level[slot] === level, `${sym.spec.name} queue links at ${price}`);
        check(o.state[slot] === OrderState.RESTING && o.side[slot] === side && o.symbolId[slot] === sym.id, `order ${o.orderId[slot]} belongs to its level`);
        check(o.priceTicks[slot] === price && o.orderType[slot] === OrderType.LIMIT, `order ${o.orderId[slot]} price ${price}`);
        const open = o.openQty[slot] as number;
        const shown = o.visibleQty[slot] as number;
        check(open > 0 && shown > 0 && shown <= open, `order ${o.orderId[slot]} quantities`);
        if ((o.displayQty[slot] as number) === 0) check(shown === open, `order ${o.orderId[slot]} fully shown`);
        check(!live.has(slot), `order ${o.orderId[slot]} appears once`);
        live.add(slot);
        count++;
        total += open;
        visible += shown;
        prev = slot;
      }
      check(lv.tail[level] === prev && count > 0, `${sym.spec.name} level ${price} tail and non-empty`);
      check(lv.orderCount[level] === count && lv.totalQty[level] === total && lv.visibleQty[level] === visible, `${sym.spec.name} level ${price} totals`);
    }
  }
  const bestBid = sym.bids.best();
  const bestAsk = sym.asks.best();
  if (bestBid !== NIL && bestAsk !== NIL) check((lv.priceTicks[bestBid] as number) < (lv.priceTicks[bestAsk] as number), `${sym.spec.name} book not crossed`);
  for (const [ladder, side] of [[sym.buyStops, Side.BUY], [sym.sellStops, Side.SELL]] as const) {
    for (let i = 0; i < ladder.count; i++) {
      const slot = ladder.slots[i] as number;
      check(o.state[slot] === OrderState.STOP_PENDING && o.side[slot] === side && o.symbolId[slot] === sym.id, `stop ${o.orderId[slot]} in its ladder`);
      if (i > 0) {
        const before = ladder.slots[i - 1] as number;
        const p0 = o.stopPriceTicks[before] as number;
        const p1 = o.stopPriceTicks[slot] as number;
        check(ladder.sign * (p1 - p0) > 0 || (p0 === p1 && (o.priority[before] as number) > (o.priority[slot] as number)), `${sym.spec.name} stops sorted`);
      }
      check(!live.has(slot), `stop ${o.orderId[slot]} appears once`);
      live.add(slot);
    }
  }
}

function verifyAccounts(s: CoreState, live: Set<number>): void {
  const o = s.orders;
  const l = s.ledger;
  let listed = 0;
  for (let id = 0; id < l.accountCount; id++) {
    let prev = NIL;
    let n = 0;
    for (let slot = l.orderHead[id] as number; slot !== NIL; slot = o.accountNext[slot] as number) {
      check(live.has(slot) && o.accountId[slot] === id && o.accountPrev[slot] === prev, `account ${id} order list`);
      const link = o.link[slot] as number;
      if (link !== NIL) check(o.link[link] === slot && live.has(link), `OCO pair of order ${o.orderId[slot]}`);
      const clientOrderId = o.clientOrderId[slot] as number;
      if (clientOrderId > 0) {
        const indexed = s.slotByClientOrderId.get(id)?.get(clientOrderId);
        check(indexed === slot || (link !== NIL && indexed === link), `client order id ${clientOrderId} of account ${id} indexed`);
      }
      prev = slot;
      n++;
    }
    check(l.orderTail[id] === prev && l.orderCount[id] === n, `account ${id} order count`);
    check(n <= s.config.ordersPerAccountMax, `account ${id} within ordersPerAccountMax`);
    listed += n;
  }
  check(listed === live.size, 'every live order is on its account list');
}

function verifyExpiries(s: CoreState, live: Set<number>): void {
  const o = s.orders;
  const h = s.expiries;
  let withDeadline = 0;
  for (const slot of live) if ((o.expireTimeUs[slot] as number) > 0) withDeadline++;
  check(h.count === withDeadline, `expiry heap holds ${h.count}, ${withDeadline} orders have a deadline`);
  for (let i = 0; i < h.count; i++) {
    const slot = h.slots[i] as number;
    check(o.heapIndex[slot] === i && live.has(slot), `expiry heap index ${i}`);
    if (i > 0) {
      const parent = h.slots[(i - 1) >>> 1] as number;
      const ordered = (o.expireTimeUs[parent] as number) < (o.expireTimeUs[slot] as number) ||
        (o.expireTimeUs[parent] === o.expireTimeUs[slot] && (o.orderId[parent] as number) < (o.orderId[slot] as number));
      check(ordered, `expiry heap order at ${i}`);
    }
  }
}

/** Reservations equal what the orders hold and cover what they need; conservation per asset. */
function verifyMoney(s: CoreState): void {
  const o = s.orders;
  const l = s.ledger;
  const reservedByOrders = l.assets.map(() => new Map<number, number>());
  for (const [, slot] of s.slotByOrderId.entries()) {
    const sym = s.symbols[o.symbolId[slot] as number] as SymbolBook;
    const side = o.side[slot] as number;
    const assetId = side === Side.BUY ? sym.spec.quoteAssetId : sym.spec.baseAssetId;
    const held = o.reserved[slot] as number;
    const m = reservedByOrders[assetId] as Map<number, number>;
    const account = o.accountId[slot] as number;
    m.set(account, (m.get(account) ?? 0) + held);
    if (o.state[slot] === OrderState.RESTING && o.link[slot] === NIL) {
      check(held === reserveAmount(sym, side, o.priceTicks[slot] as number, o.openQty[slot] as number), `order ${o.orderId[slot]} reserves exactly its need`);
    }
    check(held >= 0, `order ${o.orderId[slot]} reservation not negative`);
  }
  l.assets.forEach((a, assetId) => {
    let sum = a.feesCollected;
    for (let id = 0; id < l.accountCount; id++) {
      const available = a.available[id] as number;
      const reserved = a.reserved[id] as number;
      check(available >= 0 && reserved >= 0, `${a.name} balances of account ${id} not negative`);
      check(reserved === ((reservedByOrders[assetId] as Map<number, number>).get(id) ?? 0), `${a.name} reserved of account ${id} equals its orders'`);
      sum += available + reserved;
    }
    check(sum === a.netDeposited, `${a.name} conserved: balances + reserved + fees ${sum} = net deposits ${a.netDeposited}`);
  });
}
