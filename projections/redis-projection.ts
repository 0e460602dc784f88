// The Redis projection: hot state for readers who must not touch the engine. In memory it keeps
// the L2 books (folded by the book source the composition root provides: the same derivation the
// gateway's market data uses), the catalog and the recent trades; each batch then becomes ONE
// MULTI with the changed symbols' best bid/offer and top-N snapshot, the new trades and the cursor.
// The MULTI first reads the cursor: when it is not what this projector wrote last, Redis lost its
// data (restart, FLUSHALL) and the whole hot state is written again from memory.
import type { Redis } from 'ioredis';
import { EventType } from '../engine/schema.ts';
import type { ProjectionCatalog } from './catalog.ts';
import { eventOffset, eventSeqAt, eventTimeUsAt, type EventBatch } from './event-batch.ts';
import { TRADE, u8, u32, u64 } from './event-fields.ts';
import { sideName } from './names.ts';
import { RecentTrades, TRADES_STREAM_LENGTH_MAX, type RecentTrade } from './recent-trades.ts';
import { redisReady } from './redis-client.ts';
import type { RedisKeys } from './redis-keys.ts';
import type { ProjectionStore, ResumePoint } from './store.ts';

/** Levels per side in each symbol's snapshot. */
export const REDIS_BOOK_DEPTH = 50;
/** While the log is quiet, how often the cursor is read to notice a Redis that lost its data. */
export const REDIS_CHECK_INTERVAL_MS = 1_000;

type Levels = readonly (readonly [number, number])[];

/** The L2 derivation (gateway/market-data.ts MarketData satisfies this). */
export interface BookSource {
  applyEvent(view: DataView, at: number): void;
  /** Names every symbol whose book changed since the last flush. */
  flush(publish: (change: { readonly symbolId: number }) => void): void;
  snapshot(symbolId: number, depth: number): { readonly bids: Levels; readonly asks: Levels } | undefined;
}

/** Books and catalog as they stand before event `eventIndexNext` (a snapshot's, or empty at 0). */
export interface HotStart {
  readonly books: BookSource;
  readonly catalog: ProjectionCatalog;
  readonly eventIndexNext: number;
}

export interface RedisProjectionOptions {
  /** Builds the starting books; called once, on the first resume. */
  readonly start: () => Promise<HotStart>;
  readonly nowMs: () => number;
}

type Multi = ReturnType<Redis['multi']>;

export class RedisProjection implements ProjectionStore {
  readonly name = 'redis';
  #hot: HotStart | null = null;
  readonly #trades = new RecentTrades();
  /** Events folded into memory. */
  #appliedNext = 0;
  #seqLast = 0;
  #timeUsLast = 0;
  /** The last event the Redis data reflects, as this projector knows it (-1: none). */
  #storedLast = -1;
  #rebuildDue = true;
  #checkedAtMs = 0;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly options: RedisProjectionOptions) {}

  get eventIndexStored(): number {
    return this.#storedLast + 1;
  }

  async resume(): Promise<ResumePoint> {
    await redisReady(this.redis);
    if (this.#hot === null) {
      this.#hot = await this.options.start();
      this.#appliedNext = this.#hot.eventIndexNext;
    }
    // Redis may hold a newer state than the books start from (written before a restart): it is
    // kept until the books pass it, so readers never see the hot state go back in time.
    this.#storedLast = (await this.readCursor()) ?? -1;
    this.#rebuildDue = true;
    return { eventIndexNext: this.#appliedNext, last: null };
  }

  async apply(batch: EventBatch): Promise<void> {
    const hot = this.#hot;
    if (hot === null) throw new Error('apply before resume');
    if (batch.eventIndexFirst !== this.#appliedNext) throw new RangeError(`batch starts at event ${batch.eventIndexFirst}, the books are at ${this.#appliedNext}`);
    const changed = new Set<number>();
    const trades: [number, RecentTrade][] = [];
    for (let i = 0; i < batch.count; i++) {
      const at = eventOffset(i);
      const type = batch.view.getUint8(at);
      if (type === EventType.SYMBOL_ADDED) changed.add(hot.catalog.symbols.length);
      hot.catalog.applyEvent(batch.view, at);
      hot.books.applyEvent(batch.view, at);
      if (type === EventType.TRADE) trades.push([u32(batch.view, at + TRADE.symbolId), this.tradeAt(batch, i)]);
    }
    for (const [symbolId, trade] of trades) this.#trades.add(symbolId, trade);
    hot.books.flush((change) => changed.add(change.symbolId));
    this.#appliedNext += batch.count;
    this.#seqLast = eventSeqAt(batch, batch.count - 1);
    this.#timeUsLast = eventTimeUsAt(batch, batch.count - 1);
    if (this.#appliedNext - 1 <= this.#storedLast) return;
    if (this.#rebuildDue) return this.rebuild();
    const multi = this.redis.multi().hget(this.keys.cursor, 'lastEventIndex');
    for (const symbolId of changed) this.addBook(multi, symbolId);
    for (const [symbolId, trade] of trades) this.addTrade(multi, symbolId, trade);
    const storedBefore = await this.exec(this.addCursor(multi));
    if (Number(storedBefore ?? -1) !== this.#storedLast) {
      this.#rebuildDue = true;
      return this.rebuild(storedBefore === null ? null : Number(storedBefore));
    }
    this.#storedLast = this.#appliedNext - 1;
  }

  async idle(): Promise<void> {
    if (this.#hot === null) return;
    if (this.#rebuildDue && this.#appliedNext - 1 > this.#storedLast) return this.rebuild();
    if (this.options.nowMs() - this.#checkedAtMs < REDIS_CHECK_INTERVAL_MS) return;
    this.#checkedAtMs = this.options.nowMs();
    const stored = await this.readCursor();
    if ((stored ?? -1) === this.#storedLast) return;
    // Redis no longer holds what this projector wrote last: restarted empty, flushed, or restored.
    this.#rebuildDue = true;
    await this.rebuild(stored);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /**
   * Writes every symbol's state, the trades Redis lacks and the cursor, in one MULTI. `lostTo` is
   * where Redis was found to stand when it lost data (null: empty); without it, the cursor says
   * where Redis stands, and a Redis already at or past the books is left as it is. The cursor is
   * WATCHed from the moment it is read: if Redis changes again before EXEC, nothing is written
   * and the batch is retried.
   */
  private async rebuild(lostTo?: number | null): Promise<void> {
    const hot = this.#hot;
    if (hot === null) throw new Error('rebuild before resume');
    await this.redis.watch(this.keys.cursor);
    const current = await this.readCursor();
    if (lostTo === undefined && current !== null && current >= this.#appliedNext - 1) {
      await this.redis.unwatch();
      this.#storedLast = current;
      return;
    }
    const stored = lostTo === undefined ? current : lostTo;
    const multi = this.redis.multi();
    for (let symbolId = 0; symbolId < hot.catalog.symbols.length; symbolId++) {
      this.addBook(multi, symbolId);
      const key = this.keys.trades(hot.catalog.symbol(symbolId).name);
      if (stored === null) multi.del(key);
      for (const trade of this.#trades.of(symbolId)) if (stored === null || trade.eventIndex > stored) this.addTrade(multi, symbolId, trade);
    }
    await this.exec(this.addCursor(multi));
    this.#storedLast = this.#appliedNext - 1;
    this.#rebuildDue = false;
    this.#checkedAtMs = this.options.nowMs();
  }

  private tradeAt(batch: EventBatch, i: number): RecentTrade {
    const at = eventOffset(i);
    return {
      eventIndex: batch.eventIndexFirst + i, seq: eventSeqAt(batch, i), timeUs: eventTimeUsAt(batch, i),
      priceTicks: u64(batch.view, at + TRADE.priceTicks), qtyLots: u64(batch.view, at + TRADE.qtyLots), takerSide: u8(batch.view, at + TRADE.takerSide),
    };
  }

  private addBook(multi: Multi, symbolId: number): void {
    const hot = this.#hot as HotStart;
    const catalog = hot.catalog;
    const name = catalog.symbol(symbolId).name;
    const snapshot = hot.books.snapshot(symbolId, REDIS_BOOK_DEPTH) ?? { bids: [], asks: [] };
    const levels = (side: Levels) => side.map(([price, qty]) => [catalog.price(symbolId, price), catalog.qty(symbolId, qty)]);
    const [bid, ask] = [snapshot.bids[0], snapshot.asks[0]];
    const position = { eventIndex: this.#appliedNext - 1, commandSeq: this.#seqLast, timeUs: this.#timeUsLast };
    multi.hset(this.keys.bbo(name), {
      bid: bid === undefined ? '' : catalog.price(symbolId, bid[0]), bidQty: bid === undefined ? '' : catalog.qty(symbolId, bid[1]),
      ask: ask === undefined ? '' : catalog.price(symbolId, ask[0]), askQty: ask === undefined ? '' : catalog.qty(symbolId, ask[1]), ...position,
    });
    multi.set(this.keys.book(name), JSON.stringify({ symbol: name, ...position, depth: REDIS_BOOK_DEPTH, bids: levels(snapshot.bids), asks: levels(snapshot.asks) }));
  }

  private addTrade(multi: Multi, symbolId: number, t: RecentTrade): void {
    const catalog = (this.#hot as HotStart).catalog;
    multi.xadd(this.keys.trades(catalog.symbol(symbolId).name), 'MAXLEN', '~', TRADES_STREAM_LENGTH_MAX, `${t.seq}-${t.eventIndex}`,
      'price', catalog.price(symbolId, t.priceTicks), 'qty', catalog.qty(symbolId, t.qtyLots), 'takerSide', sideName(t.takerSide), 'timeUs', t.timeUs);
  }

  private addCursor(multi: Multi): Multi {
    return multi.hset(this.keys.cursor, { lastEventIndex: this.#appliedNext - 1, lastCommandSeq: this.#seqLast, timeUs: this.#timeUsLast });
  }

  /** Runs the MULTI; any failed command fails the batch. Returns the first reply (the cursor read, when there is one). */
  private async exec(multi: Multi): Promise<string | null> {
    const replies = await multi.exec();
    if (replies === null) throw new Error('redis MULTI was discarded: the watched cursor changed');
    for (const [error] of replies) if (error !== null) throw error;
    return (replies[0]?.[1] ?? null) as string | null;
  }

  private async readCursor(): Promise<number | null> {
    const value = await this.redis.hget(this.keys.cursor, 'lastEventIndex');
    return value === null ? null : Number(value);
  }
}
