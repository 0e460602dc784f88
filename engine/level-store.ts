// Price levels of every book as a struct of typed arrays: each level is a FIFO queue of resting
// orders (intrusive links in OrderStore) with its totals kept exact for O(1) depth queries.
import { NIL } from './order-store.ts';

const INITIAL_CAPACITY_LEVELS = 256;

export class LevelStore {
  capacity = 0;
  private freeHead = NIL;
  priceTicks = new Float64Array(0);
  /** Open quantity of the level, hidden iceberg quantity included. */
  totalQty = new Float64Array(0);
  visibleQty = new Float64Array(0);
  orderCount = new Int32Array(0);
  head = new Int32Array(0);
  tail = new Int32Array(0);
  /** Free-list link. */
  private nextFree = new Int32Array(0);

  constructor() {
    this.grow(INITIAL_CAPACITY_LEVELS);
  }

  alloc(priceTicks: number): number {
    if (this.freeHead === NIL) this.grow(this.capacity * 2);
    const level = this.freeHead;
    this.freeHead = this.nextFree[level] as number;
    this.priceTicks[level] = priceTicks;
    this.totalQty[level] = 0;
    this.visibleQty[level] = 0;
    this.orderCount[level] = 0;
    this.head[level] = NIL;
    this.tail[level] = NIL;
    return level;
  }

  release(level: number): void {
    this.nextFree[level] = this.freeHead;
    this.freeHead = level;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const f64 = (a: Float64Array) => { const n = new Float64Array(capacity); n.set(a); return n; };
    const i32 = (a: Int32Array) => { const n = new Int32Array(capacity); n.set(a); return n; };
    this.priceTicks = f64(this.priceTicks);
    this.totalQty = f64(this.totalQty);
    this.visibleQty = f64(this.visibleQty);
    this.orderCount = i32(this.orderCount);
    this.head = i32(this.head);
    this.tail = i32(this.tail);
    this.nextFree = i32(this.nextFree);
    for (let level = capacity - 1; level >= old; level--) {
      this.nextFree[level] = this.freeHead;
      this.freeHead = level;
    }
    this.capacity = capacity;
  }
}
