// Live orders as a struct of typed arrays indexed by slot: no object per order, slots reused through
// a free list, capacity doubled (never past ordersMax) so steady state allocates nothing.

export const NIL = -1;

/** Where an order's slot stands. */
export const OrderState = { FREE: 0, INCOMING: 1, RESTING: 2, STOP_PENDING: 3 } as const;

const INITIAL_CAPACITY_ORDERS = 1_024;

export class OrderStore {
  capacity = 0;
  live = 0;
  private freeHead = NIL;

  orderId = new Float64Array(0);
  accountId = new Int32Array(0);
  symbolId = new Int32Array(0);
  state = new Uint8Array(0);
  side = new Uint8Array(0);
  orderType = new Uint8Array(0);
  tif = new Uint8Array(0);
  flags = new Uint8Array(0);
  stp = new Uint8Array(0);
  priceTicks = new Float64Array(0);
  stopPriceTicks = new Float64Array(0);
  /** Quantity still open, hidden iceberg quantity included. */
  openQty = new Float64Array(0);
  /** The shown part of the open quantity. */
  visibleQty = new Float64Array(0);
  /** Iceberg peak; 0 for a fully shown order. */
  displayQty = new Float64Array(0);
  expireTimeUs = new Float64Array(0);
  /** Amount of the reserve asset still held for this order (quote for buys, base for sells). */
  reserved = new Float64Array(0);
  /** Arrival counter: time priority among stops and expiries, and the engine's tie-breaker. */
  priority = new Float64Array(0);
  /** Links in the level queue (resting) or unused (stops keep their place in the stop ladder). */
  prev = new Int32Array(0);
  next = new Int32Array(0);
  level = new Int32Array(0);
  /** Links in the account's list of live orders. */
  accountPrev = new Int32Array(0);
  accountNext = new Int32Array(0);
  /** The other leg of a one-cancels-the-other pair. */
  link = new Int32Array(0);
  /** Index in the expiry heap. */
  heapIndex = new Int32Array(0);
  clientOrderId = new Float64Array(0);
  /** The session that placed it with cancel-on-disconnect, or 0. */
  sessionId = new Uint32Array(0);
  /** Most quote a market or stop-market buy may spend. */
  quoteBudget = new Float64Array(0);

  constructor(readonly ordersMax: number) {
    this.grow(Math.min(INITIAL_CAPACITY_ORDERS, ordersMax));
  }

  /** A free slot, or NIL when ordersMax orders are live. */
  alloc(): number {
    if (this.freeHead === NIL) {
      if (this.capacity >= this.ordersMax) return NIL;
      this.grow(Math.min(this.capacity * 2, this.ordersMax));
    }
    const slot = this.freeHead;
    this.freeHead = this.next[slot] as number;
    this.live++;
    this.state[slot] = OrderState.INCOMING;
    this.prev[slot] = NIL;
    this.next[slot] = NIL;
    this.level[slot] = NIL;
    this.accountPrev[slot] = NIL;
    this.accountNext[slot] = NIL;
    this.link[slot] = NIL;
    this.heapIndex[slot] = NIL;
    this.reserved[slot] = 0;
    return slot;
  }

  release(slot: number): void {
    this.state[slot] = OrderState.FREE;
    this.next[slot] = this.freeHead;
    this.freeHead = slot;
    this.live--;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const f64 = (a: Float64Array) => { const n = new Float64Array(capacity); n.set(a); return n; };
    const i32 = (a: Int32Array) => { const n = new Int32Array(capacity); n.set(a); return n; };
    const u8 = (a: Uint8Array) => { const n = new Uint8Array(capacity); n.set(a); return n; };
    const u32 = (a: Uint32Array) => { const n = new Uint32Array(capacity); n.set(a); return n; };
    this.orderId = f64(this.orderId);
    this.accountId = i32(this.accountId);
    this.symbolId = i32(this.symbolId);
    this.state = u8(this.state);
    this.side = u8(this.side);
    this.orderType = u8(this.orderType);
    this.tif = u8(this.tif);
    this.flags = u8(this.flags);
    this.stp = u8(this.stp);
    this.priceTicks = f64(this.priceTicks);
    this.stopPriceTicks = f64(this.stopPriceTicks);
    this.openQty = f64(this.openQty);
    this.visibleQty = f64(this.visibleQty);
    this.displayQty = f64(this.displayQty);
    this.expireTimeUs = f64(this.expireTimeUs);
    this.reserved = f64(this.reserved);
    this.priority = f64(this.priority);
    this.prev = i32(this.prev);
    this.next = i32(this.next);
    this.level = i32(this.level);
    this.accountPrev = i32(this.accountPrev);
    this.accountNext = i32(this.accountNext);
    this.link = i32(this.link);
    this.heapIndex = i32(this.heapIndex);
    this.clientOrderId = f64(this.clientOrderId);
    this.sessionId = u32(this.sessionId);
    this.quoteBudget = f64(this.quoteBudget);
    for (let slot = capacity - 1; slot >= old; slot--) {
      this.next[slot] = this.freeHead;
      this.freeHead = slot;
    }
    this.capacity = capacity;
  }
}
