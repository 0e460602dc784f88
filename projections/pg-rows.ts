// How each bulk-written table's rows are laid out for binary COPY: its column list and the writer of
// one row, side by side, because binary COPY matches fields to columns by position only (two bigint
// columns swapped would load without an error).
import type { BalanceAmounts } from './balance-cache.ts';
import type { CopyWriter } from './pg-copy.ts';
import { BALANCE, TRADE, u8, u32, u64 } from './event-fields.ts';
import type { BalanceRow } from './pg-fold.ts';
import { commandName, sideName } from './names.ts';
import type { OrderPatch, OrderRow } from './order-rows.ts';

export interface CopyTable {
  readonly table: string;
  readonly columns: readonly string[];
}

/** Where an event stands in the log: what every row made from it records. */
export interface EventPosition {
  readonly eventIndex: number;
  readonly seq: number;
  readonly timeUs: number;
}

export const FILLS: CopyTable = {
  table: 'fills',
  columns: ['event_index', 'seq', 'symbol_id', 'price_ticks', 'qty_lots', 'quote_amount', 'taker_side', 'taker_order_id', 'maker_order_id', 'taker_account_id',
    'maker_account_id', 'taker_client_order_id', 'maker_client_order_id', 'taker_fee', 'maker_fee', 'taker_fee_asset_id', 'maker_fee_asset_id', 'executed_at'],
};

/** The fill a TRADE event at `at` records; each side's fee asset is the asset it received. */
export function writeFill(w: CopyWriter, e: EventPosition, view: DataView, at: number, takerFeeAssetId: number, makerFeeAssetId: number): void {
  w.row(FILLS.columns.length);
  w.int64(e.eventIndex);
  w.int64(e.seq);
  w.int32(u32(view, at + TRADE.symbolId));
  w.int64(u64(view, at + TRADE.priceTicks));
  w.int64(u64(view, at + TRADE.qtyLots));
  w.int64(u64(view, at + TRADE.quoteAmount));
  w.text(sideName(u8(view, at + TRADE.takerSide)));
  w.int64(u64(view, at + TRADE.takerOrderId));
  w.int64(u64(view, at + TRADE.makerOrderId));
  w.int32(u32(view, at + TRADE.takerAccountId));
  w.int32(u32(view, at + TRADE.makerAccountId));
  w.int64(u64(view, at + TRADE.takerClientOrderId));
  w.int64(u64(view, at + TRADE.makerClientOrderId));
  w.int64(u64(view, at + TRADE.takerFee));
  w.int64(u64(view, at + TRADE.makerFee));
  w.int32(takerFeeAssetId);
  w.int32(makerFeeAssetId);
  w.timestamptz(e.timeUs);
}

export const LEDGER: CopyTable = {
  table: 'ledger',
  columns: ['event_index', 'seq', 'account_id', 'asset_id', 'command', 'available', 'reserved', 'available_delta', 'reserved_delta', 'changed_at'],
};

/** The balance change a BALANCE_CHANGED event at `at` records: the balance after it, and by how much it moved from `before`. */
export function writeLedger(w: CopyWriter, e: EventPosition, view: DataView, at: number, before: BalanceAmounts): void {
  const available = u64(view, at + BALANCE.availableAmount);
  const reserved = u64(view, at + BALANCE.reservedAmount);
  w.row(LEDGER.columns.length);
  w.int64(e.eventIndex);
  w.int64(e.seq);
  w.int32(u32(view, at + BALANCE.accountId));
  w.int32(u32(view, at + BALANCE.assetId));
  w.text(commandName(u8(view, at + BALANCE.commandType)));
  w.int64(available);
  w.int64(reserved);
  w.int64(available - before.available);
  w.int64(reserved - before.reserved);
  w.timestamptz(e.timeUs);
}

export const ORDERS: CopyTable = {
  table: 'orders',
  columns: ['order_id', 'account_id', 'symbol_id', 'client_order_id', 'side', 'order_type', 'time_in_force', 'post_only', 'stp', 'price_ticks', 'qty_lots',
    'stop_price_ticks', 'display_qty_lots', 'quote_budget', 'expires_at', 'linked_order_id', 'status', 'leaves_qty_lots', 'visible_qty_lots', 'filled_qty_lots',
    'filled_quote', 'fees', 'fill_count', 'cancel_code', 'accepted_seq', 'accepted_at', 'triggered_at', 'rested_at', 'last_fill_at', 'closed_at', 'updated_seq',
    'updated_event_index'],
};

export function writeOrder(w: CopyWriter, o: OrderRow): void {
  w.row(ORDERS.columns.length);
  w.int64(o.orderId);
  w.int32(o.accountId);
  w.int32(o.symbolId);
  w.int64(o.clientOrderId);
  w.text(o.side);
  w.text(o.orderType);
  w.text(o.timeInForce);
  w.bool(o.postOnly);
  w.text(o.stp);
  w.int64(o.priceTicks);
  w.int64(o.qtyLots);
  w.int64(o.stopPriceTicks);
  w.int64(o.displayQtyLots);
  w.int64(o.quoteBudget);
  w.timestamptzOrNull(o.expireTimeUs);
  w.int64OrNull(o.linkedOrderId);
  w.text(o.status);
  w.int64(o.leavesQtyLots);
  w.int64(o.visibleQtyLots);
  w.int64(o.filledQtyLots);
  w.int64(o.filledQuote);
  w.int64(o.fees);
  w.int32(o.fillCount);
  w.int32OrNull(o.cancelCode);
  w.int64(o.acceptedSeq);
  w.timestamptz(o.acceptedAtUs);
  w.timestamptzOrNull(o.triggeredAtUs);
  w.timestamptzOrNull(o.restedAtUs);
  w.timestamptzOrNull(o.lastFillAtUs);
  w.timestamptzOrNull(o.closedAtUs);
  w.int64(o.updatedSeq);
  w.int64(o.updatedEventIndex);
}

/** Into the session's staging table (pg-staging.ts), for the UPDATE that applies it. */
export const ORDER_PATCHES: CopyTable = {
  table: 'projection_patches_in',
  columns: ['order_id', 'status', 'leaves', 'visible_set', 'visible_sub', 'price', 'filled_add', 'quote_add', 'fees_add', 'fills_add', 'cancel_code', 'triggered_at',
    'rested_at', 'last_fill_at', 'closed_at', 'updated_seq', 'updated_event_index'],
};

export function writeOrderPatch(w: CopyWriter, orderId: number, p: OrderPatch): void {
  w.row(ORDER_PATCHES.columns.length);
  w.int64(orderId);
  if (p.status === null) w.null();
  else w.text(p.status);
  w.int64OrNull(p.leavesQtyLots);
  w.int64OrNull(p.visibleSet);
  w.int64(p.visibleSub);
  w.int64OrNull(p.priceTicks);
  w.int64(p.filledQtyAdd);
  w.int64(p.filledQuoteAdd);
  w.int64(p.feesAdd);
  w.int32(p.fillCountAdd);
  w.int32OrNull(p.cancelCode);
  w.timestamptzOrNull(p.triggeredAtUs);
  w.timestamptzOrNull(p.restedAtUs);
  w.timestamptzOrNull(p.lastFillAtUs);
  w.timestamptzOrNull(p.closedAtUs);
  w.int64(p.updatedSeq);
  w.int64(p.updatedEventIndex);
}

/** Into the session's staging table (pg-staging.ts), for the upsert that applies it. */
export const BALANCES: CopyTable = {
  table: 'projection_balances_in',
  columns: ['account_id', 'asset_id', 'available', 'reserved', 'last_event_index', 'last_seq', 'updated_at'],
};

export function writeBalance(w: CopyWriter, b: BalanceRow): void {
  w.row(BALANCES.columns.length);
  w.int32(b.accountId);
  w.int32(b.assetId);
  w.int64(b.available);
  w.int64(b.reserved);
  w.int64(b.eventIndex);
  w.int64(b.seq);
  w.timestamptz(b.timeUs);
}
