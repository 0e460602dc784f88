// Byte offsets of the event fields the projections read, taken from the engine's one schema at load
// time, so that decoding an event is a handful of typed reads with no object per event.
import { EventType, eventLayout, fieldOffset, readU64, type RecordLayout } from '../engine/schema.ts';

function offsets<K extends string>(type: number, names: readonly K[]): Record<K, number> {
  const layout = eventLayout(type) as RecordLayout;
  return Object.fromEntries(names.map((name) => [name, fieldOffset(layout, name)])) as Record<K, number>;
}

export const ACCEPTED = offsets(EventType.ORDER_ACCEPTED, ['symbolId', 'accountId', 'orderId', 'side', 'orderType', 'tif', 'flags', 'stp', 'priceTicks', 'qtyLots',
  'stopPriceTicks', 'displayQtyLots', 'expireTimeUs', 'linkedOrderId', 'quoteBudget', 'linkedPriceTicks', 'clientOrderId'] as const);
export const TRADE = offsets(EventType.TRADE, ['symbolId', 'takerSide', 'takerAccountId', 'makerAccountId', 'takerOrderId', 'makerOrderId', 'priceTicks', 'qtyLots',
  'takerLeavesQtyLots', 'makerLeavesQtyLots', 'takerFee', 'makerFee', 'quoteAmount', 'takerClientOrderId', 'makerClientOrderId'] as const);
export const CANCELLED = offsets(EventType.ORDER_CANCELLED, ['orderId', 'code', 'visibleQtyLots', 'leavesQtyLots'] as const);
export const REPLACED = offsets(EventType.ORDER_REPLACED, ['orderId', 'priorityKept', 'priceTicks', 'qtyLots', 'visibleQtyLots'] as const);
export const TRIGGERED = offsets(EventType.ORDER_TRIGGERED, ['orderId'] as const);
export const REFILLED = offsets(EventType.ORDER_REFILLED, ['orderId', 'visibleQtyLots', 'openQtyLots'] as const);
export const RESTED = offsets(EventType.ORDER_RESTED, ['orderId', 'openQtyLots', 'visibleQtyLots'] as const);
export const BALANCE = offsets(EventType.BALANCE_CHANGED, ['accountId', 'assetId', 'commandType', 'availableAmount', 'reservedAmount'] as const);
export const SYMBOL_STATUS = offsets(EventType.SYMBOL_STATUS, ['symbolId', 'status', 'referencePriceTicks'] as const);

export const u8 = (view: DataView, at: number): number => view.getUint8(at);
export const u16 = (view: DataView, at: number): number => view.getUint16(at, true);
export const u32 = (view: DataView, at: number): number => view.getUint32(at, true);
export const u64 = readU64;
