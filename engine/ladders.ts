// Sorted arrays that keep the next thing to act on at the END, so the hot operations (touch the
// best level, pop the next stop to trigger) are O(1) and inserts near the touch shift little.
// A PriceLadder holds the levels of one side of a book; a StopLadder the pending stops of one side.
import { NumberIndex } from './number-index.ts';
import { NIL } from './order-store.ts';

const INITIAL_CAPACITY = 64;

/** Below this many elements a plain loop moves them faster than a copyWithin call. */
const SHIFT_LOOP_MAX = 16;

/** Moves a[from..count) one place right (making room at `from`), most often a handful near the end. */
function shiftRight(a: Int32Array, from: number, count: number): void {
  if (count - from > SHIFT_LOOP_MAX) {
    a.copyWithin(from + 1, from, count);
    return;
  }
  for (let i = count; i > from; i--) a[i] = a[i - 1] as number;
}

/** Moves a[from+1..count) one place left (closing the gap at `from`). */
function shiftLeft(a: Int32Array, from: number, count: number): void {
  if (count - from > SHIFT_LOOP_MAX) {
    a.copyWithin(from, from + 1, count);
    return;
  }
  for (let i = from; i < count - 1; i++) a[i] = a[i + 1] as number;
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const n = new Int32Array(a.length * 2);
  n.set(a);
  return n;
}

/**
 * Levels of one side, best price last. `sign` +1 for bids (ascending prices), -1 for asks. A price
 * index finds an existing level in O(1); the binary search runs only to place a new level.
 */
export class PriceLadder {
  levels = new Int32Array(INITIAL_CAPACITY);
  count = 0;
  private readonly levelByPrice = new NumberIndex(INITIAL_CAPACITY);

  constructor(readonly sign: 1 | -1) {}

  best(): number {
    return this.count === 0 ? NIL : (this.levels[this.count - 1] as number);
  }

  /** The level at `priceTicks`, or NIL. */
  levelAt(priceTicks: number): number {
    return this.levelByPrice.get(priceTicks);
  }

  /** Index of the level at `priceTicks`, or -(insertion point) - 1 when there is none. */
  search(priceTicks: number, levelPrices: Float64Array): number {
    const key = this.sign * priceTicks;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.sign * (levelPrices[this.levels[mid] as number] as number);
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  /** Puts a new level at `index` (from search()); its price must be new to this side. */
  insertAt(index: number, level: number, priceTicks: number): void {
    if (this.count === this.levels.length) this.levels = grown(this.levels);
    shiftRight(this.levels, index, this.count);
    this.levels[index] = level;
    this.count++;
    this.levelByPrice.set(priceTicks, level);
  }

  removeAt(index: number, priceTicks: number): void {
    shiftLeft(this.levels, index, this.count);
    this.count--;
    this.levelByPrice.delete(priceTicks);
  }
}

/**
 * Pending stops of one side, the next to trigger last: buy stops (triggered when the last price
 * rises to them) by descending stop price, sell stops by ascending; equal prices by descending
 * priority so the earliest arrival triggers first.
 */
export class StopLadder {
  slots = new Int32Array(INITIAL_CAPACITY);
  count = 0;

  /** `sign` -1 for buy stops, +1 for sell stops. */
  constructor(readonly sign: 1 | -1) {}

  next(): number {
    return this.count === 0 ? NIL : (this.slots[this.count - 1] as number);
  }

  /** True when stop `a` belongs before stop `b` in the array (triggers later). */
  private before(aPrice: number, aPriority: number, bPrice: number, bPriority: number): boolean {
    if (aPrice !== bPrice) return this.sign * (aPrice - bPrice) < 0;
    return aPriority > bPriority;
  }

  private lowerBound(price: number, priority: number, stopPrices: Float64Array, priorities: Float64Array): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.slots[mid] as number;
      if (this.before(stopPrices[s] as number, priorities[s] as number, price, priority)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(slot: number, stopPrices: Float64Array, priorities: Float64Array): void {
    const index = this.lowerBound(stopPrices[slot] as number, priorities[slot] as number, stopPrices, priorities);
    if (this.count === this.slots.length) this.slots = grown(this.slots);
    shiftRight(this.slots, index, this.count);
    this.slots[index] = slot;
    this.count++;
  }

  remove(slot: number, stopPrices: Float64Array, priorities: Float64Array): void {
    const index = this.lowerBound(stopPrices[slot] as number, priorities[slot] as number, stopPrices, priorities);
    if (this.slots[index] !== slot) throw new Error(`stop slot ${slot} is not in its ladder`);
    shiftLeft(this.slots, index, this.count);
    this.count--;
  }
}

/**
 * Min-heap of order slots by (expireTimeUs, orderId): equal expiries end in order-id order, a key
 * that never changes while the order lives. Each slot knows its heap index for O(log n) removal.
 */
export class ExpiryHeap {
  slots = new Int32Array(INITIAL_CAPACITY);
  count = 0;

  constructor(private readonly expireTimes: () => Float64Array, private readonly orderIds: () => Float64Array,
    private readonly heapIndex: () => Int32Array) {}

  top(): number {
    return this.count === 0 ? NIL : (this.slots[0] as number);
  }

  private less(a: number, b: number): boolean {
    const e = this.expireTimes();
    const ea = e[a] as number;
    const eb = e[b] as number;
    if (ea !== eb) return ea < eb;
    const ids = this.orderIds();
    return (ids[a] as number) < (ids[b] as number);
  }

  private place(index: number, slot: number): void {
    this.slots[index] = slot;
    this.heapIndex()[slot] = index;
  }

  push(slot: number): void {
    if (this.count === this.slots.length) this.slots = grown(this.slots);
    this.place(this.count, slot);
    this.count++;
    this.up(this.count - 1);
  }

  remove(slot: number): void {
    const index = this.heapIndex()[slot] as number;
    this.heapIndex()[slot] = NIL;
    this.count--;
    if (index === this.count) return;
    this.place(index, this.slots[this.count] as number);
    this.up(index);
    this.down(index);
  }

  private up(index: number): void {
    let i = index;
    const slot = this.slots[i] as number;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      const p = this.slots[parent] as number;
      if (!this.less(slot, p)) break;
      this.place(i, p);
      i = parent;
    }
    this.place(i, slot);
  }

  private down(index: number): void {
    let i = index;
    const slot = this.slots[i] as number;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.count) break;
      const right = left + 1;
      let child = left;
      if (right < this.count && this.less(this.slots[right] as number, this.slots[left] as number)) child = right;
      const c = this.slots[child] as number;
      if (!this.less(c, slot)) break;
      this.place(i, c);
      i = child;
    }
    this.place(i, slot);
  }
}
