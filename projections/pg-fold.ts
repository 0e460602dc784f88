// Folds one batch of events into the rows the PostgreSQL projection writes for it: new assets,
// accounts and symbols, symbol changes, new orders (in their state at the batch's end), patches of
// older orders, fills, ledger entries (with the change each made) and the last balance of each
// account and asset. No I/O: from the same catalog and balances the same events give the same
// rows, which is what lets a batch be folded and written again after a failure.
import { Side } from '../engine/commands.ts';
import { EventType, decodeRecord, eventLayout, type RecordLayout } from '../engine/schema.ts';
import { balanceKey, type BalanceCache } from './balance-cache.ts';
import type { ProjectionCatalog } from './catalog.ts';
import { eventOffset, eventSeqAt, eventTimeUsAt, type EventBatch } from './event-batch.ts';
import { BALANCE, CANCELLED, REFILLED, REPLACED, RESTED, SYMBOL_STATUS, TRADE, TRIGGERED, u8, u16, u32, u64 } from './event-fields.ts';
import { OrderStatus, symbolStatusName } from './names.ts';
import { acceptedRows, addFill, applyPatch, emptyPatch, setVisible, type OrderPatch, type OrderRow } from './order-rows.ts';
import { CopyWriter } from './pg-copy.ts';
import { writeFill, writeLedger, type EventPosition } from './pg-rows.ts';

export interface AdminRow {
  readonly id: number;
  readonly name: string;
  readonly seq: number;
  readonly timeUs: number;
  /** Assets: scale. */
  readonly scale: number;
}

export interface SymbolChange {
  status: string | null;
  referencePriceTicks: number | null;
  lastPriceTicks: number | null;
  seq: number;
}

export interface SymbolRow {
  readonly symbolId: number;
  readonly fields: Readonly<Record<string, number | string>>;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly seq: number;
  readonly timeUs: number;
  /** Its state at the end of the batch (one statement cannot insert a row and then update it). */
  readonly change: SymbolChange;
}

/** A balance as a batch's last change of it left it. */
export interface BalanceRow {
  readonly accountId: number;
  readonly assetId: number;
  available: number;
  reserved: number;
  eventIndex: number;
  seq: number;
  timeUs: number;
}

export interface PgRows {
  readonly eventIndexLast: number;
  readonly commandSeqLast: number;
  readonly assets: AdminRow[];
  readonly accounts: AdminRow[];
  readonly symbols: SymbolRow[];
  readonly symbolChanges: Map<number, SymbolChange>;
  /** Orders accepted in this batch, as they stand at its end. */
  readonly newOrders: OrderRow[];
  /** Changes to orders accepted before this batch. */
  readonly patches: Map<number, OrderPatch>;
  /** FILLS rows, written as the events were folded. */
  readonly fills: CopyWriter;
  /** LEDGER rows, written as the events were folded. */
  readonly ledger: CopyWriter;
  /** The last balance of each (account, asset) the batch changed. */
  readonly balances: Map<number, BalanceRow>;
}

class Folder implements EventPosition {
  readonly assets: AdminRow[] = [];
  readonly accounts: AdminRow[] = [];
  readonly symbols: SymbolRow[] = [];
  readonly symbolChanges = new Map<number, SymbolChange>();
  readonly newOrders = new Map<number, OrderRow>();
  /** Orders new in this batch whose id was accepted again later in it. */
  readonly endedNewOrders: OrderRow[] = [];
  /** Patches of orders new in this batch, applied to their rows at the end. */
  readonly newPatches = new Map<number, OrderPatch>();
  readonly patches = new Map<number, OrderPatch>();
  readonly fills = new CopyWriter();
  readonly ledger = new CopyWriter();
  readonly balances = new Map<number, BalanceRow>();
  seq = 0;
  timeUs = 0;
  eventIndex = 0;

  constructor(private readonly catalog: ProjectionCatalog, private readonly balanceCache: BalanceCache) {}

  patch(orderId: number): OrderPatch {
    const table = this.newOrders.has(orderId) ? this.newPatches : this.patches;
    let p = table.get(orderId);
    if (p === undefined) {
      p = emptyPatch(this.seq, this.eventIndex);
      table.set(orderId, p);
    }
    p.updatedSeq = this.seq;
    p.updatedEventIndex = this.eventIndex;
    return p;
  }

  symbolChange(symbolId: number): SymbolChange {
    const added = this.symbols.find((s) => s.symbolId === symbolId);
    if (added !== undefined) {
      added.change.seq = this.seq;
      return added.change;
    }
    let change = this.symbolChanges.get(symbolId);
    if (change === undefined) {
      change = { status: null, referencePriceTicks: null, lastPriceTicks: null, seq: this.seq };
      this.symbolChanges.set(symbolId, change);
    }
    change.seq = this.seq;
    return change;
  }

  apply(view: DataView, at: number): void {
    const type = view.getUint8(at);
    switch (type) {
      case EventType.ORDER_ACCEPTED:
        for (const row of acceptedRows(view, at, this.seq, this.timeUs, this.eventIndex)) this.accept(row);
        return;
      case EventType.TRADE:
        return this.trade(view, at);
      case EventType.ORDER_CANCELLED: {
        const p = this.patch(u64(view, at + CANCELLED.orderId));
        const leaves = u64(view, at + CANCELLED.leavesQtyLots);
        p.leavesQtyLots = leaves;
        if (leaves > 0) {
          // A self-trade decrement: the order stays live with less.
          p.visibleSub += u64(view, at + CANCELLED.visibleQtyLots);
          return;
        }
        p.status = OrderStatus.CANCELLED;
        p.cancelCode = u16(view, at + CANCELLED.code);
        p.closedAtUs = this.timeUs;
        setVisible(p, 0);
        return;
      }
      case EventType.ORDER_REPLACED: {
        const p = this.patch(u64(view, at + REPLACED.orderId));
        p.priceTicks = u64(view, at + REPLACED.priceTicks);
        p.leavesQtyLots = u64(view, at + REPLACED.qtyLots);
        // Without priority kept the order left the book; ORDER_RESTED shows it again if it rests.
        setVisible(p, u8(view, at + REPLACED.priorityKept) === 1 ? u64(view, at + REPLACED.visibleQtyLots) : 0);
        return;
      }
      case EventType.ORDER_TRIGGERED: {
        const p = this.patch(u64(view, at + TRIGGERED.orderId));
        p.status = OrderStatus.OPEN;
        p.triggeredAtUs = this.timeUs;
        return;
      }
      case EventType.ORDER_REFILLED: {
        const p = this.patch(u64(view, at + REFILLED.orderId));
        p.leavesQtyLots = u64(view, at + REFILLED.openQtyLots);
        setVisible(p, u64(view, at + REFILLED.visibleQtyLots));
        return;
      }
      case EventType.ORDER_RESTED: {
        const p = this.patch(u64(view, at + RESTED.orderId));
        p.status = OrderStatus.OPEN;
        p.leavesQtyLots = u64(view, at + RESTED.openQtyLots);
        setVisible(p, u64(view, at + RESTED.visibleQtyLots));
        p.restedAtUs ??= this.timeUs;
        return;
      }
      case EventType.BALANCE_CHANGED:
        return this.balance(view, at);
      case EventType.SYMBOL_STATUS: {
        const change = this.symbolChange(u32(view, at + SYMBOL_STATUS.symbolId));
        change.status = symbolStatusName(u8(view, at + SYMBOL_STATUS.status));
        change.referencePriceTicks = u64(view, at + SYMBOL_STATUS.referencePriceTicks);
        return;
      }
      case EventType.ASSET_ADDED:
      case EventType.ACCOUNT_CREATED:
      case EventType.SYMBOL_ADDED:
        return this.admin(type, view, at);
      default:
        // REJECTED and MASS_CANCEL_DONE change no row: their effects arrive as the events above.
        return;
    }
  }

  /** A new order; an id that ended earlier in the batch gets its new row, the old one is kept as it ended. */
  private accept(row: OrderRow): void {
    const earlier = this.newOrders.get(row.orderId);
    const earlierPatch = this.newPatches.get(row.orderId);
    if (earlier !== undefined) {
      if (earlierPatch !== undefined) applyPatch(earlier, earlierPatch);
      this.newPatches.delete(row.orderId);
      this.endedNewOrders.push(earlier);
    }
    this.newOrders.set(row.orderId, row);
  }

  private trade(view: DataView, at: number): void {
    const symbolId = u32(view, at + TRADE.symbolId);
    const priceTicks = u64(view, at + TRADE.priceTicks);
    const qtyLots = u64(view, at + TRADE.qtyLots);
    const quoteAmount = u64(view, at + TRADE.quoteAmount);
    addFill(this.patch(u64(view, at + TRADE.takerOrderId)), qtyLots, quoteAmount, u64(view, at + TRADE.takerFee), u64(view, at + TRADE.takerLeavesQtyLots), this.timeUs);
    const maker = this.patch(u64(view, at + TRADE.makerOrderId));
    addFill(maker, qtyLots, quoteAmount, u64(view, at + TRADE.makerFee), u64(view, at + TRADE.makerLeavesQtyLots), this.timeUs);
    maker.visibleSub += qtyLots;
    const change = this.symbolChange(symbolId);
    change.lastPriceTicks = priceTicks;
    change.referencePriceTicks = priceTicks;
    // Each side pays its fee in the asset it receives: base for the buyer, quote for the seller.
    const spec = this.catalog.symbol(symbolId).spec;
    const takerBuys = u8(view, at + TRADE.takerSide) === Side.BUY;
    writeFill(this.fills, this, view, at, takerBuys ? spec.baseAssetId : spec.quoteAssetId, takerBuys ? spec.quoteAssetId : spec.baseAssetId);
  }

  private balance(view: DataView, at: number): void {
    const accountId = u32(view, at + BALANCE.accountId);
    const assetId = u32(view, at + BALANCE.assetId);
    const key = balanceKey(accountId, assetId);
    writeLedger(this.ledger, this, view, at, this.balanceCache.get(key));
    const available = u64(view, at + BALANCE.availableAmount);
    const reserved = u64(view, at + BALANCE.reservedAmount);
    const row = this.balances.get(key);
    if (row === undefined) {
      const added: BalanceRow = { accountId, assetId, available, reserved, eventIndex: this.eventIndex, seq: this.seq, timeUs: this.timeUs };
      this.balances.set(key, added);
      // The cache holds the batch's row from now on: later changes in this batch update it in place.
      this.balanceCache.set(key, added);
      return;
    }
    row.available = available;
    row.reserved = reserved;
    row.eventIndex = this.eventIndex;
    row.seq = this.seq;
    row.timeUs = this.timeUs;
  }

  private admin(type: number, view: DataView, at: number): void {
    const e = decodeRecord(eventLayout(type) as RecordLayout, view, at);
    const common = { name: e['name'] as string, seq: this.seq, timeUs: this.timeUs };
    if (type === EventType.ASSET_ADDED) {
      this.catalog.applyEvent(view, at);
      this.assets.push({ ...common, id: e['assetId'] as number, scale: e['scale'] as number });
    } else if (type === EventType.ACCOUNT_CREATED) {
      this.accounts.push({ ...common, id: e['accountId'] as number, scale: 0 });
    } else {
      const symbol = this.catalog.applyEvent(view, at);
      if (symbol === undefined) throw new Error('SYMBOL_ADDED did not add a symbol to the catalog');
      const change = { status: 'trading', referencePriceTicks: e['referencePriceTicks'] as number, lastPriceTicks: 0, seq: this.seq };
      this.symbols.push({ symbolId: e['symbolId'] as number, fields: e, tickSize: symbol.tickSize, lotSize: symbol.lotSize, seq: this.seq, timeUs: this.timeUs, change });
    }
  }
}

/**
 * The rows of `batch`. `catalog` must know every symbol the batch trades in and learns the ones it
 * adds; `balances` must hold every balance it changes (BalanceCache.load) and learns their new values.
 */
export function foldPgBatch(batch: EventBatch, catalog: ProjectionCatalog, balances: BalanceCache): PgRows {
  if (batch.count === 0) throw new RangeError('an empty batch has no rows');
  const folder = new Folder(catalog, balances);
  for (let i = 0; i < batch.count; i++) {
    folder.seq = eventSeqAt(batch, i);
    folder.timeUs = eventTimeUsAt(batch, i);
    folder.eventIndex = batch.eventIndexFirst + i;
    folder.apply(batch.view, eventOffset(i));
  }
  for (const [orderId, p] of folder.newPatches) applyPatch(folder.newOrders.get(orderId) as OrderRow, p);
  return {
    eventIndexLast: batch.eventIndexFirst + batch.count - 1, commandSeqLast: eventSeqAt(batch, batch.count - 1),
    assets: folder.assets, accounts: folder.accounts, symbols: folder.symbols, symbolChanges: folder.symbolChanges,
    newOrders: [...folder.endedNewOrders, ...folder.newOrders.values()], patches: folder.patches, fills: folder.fills, ledger: folder.ledger, balances: folder.balances,
  };
}
