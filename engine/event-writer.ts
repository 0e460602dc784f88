// The reused output buffer of the core: events are appended as fixed-size binary records (see
// schema.ts) with no allocation per event; the caller reads them and clears the buffer.
import { EVENT_SIZE_BYTES, EventType, encodeRecord, eventLayout, fieldOffset, readU64, type DecodedRecord, type RecordLayout } from './schema.ts';

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

const TWO_POW_32 = 4_294_967_296;

// Fields are written through typed-array views (every field is naturally aligned: a schema test
// checks it), which V8 compiles to plain stores.
export class EventWriter {
  bytes: Uint8Array;
  view: DataView;
  private u16: Uint16Array;
  private words: Uint32Array;
  /** Events in the buffer. */
  count = 0;
  private seq = 0;
  private timeUs = 0;

  constructor() {
    this.bytes = new Uint8Array(INITIAL_CAPACITY_EVENTS * EVENT_SIZE_BYTES);
    this.view = new DataView(this.bytes.buffer);
    this.u16 = new Uint16Array(this.bytes.buffer);
    this.words = new Uint32Array(this.bytes.buffer);
  }

  private u32(at: number, value: number): void {
    this.words[at >>> 2] = value;
  }

  /** Records start zeroed (see clear()), so a zero needs no store: most optional fields are zero. */
  private u64(at: number, value: number): void {
    if (value === 0) return;
    const i = at >>> 2;
    this.words[i] = value >>> 0;
    if (value >= TWO_POW_32) this.words[i + 1] = (value / TWO_POW_32) >>> 0;
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
    this.bytes[at] = type;
    this.u64(at + 8, this.seq);
    this.u64(at + 16, this.timeUs);
    this.count++;
    return at;
  }

  private grow(): void {
    const next = new Uint8Array(this.bytes.length * 2);
    next.set(this.bytes);
    this.bytes = next;
    this.view = new DataView(next.buffer);
    this.u16 = new Uint16Array(next.buffer);
    this.words = new Uint32Array(next.buffer);
  }

  accepted(symbolId: number, accountId: number, orderId: number, side: number, orderType: number, tif: number, flags: number, stp: number,
    priceTicks: number, qtyLots: number, stopPriceTicks: number, displayQtyLots: number, expireTimeUs: number, linkedOrderId: number): void {
    const at = this.open(EventType.ORDER_ACCEPTED);
    this.u32(at + ACC.symbolId, symbolId);
    this.u32(at + ACC.accountId, accountId);
    this.u64(at + ACC.orderId, orderId);
    this.bytes[at + ACC.side] = side;
    this.bytes[at + ACC.orderType] = orderType;
    this.bytes[at + ACC.tif] = tif;
    this.bytes[at + ACC.flags] = flags;
    this.bytes[at + ACC.stp] = stp;
    this.u64(at + ACC.priceTicks, priceTicks);
    this.u64(at + ACC.qtyLots, qtyLots);
    this.u64(at + ACC.stopPriceTicks, stopPriceTicks);
    this.u64(at + ACC.displayQtyLots, displayQtyLots);
    this.u64(at + ACC.expireTimeUs, expireTimeUs);
    this.u64(at + ACC.linkedOrderId, linkedOrderId);
  }

  rejected(commandType: number, code: number, symbolId: number, accountId: number, orderId: number): void {
    const at = this.open(EventType.REJECTED);
    this.bytes[at + REJ.commandType] = commandType;
    this.u16[(at + REJ.code) >>> 1] = code;
    this.u32(at + REJ.symbolId, symbolId);
    this.u32(at + REJ.accountId, accountId);
    this.u64(at + REJ.orderId, orderId);
  }

  trade(symbolId: number, takerSide: number, takerAccountId: number, makerAccountId: number, takerOrderId: number, makerOrderId: number,
    priceTicks: number, qtyLots: number, takerLeavesQtyLots: number, makerLeavesQtyLots: number, takerFee: number, makerFee: number, quoteAmount: number): void {
    const at = this.open(EventType.TRADE);
    this.u32(at + TRD.symbolId, symbolId);
    this.bytes[at + TRD.takerSide] = takerSide;
    this.u32(at + TRD.takerAccountId, takerAccountId);
    this.u32(at + TRD.makerAccountId, makerAccountId);
    this.u64(at + TRD.takerOrderId, takerOrderId);
    this.u64(at + TRD.makerOrderId, makerOrderId);
    this.u64(at + TRD.priceTicks, priceTicks);
    this.u64(at + TRD.qtyLots, qtyLots);
    this.u64(at + TRD.takerLeavesQtyLots, takerLeavesQtyLots);
    this.u64(at + TRD.makerLeavesQtyLots, makerLeavesQtyLots);
    this.u64(at + TRD.takerFee, takerFee);
    this.u64(at + TRD.makerFee, makerFee);
    this.u64(at + TRD.quoteAmount, quoteAmount);
  }

  /** `leavesQtyLots` is what stays open: 0 when the order is gone, more after a self-trade decrement. */
  cancelled(symbolId: number, accountId: number, orderId: number, side: number, code: number, priceTicks: number,
    cancelledQtyLots: number, visibleQtyLots: number, leavesQtyLots: number): void {
    const at = this.open(EventType.ORDER_CANCELLED);
    this.u32(at + CXL.symbolId, symbolId);
    this.u32(at + CXL.accountId, accountId);
    this.u64(at + CXL.orderId, orderId);
    this.bytes[at + CXL.side] = side;
    this.u16[(at + CXL.code) >>> 1] = code;
    this.u64(at + CXL.priceTicks, priceTicks);
    this.u64(at + CXL.cancelledQtyLots, cancelledQtyLots);
    this.u64(at + CXL.visibleQtyLots, visibleQtyLots);
    this.u64(at + CXL.leavesQtyLots, leavesQtyLots);
  }

  replaced(symbolId: number, accountId: number, orderId: number, side: number, priorityKept: boolean,
    oldPriceTicks: number, oldQtyLots: number, oldVisibleQtyLots: number, priceTicks: number, qtyLots: number, visibleQtyLots: number): void {
    const at = this.open(EventType.ORDER_REPLACED);
    this.u32(at + RPL.symbolId, symbolId);
    this.u32(at + RPL.accountId, accountId);
    this.u64(at + RPL.orderId, orderId);
    this.bytes[at + RPL.side] = side;
    this.bytes[at + RPL.priorityKept] = priorityKept ? 1 : 0;
    this.u64(at + RPL.oldPriceTicks, oldPriceTicks);
    this.u64(at + RPL.oldQtyLots, oldQtyLots);
    this.u64(at + RPL.oldVisibleQtyLots, oldVisibleQtyLots);
    this.u64(at + RPL.priceTicks, priceTicks);
    this.u64(at + RPL.qtyLots, qtyLots);
    this.u64(at + RPL.visibleQtyLots, visibleQtyLots);
  }

  triggered(symbolId: number, accountId: number, orderId: number, side: number, stopPriceTicks: number, lastPriceTicks: number): void {
    const at = this.open(EventType.ORDER_TRIGGERED);
    this.u32(at + TRG.symbolId, symbolId);
    this.u32(at + TRG.accountId, accountId);
    this.u64(at + TRG.orderId, orderId);
    this.bytes[at + TRG.side] = side;
    this.u64(at + TRG.stopPriceTicks, stopPriceTicks);
    this.u64(at + TRG.lastPriceTicks, lastPriceTicks);
  }

  refilled(symbolId: number, accountId: number, orderId: number, side: number, priceTicks: number, visibleQtyLots: number, openQtyLots: number): void {
    const at = this.open(EventType.ORDER_REFILLED);
    this.u32(at + RFL.symbolId, symbolId);
    this.u32(at + RFL.accountId, accountId);
    this.u64(at + RFL.orderId, orderId);
    this.bytes[at + RFL.side] = side;
    this.u64(at + RFL.priceTicks, priceTicks);
    this.u64(at + RFL.visibleQtyLots, visibleQtyLots);
    this.u64(at + RFL.openQtyLots, openQtyLots);
  }

  rested(symbolId: number, accountId: number, orderId: number, side: number, priceTicks: number, openQtyLots: number, visibleQtyLots: number): void {
    const at = this.open(EventType.ORDER_RESTED);
    this.u32(at + RST.symbolId, symbolId);
    this.u32(at + RST.accountId, accountId);
    this.u64(at + RST.orderId, orderId);
    this.bytes[at + RST.side] = side;
    this.u64(at + RST.priceTicks, priceTicks);
    this.u64(at + RST.openQtyLots, openQtyLots);
    this.u64(at + RST.visibleQtyLots, visibleQtyLots);
  }

  balanceChanged(accountId: number, assetId: number, commandType: number, amount: number, availableAmount: number, reservedAmount: number): void {
    const at = this.open(EventType.BALANCE_CHANGED);
    this.u32(at + BAL.accountId, accountId);
    this.u32(at + BAL.assetId, assetId);
    this.bytes[at + BAL.commandType] = commandType;
    this.u64(at + BAL.amount, amount);
    this.u64(at + BAL.availableAmount, availableAmount);
    this.u64(at + BAL.reservedAmount, reservedAmount);
  }

  symbolStatus(symbolId: number, status: number, referencePriceTicks: number): void {
    const at = this.open(EventType.SYMBOL_STATUS);
    this.u32(at + SST.symbolId, symbolId);
    this.bytes[at + SST.status] = status;
    this.u64(at + SST.referencePriceTicks, referencePriceTicks);
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
