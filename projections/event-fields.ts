// Byte offsets of the event fields the projections read, taken from the engine's one schema at load
// time, so that decoding an event is a handful of typed reads with no object per event.
import { EventType, eventFieldOffsets, readU64 } from '../engine/schema.ts';

export const ACCEPTED = eventFieldOffsets(EventType.ORDER_ACCEPTED, ['symbolId', 'accountId', 'orderId', 'side', 'orderType', 'tif', 'flags', 'stp', 'priceTicks', 'qtyLots',
  'stopPriceTicks', 'displayQtyLots', 'expireTimeUs', 'linkedOrderId', 'quoteBudget', 'linkedPriceTicks', 'clientOrderId'] as const);
export const TRADE = eventFieldOffsets(EventType.TRADE, ['symbolId', 'takerSide', 'takerAccountId', 'makerAccountId', 'takerOrderId', 'makerOrderId', 'priceTicks', 'qtyLots',
  'takerLeavesQtyLots', 'makerLeavesQtyLots', 'takerFee', 'makerFee', 'quoteAmount', 'takerClientOrderId', 'makerClientOrderId'] as const);
export const CANCELLED = eventFieldOffsets(EventType.ORDER_CANCELLED, ['orderId', 'code', 'visibleQtyLots', 'leavesQtyLots'] as const);
export const REPLACED = eventFieldOffsets(EventType.ORDER_REPLACED, ['orderId', 'priorityKept', 'priceTicks', 'qtyLots', 'visibleQtyLots'] as const);
export const TRIGGERED = eventFieldOffsets(EventType.ORDER_TRIGGERED, ['orderId'] as const);
export const REFILLED = eventFieldOffsets(EventType.ORDER_REFILLED, ['orderId', 'visibleQtyLots', 'openQtyLots'] as const);
export const RESTED = eventFieldOffsets(EventType.ORDER_RESTED, ['orderId', 'openQtyLots', 'visibleQtyLots'] as const);
export const BALANCE = eventFieldOffsets(EventType.BALANCE_CHANGED, ['accountId', 'assetId', 'commandType', 'availableAmount', 'reservedAmount'] as const);
export const SYMBOL_STATUS = eventFieldOffsets(EventType.SYMBOL_STATUS, ['symbolId', 'status', 'referencePriceTicks'] as const);

export const u8 = (view: DataView, at: number): number => view.getUint8(at);
export const u16 = (view: DataView, at: number): number => view.getUint16(at, true);
export const u32 = (view: DataView, at: number): number => view.getUint32(at, true);
export const u64 = readU64;
