// Binary snapshot of the full core state, canonical: the same state always encodes to the same
// bytes (slots and heap layout are not encoded; every order is written in its book, stop ladder
// or account-list order), so a decoded snapshot re-encodes identically and hashes identically.
import { appendToLevel, registerLive } from './book-ops.ts';
import { ByteReader, ByteWriter, SnapshotFormatError } from './bytes.ts';
import { newSymbolBook, CoreState, type SymbolBook, type SymbolSpec } from './core-state.ts';
import type { PriceLadder, StopLadder } from './ladders.ts';
import type { EngineConfig } from './limits.ts';
import type { Asset } from './ledger.ts';
import { NIL, OrderState } from './order-store.ts';

const MAGIC = 0x50_41_4e_53; // "SNAP"
const VERSION = 2;

const CONFIG_KEYS = ['symbolsMax', 'assetsMax', 'accountsMax', 'ordersMax', 'ordersPerAccountMax', 'levelsPerSideMax', 'stopsPerSideMax', 'matchesPerCommandMax'] as const;
const SPEC_NUMBERS = ['baseAssetId', 'quoteAssetId', 'baseUnitsPerLot', 'quoteUnitsPerTickLot', 'minQtyLots', 'maxQtyLots', 'priceTicksMax', 'bandBps', 'makerFeeBps', 'takerFeeBps', 'protectionBps'] as const;

export function encodeSnapshot(s: CoreState): Uint8Array {
  const w = new ByteWriter();
  w.u32(MAGIC);
  w.u32(VERSION);
  w.u8(s.config.riskEnabled ? 1 : 0);
  for (const k of CONFIG_KEYS) w.u32(s.config[k]);
  w.u64(s.seqLast);
  w.u64(s.timeUsLast);
  w.u64(s.priorityNext);
  const l = s.ledger;
  w.u32(l.assets.length);
  for (const a of l.assets) {
    w.text(a.name);
    w.u8(a.scale);
    w.u64(a.netDeposited);
    w.u64(a.feesCollected);
  }
  w.u32(l.accountCount);
  for (let id = 0; id < l.accountCount; id++) {
    w.text(l.accountNames[id] as string);
    for (const a of l.assets) {
      w.u64(a.available[id] as number);
      w.u64(a.reserved[id] as number);
    }
  }
  w.u32(s.symbols.length);
  for (const sym of s.symbols) encodeSymbol(w, s, sym);
  for (let id = 0; id < l.accountCount; id++) {
    w.u32(l.orderCount[id] as number);
    for (let slot = l.orderHead[id] as number; slot !== NIL; slot = s.orders.accountNext[slot] as number) w.u64(s.orders.orderId[slot] as number);
  }
  return w.finish();
}

function encodeSymbol(w: ByteWriter, s: CoreState, sym: SymbolBook): void {
  w.text(sym.spec.name);
  for (const k of SPEC_NUMBERS) w.u64(sym.spec[k]);
  w.u8(sym.status);
  w.u64(sym.referencePriceTicks);
  w.u64(sym.lastPriceTicks);
  for (const ladder of [sym.bids, sym.asks]) {
    w.u32(ladder.count);
    for (let i = ladder.count - 1; i >= 0; i--) {
      const level = ladder.levels[i] as number;
      w.u64(s.levels.priceTicks[level] as number);
      w.u32(s.levels.orderCount[level] as number);
      for (let slot = s.levels.head[level] as number; slot !== NIL; slot = s.orders.next[slot] as number) encodeOrder(w, s, slot);
    }
  }
  for (const ladder of [sym.buyStops, sym.sellStops]) {
    w.u32(ladder.count);
    for (let i = ladder.count - 1; i >= 0; i--) encodeOrder(w, s, ladder.slots[i] as number);
  }
}

function encodeOrder(w: ByteWriter, s: CoreState, slot: number): void {
  const o = s.orders;
  w.u64(o.orderId[slot] as number);
  w.u32(o.accountId[slot] as number);
  w.u8(o.side[slot] as number);
  w.u8(o.orderType[slot] as number);
  w.u8(o.tif[slot] as number);
  w.u8(o.flags[slot] as number);
  w.u8(o.stp[slot] as number);
  w.u64(o.priceTicks[slot] as number);
  w.u64(o.stopPriceTicks[slot] as number);
  w.u64(o.openQty[slot] as number);
  w.u64(o.visibleQty[slot] as number);
  w.u64(o.displayQty[slot] as number);
  w.u64(o.expireTimeUs[slot] as number);
  w.u64(o.reserved[slot] as number);
  w.u64(o.priority[slot] as number);
  w.u64(o.clientOrderId[slot] as number);
  w.u32(o.sessionId[slot] as number);
  w.u64(o.quoteBudget[slot] as number);
  const link = o.link[slot] as number;
  w.u64(link === NIL ? 0 : (o.orderId[link] as number));
}

/** What decoding gathers before orders can be linked: OCO pairs and each order's slot by id. */
interface Decoding {
  readonly r: ByteReader;
  readonly s: CoreState;
  readonly links: [slot: number, linkedOrderId: number][];
  readonly slotByOrderId: Map<number, number>;
}

/** Rebuilds a core from a snapshot; throws SnapshotFormatError on bytes that are not one. */
export function decodeSnapshot(bytes: Uint8Array): CoreState {
  const r = new ByteReader(bytes);
  if (r.u32() !== MAGIC) throw new SnapshotFormatError('bad magic', 0);
  const version = r.u32();
  if (version !== VERSION) throw new SnapshotFormatError(`unsupported version ${version}`, 4);
  const riskEnabled = r.u8() === 1;
  const config = { riskEnabled } as Record<string, number | boolean>;
  for (const k of CONFIG_KEYS) config[k] = r.u32();
  const s = new CoreState(config as unknown as EngineConfig);
  s.seqLast = r.u64();
  s.timeUsLast = r.u64();
  s.priorityNext = r.u64();
  const l = s.ledger;
  const assetCount = r.count(s.config.assetsMax, 'asset');
  for (let i = 0; i < assetCount; i++) {
    const a = l.assets[l.addAsset(r.text(), r.u8())] as Asset;
    a.netDeposited = r.u64();
    a.feesCollected = r.u64();
  }
  const accountCount = r.count(s.config.accountsMax, 'account');
  for (let id = 0; id < accountCount; id++) {
    l.addAccount(r.text());
    for (const a of l.assets) {
      a.available[id] = r.u64();
      a.reserved[id] = r.u64();
    }
  }
  const d: Decoding = { r, s, links: [], slotByOrderId: new Map() };
  const symbolCount = r.count(s.config.symbolsMax, 'symbol');
  for (let id = 0; id < symbolCount; id++) decodeSymbol(d, id);
  for (const [slot, linkedOrderId] of d.links) {
    const other = d.slotByOrderId.get(linkedOrderId);
    if (other === undefined) throw new SnapshotFormatError(`OCO sibling ${linkedOrderId} missing`, r.offset);
    s.orders.link[slot] = other;
  }
  for (let id = 0; id < accountCount; id++) {
    const n = r.count(s.config.ordersPerAccountMax, 'account order');
    for (let i = 0; i < n; i++) {
      const orderId = r.u64();
      const slot = d.slotByOrderId.get(orderId);
      if (slot === undefined || s.orders.accountId[slot] !== id) throw new SnapshotFormatError(`account ${id} lists unknown order ${orderId}`, r.offset);
      registerLive(s, slot);
    }
  }
  if (r.remaining !== 0) throw new SnapshotFormatError(`${r.remaining} trailing bytes`, r.offset);
  if (s.slotByOrderId.size !== s.orders.live) throw new SnapshotFormatError('account lists do not cover every order', r.offset);
  return s;
}

function decodeSymbol(d: Decoding, id: number): void {
  const { r, s } = d;
  const name = r.text();
  const spec = { name } as Record<string, number | string>;
  for (const k of SPEC_NUMBERS) spec[k] = r.u64();
  const status = r.u8();
  const sym = newSymbolBook(id, spec as unknown as SymbolSpec, status, r.u64());
  sym.lastPriceTicks = r.u64();
  s.symbols.push(sym);
  s.symbolIdByName.set(name, id);
  for (const ladder of [sym.bids, sym.asks]) decodeLadder(d, sym, ladder);
  for (const ladder of [sym.buyStops, sym.sellStops]) decodeStops(d, sym, ladder);
}

function decodeLadder(d: Decoding, sym: SymbolBook, ladder: PriceLadder): void {
  const { r, s } = d;
  const levelCount = r.count(s.config.levelsPerSideMax, 'level');
  for (let i = 0; i < levelCount; i++) {
    const price = r.u64();
    const worst = ladder.count === 0 ? NIL : (ladder.levels[0] as number);
    if (price < 1 || (worst !== NIL && ladder.sign * price >= ladder.sign * (s.levels.priceTicks[worst] as number))) {
      throw new SnapshotFormatError(`levels out of order at price ${price}`, r.offset);
    }
    const level = s.levels.alloc(price);
    ladder.insertAt(0, level, price);
    const orderCount = r.count(s.config.ordersMax, 'order');
    for (let j = 0; j < orderCount; j++) {
      const slot = decodeOrder(d, sym);
      appendToLevel(s, level, slot);
      s.orders.state[slot] = OrderState.RESTING;
    }
  }
}

function decodeStops(d: Decoding, sym: SymbolBook, ladder: StopLadder): void {
  const n = d.r.count(d.s.config.stopsPerSideMax, 'stop');
  for (let i = 0; i < n; i++) {
    const slot = decodeOrder(d, sym);
    d.s.orders.state[slot] = OrderState.STOP_PENDING;
    ladder.insert(slot, d.s.orders.stopPriceTicks, d.s.orders.priority);
  }
}

function decodeOrder(d: Decoding, sym: SymbolBook): number {
  const { r, s } = d;
  const o = s.orders;
  const slot = o.alloc();
  if (slot === NIL) throw new SnapshotFormatError('more orders than ordersMax', r.offset);
  const orderId = r.u64();
  if (orderId < 1 || d.slotByOrderId.has(orderId)) throw new SnapshotFormatError(`order ${orderId} appears twice or is 0`, r.offset);
  d.slotByOrderId.set(orderId, slot);
  o.orderId[slot] = orderId;
  o.symbolId[slot] = sym.id;
  o.accountId[slot] = r.u32();
  o.side[slot] = r.u8();
  o.orderType[slot] = r.u8();
  o.tif[slot] = r.u8();
  o.flags[slot] = r.u8();
  o.stp[slot] = r.u8();
  o.priceTicks[slot] = r.u64();
  o.stopPriceTicks[slot] = r.u64();
  o.openQty[slot] = r.u64();
  o.visibleQty[slot] = r.u64();
  o.displayQty[slot] = r.u64();
  o.expireTimeUs[slot] = r.u64();
  o.reserved[slot] = r.u64();
  o.priority[slot] = r.u64();
  o.clientOrderId[slot] = r.u64();
  o.sessionId[slot] = r.u32();
  o.quoteBudget[slot] = r.u64();
  const linkedOrderId = r.u64();
  if (linkedOrderId !== 0) d.links.push([slot, linkedOrderId]);
  if ((o.accountId[slot] as number) >= s.ledger.accountCount) throw new SnapshotFormatError(`order ${orderId} names unknown account`, r.offset);
  return slot;
}
