// The reused output buffer of the core: events are appended as fixed-size binary records (see
// schema.ts) with no allocation per event; the caller reads them and clears the buffer.
import type { PlaceCommand } from './commands.ts';
import type { OrderStore } from './order-store.ts';
import { EVENT_SIZE_BYTES, EventType, encodeRecord, eventFieldOffsets, eventLayout, readU64, type DecodedRecord, type RecordLayout } from './schema.ts';

const ACC = eventFieldOffsets(EventType.ORDER_ACCEPTED, ['symbolId', 'accountId', 'orderId', 'side', 'orderType', 'tif', 'flags', 'stp', 'priceTicks', 'qtyLots', 'stopPriceTicks', 'displayQtyLots', 'expireTimeUs', 'linkedOrderId', 'quoteBudget', 'linkedPriceTicks', 'clientOrderId'] as const);
const REJ = eventFieldOffsets(EventType.REJECTED, ['commandType', 'code', 'symbolId', 'accountId', 'orderId', 'clientOrderId'] as const);
const TRD = eventFieldOffsets(EventType.TRADE, ['symbolId', 'takerSide', 'takerAccountId', 'makerAccountId', 'takerOrderId', 'makerOrderId', 'priceTicks', 'qtyLots', 'takerLeavesQtyLots', 'makerLeavesQtyLots', 'takerFee', 'makerFee', 'quoteAmount', 'takerClientOrderId', 'makerClientOrderId'] as const);
const CXL = eventFieldOffsets(EventType.ORDER_CANCELLED, ['symbolId', 'accountId', 'orderId', 'side', 'code', 'priceTicks', 'cancelledQtyLots', 'visibleQtyLots', 'leavesQtyLots', 'clientOrderId'] as const);
const RPL = eventFieldOffsets(EventType.ORDER_REPLACED, ['symbolId', 'accountId', 'orderId', 'side', 'priorityKept', 'oldPriceTicks', 'oldQtyLots', 'oldVisibleQtyLots', 'priceTicks', 'qtyLots', 'visibleQtyLots', 'clientOrderId'] as const);
const TRG = eventFieldOffsets(EventType.ORDER_TRIGGERED, ['symbolId', 'accountId', 'orderId', 'side', 'stopPriceTicks', 'lastPriceTicks', 'clientOrderId'] as const);
const RFL = eventFieldOffsets(EventType.ORDER_REFILLED, ['symbolId', 'accountId', 'orderId', 'side', 'priceTicks', 'visibleQtyLots', 'openQtyLots', 'clientOrderId'] as const);
const RST = eventFieldOffsets(EventType.ORDER_RESTED, ['symbolId', 'accountId', 'orderId', 'side', 'priceTicks', 'openQtyLots', 'visibleQtyLots', 'clientOrderId'] as const);
const BAL = eventFieldOffsets(EventType.BALANCE_CHANGED, ['accountId', 'assetId', 'commandType', 'amount', 'availableAmount', 'reservedAmount'] as const);
const SST = eventFieldOffsets(EventType.SYMBOL_STATUS, ['symbolId', 'status', 'referencePriceTicks'] as const);
const MCD = eventFieldOffsets(EventType.MASS_CANCEL_DONE, ['accountId', 'symbolId', 'side', 'sessionId', 'cancelledCount'] as const);

const INITIAL_CAPACITY_EVENTS = 1_024;

const TWO_POW_32 = 4_294_967_296;

/** An id as echoed in an event: itself when it is a u64, else 0 (a rejected command may carry anything). */
function echo(id: number): number {
  return Number.isSafeInteger(id) && id >= 0 ? id : 0;
}

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

  accepted(c: PlaceCommand): void {
    const at = this.open(EventType.ORDER_ACCEPTED);
    this.u32(at + ACC.symbolId, c.symbolId);
    this.u32(at + ACC.accountId, c.accountId);
    this.u64(at + ACC.orderId, c.orderId);
    this.bytes[at + ACC.side] = c.side;
    this.bytes[at + ACC.orderType] = c.orderType;
    this.bytes[at + ACC.tif] = c.tif;
    this.bytes[at + ACC.flags] = c.flags;
    this.bytes[at + ACC.stp] = c.stp;
    this.u64(at + ACC.priceTicks, c.priceTicks);
    this.u64(at + ACC.qtyLots, c.qtyLots);
    this.u64(at + ACC.stopPriceTicks, c.stopPriceTicks);
    this.u64(at + ACC.displayQtyLots, c.displayQtyLots);
    this.u64(at + ACC.expireTimeUs, c.expireTimeUs);
    this.u64(at + ACC.linkedOrderId, c.linkedOrderId);
    this.u64(at + ACC.quoteBudget, c.quoteBudget);
    this.u64(at + ACC.linkedPriceTicks, c.linkedPriceTicks);
    this.u64(at + ACC.clientOrderId, c.clientOrderId);
  }

  /** `orderId` and `clientOrderId` echo the command's when they are u64s, else 0. */
  rejected(commandType: number, code: number, symbolId: number, accountId: number, orderId: number, clientOrderId: number): void {
    const at = this.open(EventType.REJECTED);
    this.bytes[at + REJ.commandType] = commandType;
    this.u16[(at + REJ.code) >>> 1] = code;
    this.u32(at + REJ.symbolId, symbolId);
    this.u32(at + REJ.accountId, accountId);
    this.u64(at + REJ.orderId, echo(orderId));
    this.u64(at + REJ.clientOrderId, echo(clientOrderId));
  }

  /** A fill between taker `t` and maker `m` (slots of `o`), after both quantities were reduced. */
  trade(o: OrderStore, symbolId: number, t: number, m: number, priceTicks: number, qtyLots: number, takerFee: number, makerFee: number, quoteAmount: number): void {
    const at = this.open(EventType.TRADE);
    this.u32(at + TRD.symbolId, symbolId);
    this.bytes[at + TRD.takerSide] = o.side[t] as number;
    this.u32(at + TRD.takerAccountId, o.accountId[t] as number);
    this.u32(at + TRD.makerAccountId, o.accountId[m] as number);
    this.u64(at + TRD.takerOrderId, o.orderId[t] as number);
    this.u64(at + TRD.makerOrderId, o.orderId[m] as number);
    this.u64(at + TRD.priceTicks, priceTicks);
    this.u64(at + TRD.qtyLots, qtyLots);
    this.u64(at + TRD.takerLeavesQtyLots, o.openQty[t] as number);
    this.u64(at + TRD.makerLeavesQtyLots, o.openQty[m] as number);
    this.u64(at + TRD.takerFee, takerFee);
    this.u64(at + TRD.makerFee, makerFee);
    this.u64(at + TRD.quoteAmount, quoteAmount);
    this.u64(at + TRD.takerClientOrderId, o.clientOrderId[t] as number);
    this.u64(at + TRD.makerClientOrderId, o.clientOrderId[m] as number);
  }

  /** `leavesQtyLots` is what stays open: 0 when the order is gone, more after a self-trade decrement. */
  cancelled(o: OrderStore, symbolId: number, slot: number, code: number, cancelledQtyLots: number, visibleQtyLots: number, leavesQtyLots: number): void {
    const at = this.open(EventType.ORDER_CANCELLED);
    this.u32(at + CXL.symbolId, symbolId);
    this.u32(at + CXL.accountId, o.accountId[slot] as number);
    this.u64(at + CXL.orderId, o.orderId[slot] as number);
    this.bytes[at + CXL.side] = o.side[slot] as number;
    this.u16[(at + CXL.code) >>> 1] = code;
    this.u64(at + CXL.priceTicks, o.priceTicks[slot] as number);
    this.u64(at + CXL.cancelledQtyLots, cancelledQtyLots);
    this.u64(at + CXL.visibleQtyLots, visibleQtyLots);
    this.u64(at + CXL.leavesQtyLots, leavesQtyLots);
    this.u64(at + CXL.clientOrderId, o.clientOrderId[slot] as number);
  }

  /** The order in `slot` already carries its new price and quantity. */
  replaced(o: OrderStore, symbolId: number, slot: number, priorityKept: boolean, oldPriceTicks: number, oldQtyLots: number, oldVisibleQtyLots: number,
    visibleQtyLots: number): void {
    const at = this.open(EventType.ORDER_REPLACED);
    this.u32(at + RPL.symbolId, symbolId);
    this.u32(at + RPL.accountId, o.accountId[slot] as number);
    this.u64(at + RPL.orderId, o.orderId[slot] as number);
    this.bytes[at + RPL.side] = o.side[slot] as number;
    this.bytes[at + RPL.priorityKept] = priorityKept ? 1 : 0;
    this.u64(at + RPL.oldPriceTicks, oldPriceTicks);
    this.u64(at + RPL.oldQtyLots, oldQtyLots);
    this.u64(at + RPL.oldVisibleQtyLots, oldVisibleQtyLots);
    this.u64(at + RPL.priceTicks, o.priceTicks[slot] as number);
    this.u64(at + RPL.qtyLots, o.openQty[slot] as number);
    this.u64(at + RPL.visibleQtyLots, visibleQtyLots);
    this.u64(at + RPL.clientOrderId, o.clientOrderId[slot] as number);
  }

  triggered(o: OrderStore, symbolId: number, slot: number, lastPriceTicks: number): void {
    const at = this.open(EventType.ORDER_TRIGGERED);
    this.u32(at + TRG.symbolId, symbolId);
    this.u32(at + TRG.accountId, o.accountId[slot] as number);
    this.u64(at + TRG.orderId, o.orderId[slot] as number);
    this.bytes[at + TRG.side] = o.side[slot] as number;
    this.u64(at + TRG.stopPriceTicks, o.stopPriceTicks[slot] as number);
    this.u64(at + TRG.lastPriceTicks, lastPriceTicks);
    this.u64(at + TRG.clientOrderId, o.clientOrderId[slot] as number);
  }

  refilled(o: OrderStore, symbolId: number, slot: number): void {
    const at = this.open(EventType.ORDER_REFILLED);
    this.u32(at + RFL.symbolId, symbolId);
    this.u32(at + RFL.accountId, o.accountId[slot] as number);
    this.u64(at + RFL.orderId, o.orderId[slot] as number);
    this.bytes[at + RFL.side] = o.side[slot] as number;
    this.u64(at + RFL.priceTicks, o.priceTicks[slot] as number);
    this.u64(at + RFL.visibleQtyLots, o.visibleQty[slot] as number);
    this.u64(at + RFL.openQtyLots, o.openQty[slot] as number);
    this.u64(at + RFL.clientOrderId, o.clientOrderId[slot] as number);
  }

  rested(o: OrderStore, symbolId: number, slot: number): void {
    const at = this.open(EventType.ORDER_RESTED);
    this.u32(at + RST.symbolId, symbolId);
    this.u32(at + RST.accountId, o.accountId[slot] as number);
    this.u64(at + RST.orderId, o.orderId[slot] as number);
    this.bytes[at + RST.side] = o.side[slot] as number;
    this.u64(at + RST.priceTicks, o.priceTicks[slot] as number);
    this.u64(at + RST.openQtyLots, o.openQty[slot] as number);
    this.u64(at + RST.visibleQtyLots, o.visibleQty[slot] as number);
    this.u64(at + RST.clientOrderId, o.clientOrderId[slot] as number);
  }

  massCancelDone(accountId: number, symbolId: number, side: number, sessionId: number, cancelledCount: number): void {
    const at = this.open(EventType.MASS_CANCEL_DONE);
    this.u32(at + MCD.accountId, accountId);
    this.u32(at + MCD.symbolId, symbolId);
    this.bytes[at + MCD.side] = side;
    this.u32(at + MCD.sessionId, sessionId);
    this.u32(at + MCD.cancelledCount, cancelledCount);
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
