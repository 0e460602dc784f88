// Public market data, derived from the core's events on the edge: per symbol, the shown quantity at
// each price (an L2 book, hidden iceberg quantity never included), a book sequence that advances by
// one for every published change, a trade sequence, and the recent trades. Changes accumulate between
// flushes so that one batch of events becomes one update per symbol.
import { Side } from '../engine/commands.ts';
import { EventType, eventFieldOffsets, readU64 } from '../engine/schema.ts';

/** Trades kept per symbol for the REST endpoint. */
export const RECENT_TRADES_MAX = 200;

export interface PublicTrade {
  readonly seq: number;
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly takerSide: number;
  readonly timeUs: number;
}

export interface BookChange {
  readonly symbolId: number;
  /** Book sequence after the change; absent when only trades happened. */
  readonly bookSeq: number | undefined;
  readonly bids: [number, number][];
  readonly asks: [number, number][];
  readonly trades: PublicTrade[];
  readonly bestChanged: boolean;
}

export interface Best {
  readonly bidTicks: number | undefined;
  readonly bidLots: number | undefined;
  readonly askTicks: number | undefined;
  readonly askLots: number | undefined;
}

class SymbolMarket {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  bookSeq = 0;
  tradeSeq = 0;
  readonly changedBids = new Set<number>();
  readonly changedAsks = new Set<number>();
  readonly recentTrades: PublicTrade[] = [];
  newTrades: PublicTrade[] = [];
  bestAtFlush: Best = { bidTicks: undefined, bidLots: undefined, askTicks: undefined, askLots: undefined };

  change(side: number, priceTicks: number, deltaLots: number): void {
    if (deltaLots === 0) return;
    const levels = side === Side.BUY ? this.bids : this.asks;
    const qty = (levels.get(priceTicks) ?? 0) + deltaLots;
    if (qty < 0) throw new Error(`market data: shown quantity at ${priceTicks} would be ${qty}`);
    if (qty === 0) levels.delete(priceTicks);
    else levels.set(priceTicks, qty);
    (side === Side.BUY ? this.changedBids : this.changedAsks).add(priceTicks);
  }

  best(): Best {
    const bid = extreme(this.bids, 1);
    const ask = extreme(this.asks, -1);
    return {
      bidTicks: bid, bidLots: bid === undefined ? undefined : this.bids.get(bid),
      askTicks: ask, askLots: ask === undefined ? undefined : this.asks.get(ask),
    };
  }
}

function extreme(levels: Map<number, number>, sign: 1 | -1): number | undefined {
  let best: number | undefined;
  for (const price of levels.keys()) if (best === undefined || sign * price > sign * best) best = price;
  return best;
}

function sortedLevels(levels: Map<number, number>, sign: 1 | -1, depth: number): [number, number][] {
  return [...levels].sort((a, b) => sign * (b[0] - a[0])).slice(0, depth);
}

const SHOWN_CHANGE = ['symbolId', 'side', 'priceTicks', 'visibleQtyLots'] as const;
const RST = eventFieldOffsets(EventType.ORDER_RESTED, SHOWN_CHANGE);
const RFL = eventFieldOffsets(EventType.ORDER_REFILLED, SHOWN_CHANGE);
const CXL = eventFieldOffsets(EventType.ORDER_CANCELLED, SHOWN_CHANGE);
const TRD = eventFieldOffsets(EventType.TRADE, ['symbolId', 'takerSide', 'priceTicks', 'qtyLots', 'timeUs'] as const);
const RPL = eventFieldOffsets(EventType.ORDER_REPLACED, ['symbolId', 'side', 'priorityKept', 'oldPriceTicks', 'oldVisibleQtyLots', 'visibleQtyLots'] as const);

export interface BookLevelsSeed {
  readonly bids: [number, number][];
  readonly asks: [number, number][];
}

export class MarketData {
  private readonly markets: SymbolMarket[] = [];

  /** Starts from the books the core recovered (shown quantity per price). */
  constructor(books: readonly BookLevelsSeed[]) {
    for (const book of books) {
      const m = this.addSymbol();
      for (const [price, qty] of book.bids) m.bids.set(price, qty);
      for (const [price, qty] of book.asks) m.asks.set(price, qty);
      m.bestAtFlush = m.best();
    }
  }

  addSymbol(): SymbolMarket {
    const m = new SymbolMarket();
    this.markets.push(m);
    return m;
  }

  get symbolCount(): number {
    return this.markets.length;
  }

  /** Folds one event record into the books; events that do not change public data are ignored. */
  applyEvent(view: DataView, at: number): void {
    switch (view.getUint8(at)) {
      case EventType.ORDER_RESTED:
        return this.market(view, at + RST.symbolId).change(view.getUint8(at + RST.side), readU64(view, at + RST.priceTicks), readU64(view, at + RST.visibleQtyLots));
      case EventType.ORDER_REFILLED:
        return this.market(view, at + RFL.symbolId).change(view.getUint8(at + RFL.side), readU64(view, at + RFL.priceTicks), readU64(view, at + RFL.visibleQtyLots));
      case EventType.ORDER_CANCELLED:
        return this.market(view, at + CXL.symbolId).change(view.getUint8(at + CXL.side), readU64(view, at + CXL.priceTicks), -readU64(view, at + CXL.visibleQtyLots));
      case EventType.ORDER_REPLACED: {
        const m = this.market(view, at + RPL.symbolId);
        const side = view.getUint8(at + RPL.side);
        const oldVisible = readU64(view, at + RPL.oldVisibleQtyLots);
        const kept = view.getUint8(at + RPL.priorityKept) === 1;
        return m.change(side, readU64(view, at + RPL.oldPriceTicks), kept ? readU64(view, at + RPL.visibleQtyLots) - oldVisible : -oldVisible);
      }
      case EventType.TRADE: {
        const m = this.market(view, at + TRD.symbolId);
        const takerSide = view.getUint8(at + TRD.takerSide);
        const priceTicks = readU64(view, at + TRD.priceTicks);
        const qtyLots = readU64(view, at + TRD.qtyLots);
        m.change(takerSide === Side.BUY ? Side.SELL : Side.BUY, priceTicks, -qtyLots);
        const trade = { seq: ++m.tradeSeq, priceTicks, qtyLots, takerSide, timeUs: readU64(view, at + TRD.timeUs) };
        m.newTrades.push(trade);
        m.recentTrades.push(trade);
        if (m.recentTrades.length > RECENT_TRADES_MAX) m.recentTrades.shift();
        return;
      }
      case EventType.SYMBOL_ADDED:
        this.addSymbol();
        return;
      default:
        return;
    }
  }

  private market(view: DataView, symbolIdAt: number): SymbolMarket {
    const m = this.markets[view.getUint32(symbolIdAt, true)];
    if (m === undefined) throw new Error(`market data: event for unknown symbol ${view.getUint32(symbolIdAt, true)}`);
    return m;
  }

  /** Hands every symbol's changes since the last flush to `publish`, advancing book sequences. */
  flush(publish: (change: BookChange) => void): void {
    this.markets.forEach((m, symbolId) => {
      const bookChanged = m.changedBids.size > 0 || m.changedAsks.size > 0;
      if (!bookChanged && m.newTrades.length === 0) return;
      const level = (levels: Map<number, number>) => (price: number): [number, number] => [price, levels.get(price) ?? 0];
      const best = bookChanged ? m.best() : m.bestAtFlush;
      const was = m.bestAtFlush;
      const bestChanged = best.bidTicks !== was.bidTicks || best.bidLots !== was.bidLots || best.askTicks !== was.askTicks || best.askLots !== was.askLots;
      publish({
        symbolId, bookSeq: bookChanged ? ++m.bookSeq : undefined,
        bids: [...m.changedBids].map(level(m.bids)), asks: [...m.changedAsks].map(level(m.asks)), trades: m.newTrades, bestChanged,
      });
      m.changedBids.clear();
      m.changedAsks.clear();
      m.newTrades = [];
      m.bestAtFlush = best;
    });
  }

  snapshot(symbolId: number, depth: number): { seq: number; bids: [number, number][]; asks: [number, number][] } | undefined {
    const m = this.markets[symbolId];
    if (m === undefined) return undefined;
    return { seq: m.bookSeq, bids: sortedLevels(m.bids, 1, depth), asks: sortedLevels(m.asks, -1, depth) };
  }

  best(symbolId: number): Best | undefined {
    return this.markets[symbolId]?.bestAtFlush;
  }

  bookSeq(symbolId: number): number {
    return this.markets[symbolId]?.bookSeq ?? 0;
  }

  recentTrades(symbolId: number): readonly PublicTrade[] {
    return this.markets[symbolId]?.recentTrades ?? [];
  }
}
