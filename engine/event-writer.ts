// The reused output buffer of the core: events are appended as fixed-size binary records (see
// schema.ts) with no allocation per event; the caller reads them and clears the buffer.
import { EVENT_SIZE_BYTES, EventType, encodeRecord, eventLayout, fieldOffset, readU64, writeU64, type DecodedRecord, type RecordLayout } from './schema.ts';

function offsets<K extends string>(type: number, names: readonly K[]): Record<K, number> {
  const l = eventLayout(type) as RecordLayout;
  return Object.fromEntries(names.map((n) => [n, fieldOffset(l, n)])) as Record<K, number>;
}

const ACC = offsets(EventType.ORDER_ACCEPTED, ['symbolId', 'accountId', 'orderId', 'side', 'orderType', 'tif', 'flags', 'stp', 'priceTicks', 'qtyLots', 'stopPriceTicks', 'displayQtyLots', 'expireTimeUs', 'linkedOrderId'] as const);
const REJ = offsets(EventType.REJECTED, ['commandType', 'code', 'symbolId', 'accountId', 'orderId'] as const);
const TRD = offsets(EventType.TRADE, ['symbolId', 'takerSide', 'takerAccountId', 'makerAccountId', 'takerOrderId', 'makerOrderId', 'priceTicks', 'qtyLots', 'takerLeavesQtyLots', 'makerLeavesQtyLots', 'takerFee', 'makerFee', 'quoteAmount'] as const);
const CXL = offsets(EventType.ORDER_CANCELLED, ['symbolId', 'accountId', 'orderId', 'side', 'code', 'priceTicks', 'cancelledQtyLots', 'visibleQtyLots', 'leavesQtyLots'] as const);
const RPL = offsets(EventType.ORDER_REPLACED, ['symbolId', 'accountId', 'orderId', 'side', 'priorityKept', 'oldPriceTicks', 'oldQtyLots', 'oldVisibleQtyLots', 'priceTicks', 'qtyLots', 'visibleQtyLots'] as const);
const TRG = offsets(EventType.ORDER_TRIGGERED, ['symbolId', 'accountId', 'orderId', 'side', 'stopPriceTicks', 'lastPriceTicks'] as const);
const RFL = offsets(EventType.ORDER_REFILLED, ['symbolId', 'accountId', 'orderId', 'side', 'priceTicks', 'visibleQtyLots', 'openQtyLots'] as const);
const RST = offsets(EventType.ORDER_RESTED, ['symbolId', 'accountId', 'orderId', 'side', 'priceTicks', 'openQtyLots', 'visibleQtyLots'] as const);
const BAL = offsets(EventType.BALANCE_CHANGED, ['accountId', 'assetId', 'commandType', 'amount', 'availableAmount', 'reservedAmount'] as const);
const SST = offsets(EventType.SYMBOL_STATUS, ['symbolId', 'status', 'referencePriceTicks'] as const);

const INITIAL_CAPACITY_EVENTS = 1_024;

export class EventWriter {
  bytes: Uint8Array;
  view: DataView;
  /** Events in the buffer. */
  count = 0;
  private seq = 0;
  private timeUs = 0;

  constructor() {
    this.bytes = new Uint8Array(INITIAL_CAPACITY_EVENTS * EVENT_SIZE_BYTES);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Stamps the events that follow with the command they answer. */
  begin(seq: number, timeUs: number): void {
    this.seq = seq;
    this.timeUs = timeUs;
  }

  /** Forgets the written events; zeroes their bytes once here so that open() hands out zeroed records. */
  clear(): void {
    this.bytes.fill(0, 0, this.count * EVENT_SIZE_BYTES);
    this.count = 0;
  }

  /** The written events as one contiguous byte range (a view, valid until the next write). */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.count * EVENT_SIZE_BYTES);
  }

  typeAt(index: number): number {
    return this.bytes[index * EVENT_SIZE_BYTES] as number;
  }

  /** Starts a record of `type` (its bytes are zero: see clear()) and returns its byte offset. */
  open(type: number): number {
    const at = this.count * EVENT_SIZE_BYTES;
    if (at + EVENT_SIZE_BYTES > this.bytes.length) this.grow();
    this.view.setUint8(at, type);
    writeU64(this.view, at + 8, this.seq);
    writeU64(this.view, at + 16, this.timeUs);
    this.count++;
    return at;
  }

  private grow(): void {
    const next = new Uint8Array(this.bytes.length * 2);
    next.set(this.bytes);
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  accepted(symbolId: number, accountId: number, orderId: number, side: number, orderType: number, tif: number, flags: number, stp: number,
    priceTicks: number, qtyLots: number, stopPriceTicks: number, displayQtyLots: number, expireTimeUs: number, linkedOrderId: number): void {
    const at = this.open(EventType.ORDER_ACCEPTED);
    const v = this.view;
    v.setUint32(at + ACC.symbolId, symbolId, true);
    v.setUint32(at + ACC.accountId, accountId, true);
    writeU64(v, at + ACC.orderId, orderId);
    v.setUint8(at + ACC.side, side);
    v.setUint8(at + ACC.orderType, orderType);
    v.setUint8(at + ACC.tif, tif);
    v.setUint8(at + ACC.flags, flags);
    v.setUint8(at + ACC.stp, stp);
    writeU64(v, at + ACC.priceTicks, priceTicks);
    writeU64(v, at + ACC.qtyLots, qtyLots);
    writeU64(v, at + ACC.stopPriceTicks, stopPriceTicks);
    writeU64(v, at + ACC.displayQtyLots, displayQtyLots);
    writeU64(v, at + ACC.expireTimeUs, expireTimeUs);
    writeU64(v, at + ACC.linkedOrderId, linkedOrderId);
  }

  rejected(commandType: number, code: number, symbolId: number, accountId: number, orderId: number): void {
    const at = this.open(EventType.REJECTED);
    const v = this.view;
    v.setUint8(at + REJ.commandType, commandType);
    v.setUint16(at + REJ.code, code, true);
    v.setUint32(at + REJ.symbolId, symbolId >>> 0, true);
    v.setUint32(at + REJ.accountId, accountId >>> 0, true);
    writeU64(v, at + REJ.orderId, orderId);
  }

  trade(symbolId: number, takerSide: number, takerAccountId: number, makerAccountId: number, takerOrderId: number, makerOrderId: number,
    priceTicks: number, qtyLots: number, takerLeavesQtyLots: number, makerLeavesQtyLots: number, takerFee: number, makerFee: number, quoteAmount: number): void {
    const at = this.open(EventType.TRADE);
    const v = this.view;
    v.setUint32(at + TRD.symbolId, symbolId, true);
    v.setUint8(at + TRD.takerSide, takerSide);
    v.setUint32(at + TRD.takerAccountId, takerAccountId, true);
    v.setUint32(at + TRD.makerAccountId, makerAccountId, true);
    writeU64(v, at + TRD.takerOrderId, takerOrderId);
    writeU64(v, at + TRD.makerOrderId, makerOrderId);
    writeU64(v, at + TRD.priceTicks, priceTicks);
    writeU64(v, at + TRD.qtyLots, qtyLots);
    writeU64(v, at + TRD.takerLeavesQtyLots, takerLeavesQtyLots);
    writeU64(v, at + TRD.makerLeavesQtyLots, makerLeavesQtyLots);
    writeU64(v, at + TRD.takerFee, takerFee);
    writeU64(v, at + TRD.makerFee, makerFee);
    writeU64(v, at + TRD.quoteAmount, quoteAmount);
  }

  /** `leavesQtyLots` is what stays open: 0 when the order is gone, more after a self-trade decrement. */
  cancelled(symbolId: number, accountId: number, orderId: number, side: number, code: number, priceTicks: number,
    cancelledQtyLots: number, visibleQtyLots: number, leavesQtyLots: number): void {
    const at = this.open(EventType.ORDER_CANCELLED);
    const v = this.view;
    v.setUint32(at + CXL.symbolId, symbolId, true);
    v.setUint32(at + CXL.accountId, accountId, true);
    writeU64(v, at + CXL.orderId, orderId);
    v.setUint8(at + CXL.side, side);
    v.setUint16(at + CXL.code, code, true);
    writeU64(v, at + CXL.priceTicks, priceTicks);
    writeU64(v, at + CXL.cancelledQtyLots, cancelledQtyLots);
    writeU64(v, at + CXL.visibleQtyLots, visibleQtyLots);
    writeU64(v, at + CXL.leavesQtyLots, leavesQtyLots);
  }

  replaced(symbolId: number, accountId: number, orderId: number, side: number, priorityKept: boolean,
    oldPriceTicks: number, oldQtyLots: number, oldVisibleQtyLots: number, priceTicks: number, qtyLots: number, visibleQtyLots: number): void {
    const at = this.open(EventType.ORDER_REPLACED);
    const v = this.view;
    v.setUint32(at + RPL.symbolId, symbolId, true);
    v.setUint32(at + RPL.accountId, accountId, true);
    writeU64(v, at + RPL.orderId, orderId);
    v.setUint8(at + RPL.side, side);
    v.setUint8(at + RPL.priorityKept, priorityKept ? 1 : 0);
    writeU64(v, at + RPL.oldPriceTicks, oldPriceTicks);
    writeU64(v, at + RPL.oldQtyLots, oldQtyLots);
    writeU64(v, at + RPL.oldVisibleQtyLots, oldVisibleQtyLots);
    writeU64(v, at + RPL.priceTicks, priceTicks);
    writeU64(v, at + RPL.qtyLots, qtyLots);
    writeU64(v, at + RPL.visibleQtyLots, visibleQtyLots);
  }

  triggered(symbolId: number, accountId: number, orderId: number, side: number, stopPriceTicks: number, lastPriceTicks: number): void {
    const at = this.open(EventType.ORDER_TRIGGERED);
    const v = this.view;
    v.setUint32(at + TRG.symbolId, symbolId, true);
    v.setUint32(at + TRG.accountId, accountId, true);
    writeU64(v, at + TRG.orderId, orderId);
    v.setUint8(at + TRG.side, side);
    writeU64(v, at + TRG.stopPriceTicks, stopPriceTicks);
    writeU64(v, at + TRG.lastPriceTicks, lastPriceTicks);
  }

  refilled(symbolId: number, accountId: number, orderId: number, side: number, priceTicks: number, visibleQtyLots: number, openQtyLots: number): void {
    const at = this.open(EventType.ORDER_REFILLED);
    const v = this.view;
    v.setUint32(at + RFL.symbolId, symbolId, true);
    v.setUint32(at + RFL.accountId, accountId, true);
    writeU64(v, at + RFL.orderId, orderId);
    v.setUint8(at + RFL.side, side);
    writeU64(v, at + RFL.priceTicks, priceTicks);
    writeU64(v, at + RFL.visibleQtyLots, visibleQtyLots);
    writeU64(v, at + RFL.openQtyLots, openQtyLots);
  }

  rested(symbolId: number, accountId: number, orderId: number, side: number, priceTicks: number, openQtyLots: number, visibleQtyLots: number): void {
    const at = this.open(EventType.ORDER_RESTED);
    const v = this.view;
    v.setUint32(at + RST.symbolId, symbolId, true);
    v.setUint32(at + RST.accountId, accountId, true);
    writeU64(v, at + RST.orderId, orderId);
    v.setUint8(at + RST.side, side);
    writeU64(v, at + RST.priceTicks, priceTicks);
    writeU64(v, at + RST.openQtyLots, openQtyLots);
    writeU64(v, at + RST.visibleQtyLots, visibleQtyLots);
  }

  balanceChanged(accountId: number, assetId: number, commandType: number, amount: number, availableAmount: number, reservedAmount: number): void {
    const at = this.open(EventType.BALANCE_CHANGED);
    const v = this.view;
    v.setUint32(at + BAL.accountId, accountId, true);
    v.setUint32(at + BAL.assetId, assetId, true);
    v.setUint8(at + BAL.commandType, commandType);
    writeU64(v, at + BAL.amount, amount);
    writeU64(v, at + BAL.availableAmount, availableAmount);
    writeU64(v, at + BAL.reservedAmount, reservedAmount);
  }

  symbolStatus(symbolId: number, status: number, referencePriceTicks: number): void {
    const at = this.open(EventType.SYMBOL_STATUS);
    const v = this.view;
    v.setUint32(at + SST.symbolId, symbolId, true);
    v.setUint8(at + SST.status, status);
    writeU64(v, at + SST.referencePriceTicks, referencePriceTicks);
  }

  /** Appends a record of the rarely written kinds (admin outcomes) through the generic encoder. */
  record(type: number, fields: Readonly<DecodedRecord>): void {
    const at = this.open(type);
    encodeRecord(eventLayout(type) as RecordLayout, { ...fields, seq: this.seq, timeUs: this.timeUs }, this.view, at);
  }

  /** Reads a u64 field of the event at `index`; for consumers that know the layout. */
  u64At(index: number, fieldOffsetBytes: number): number {
    return readU64(this.view, index * EVENT_SIZE_BYTES + fieldOffsetBytes);
  }
}
