// Everything the core holds, in one place: the stores, the books of every symbol, the ledger
// and the counters. Snapshots encode exactly this; the state hash is a hash of that encoding.
import { EventWriter } from './event-writer.ts';
import { ExpiryHeap, PriceLadder, StopLadder } from './ladders.ts';
import { LevelStore } from './level-store.ts';
import { Ledger } from './ledger.ts';
import type { EngineConfig } from './limits.ts';
import { NumberIndex } from './number-index.ts';
import { OrderStore } from './order-store.ts';

export interface SymbolSpec {
  readonly name: string;
  readonly baseAssetId: number;
  readonly quoteAssetId: number;
  readonly baseUnitsPerLot: number;
  readonly quoteUnitsPerTickLot: number;
  readonly minQtyLots: number;
  readonly maxQtyLots: number;
  readonly priceTicksMax: number;
  readonly bandBps: number;
  readonly makerFeeBps: number;
  readonly takerFeeBps: number;
  readonly protectionBps: number;
}

/** One symbol: its fixed specification, its status and its book (levels and pending stops). */
export interface SymbolBook {
  readonly id: number;
  readonly spec: SymbolSpec;
  status: number;
  /** Centre of the price band: the price set at creation or resume, moved by every trade. */
  referencePriceTicks: number;
  /** Price of the last trade; 0 before the first. */
  lastPriceTicks: number;
  readonly bids: PriceLadder;
  readonly asks: PriceLadder;
  readonly buyStops: StopLadder;
  readonly sellStops: StopLadder;
}

export function newSymbolBook(id: number, spec: SymbolSpec, status: number, referencePriceTicks: number): SymbolBook {
  return {
    id, spec, status, referencePriceTicks, lastPriceTicks: 0,
    bids: new PriceLadder(1), asks: new PriceLadder(-1), buyStops: new StopLadder(-1), sellStops: new StopLadder(1),
  };
}

export class CoreState {
  readonly orders: OrderStore;
  readonly levels = new LevelStore();
  readonly ledger: Ledger;
  readonly symbols: SymbolBook[] = [];
  readonly symbolIdByName = new Map<string, number>();
  /** Live orders (resting or pending stop) by order id. */
  readonly slotByOrderId = new NumberIndex(1 << 12);
  /** Per account, live orders by client order id (only accounts that use client order ids). */
  readonly slotByClientOrderId = new Map<number, NumberIndex>();
  readonly expiries: ExpiryHeap;
  readonly events = new EventWriter();
  /** Sequence of the last applied command; 0 before the first. */
  seqLast = 0;
  timeUsLast = 0;
  /** Next arrival priority to hand out. */
  priorityNext = 1;
  /** Fills produced by the command being applied. */
  matchesInCommand = 0;

  constructor(readonly config: EngineConfig) {
    this.orders = new OrderStore(config.ordersMax);
    this.ledger = new Ledger(config.accountsMax);
    const orders = this.orders;
    this.expiries = new ExpiryHeap(() => orders.expireTimeUs, () => orders.orderId, () => orders.heapIndex);
  }
}
