// Read-only views of the core for tools, tests and the gateway: no state changes.
import { Side } from './commands.ts';
import type { CoreState, SymbolBook, SymbolSpec } from './core-state.ts';
import { NIL } from './order-store.ts';

export interface BookOrder {
  readonly orderId: number;
  readonly accountId: number;
  readonly priceTicks: number;
  readonly openQtyLots: number;
  readonly visibleQtyLots: number;
}

export interface BookLevel {
  readonly priceTicks: number;
  /** Shown quantity: hidden iceberg quantity is not market data. */
  readonly visibleQtyLots: number;
  readonly orderCount: number;
}

function ladderOf(sym: SymbolBook, side: number) {
  return side === Side.BUY ? sym.bids : sym.asks;
}

/** Resting orders of one side, best price first, queue (time) order within a price. */
export function bookOrders(s: CoreState, symbolId: number, side: number): BookOrder[] {
  const sym = s.symbols[symbolId];
  if (sym === undefined) return [];
  const ladder = ladderOf(sym, side);
  const o = s.orders;
  const out: BookOrder[] = [];
  for (let i = ladder.count - 1; i >= 0; i--) {
    for (let slot = s.levels.head[ladder.levels[i] as number] as number; slot !== NIL; slot = o.next[slot] as number) {
      out.push({
        orderId: o.orderId[slot] as number, accountId: o.accountId[slot] as number, priceTicks: o.priceTicks[slot] as number,
        openQtyLots: o.openQty[slot] as number, visibleQtyLots: o.visibleQty[slot] as number,
      });
    }
  }
  return out;
}

/** The best `depth` levels of one side (all when depth is omitted), best first. */
export function bookLevels(s: CoreState, symbolId: number, side: number, depth = Number.POSITIVE_INFINITY): BookLevel[] {
  const sym = s.symbols[symbolId];
  if (sym === undefined) return [];
  const ladder = ladderOf(sym, side);
  const lv = s.levels;
  const out: BookLevel[] = [];
  for (let i = ladder.count - 1; i >= 0 && out.length < depth; i--) {
    const level = ladder.levels[i] as number;
    out.push({ priceTicks: lv.priceTicks[level] as number, visibleQtyLots: lv.visibleQty[level] as number, orderCount: lv.orderCount[level] as number });
  }
  return out;
}

export interface Balance {
  readonly availableAmount: number;
  readonly reservedAmount: number;
}

export function balanceOf(s: CoreState, accountId: number, assetId: number): Balance {
  const a = s.ledger.assets[assetId];
  if (a === undefined || accountId < 0 || accountId >= s.ledger.accountCount) return { availableAmount: 0, reservedAmount: 0 };
  return { availableAmount: a.available[accountId] as number, reservedAmount: a.reserved[accountId] as number };
}

export interface CatalogSymbol {
  readonly spec: SymbolSpec;
  readonly status: number;
  readonly referencePriceTicks: number;
  readonly lastPriceTicks: number;
  /** Shown quantity per price, best first: [priceTicks, visibleQtyLots]. */
  readonly bids: [number, number][];
  readonly asks: [number, number][];
}

/** What an edge needs to start serving: assets, accounts, symbols and their books (shown quantities). */
export interface Catalog {
  readonly seqLast: number;
  readonly assets: { readonly name: string; readonly scale: number }[];
  readonly accounts: string[];
  readonly symbols: CatalogSymbol[];
}

export function catalogOf(s: CoreState): Catalog {
  const levels = (symbolId: number, side: number): [number, number][] => bookLevels(s, symbolId, side).map((l) => [l.priceTicks, l.visibleQtyLots]);
  return {
    seqLast: s.seqLast,
    assets: s.ledger.assets.map((a) => ({ name: a.name, scale: a.scale })),
    accounts: [...s.ledger.accountNames],
    symbols: s.symbols.map((sym) => ({
      spec: sym.spec, status: sym.status, referencePriceTicks: sym.referencePriceTicks, lastPriceTicks: sym.lastPriceTicks,
      bids: levels(sym.id, Side.BUY), asks: levels(sym.id, Side.SELL),
    })),
  };
}
