// An order as the `orders` table holds it, and how events change it. An order accepted in a batch
// becomes a full row; every later event of the batch, and every event of an order accepted in an
// earlier batch, becomes part of one patch per order. Every event states its order's new state in
// absolute terms (leaves quantity, status), except fills, which add; so a patch needs no prior row,
// and the same patch is applied here to new rows and by SQL (pg-write.ts) to stored ones.
import { OrderFlag, OrderType, Side } from '../engine/commands.ts';
import { ACCEPTED, u8, u32, u64 } from './event-fields.ts';
import { OrderStatus, orderTypeName, sideName, stpName, timeInForceName } from './names.ts';

export interface OrderRow {
  readonly orderId: number;
  readonly accountId: number;
  readonly symbolId: number;
  readonly clientOrderId: number;
  readonly side: string;
  readonly orderType: string;
  readonly timeInForce: string;
  readonly postOnly: boolean;
  readonly stp: string;
  priceTicks: number;
  readonly qtyLots: number;
  readonly stopPriceTicks: number;
  readonly displayQtyLots: number;
  readonly quoteBudget: number;
  readonly expireTimeUs: number | null;
  readonly linkedOrderId: number | null;
  status: OrderStatus;
  leavesQtyLots: number;
  visibleQtyLots: number;
  filledQtyLots: number;
  filledQuote: number;
  fees: number;
  fillCount: number;
  cancelCode: number | null;
  readonly acceptedSeq: number;
  readonly acceptedAtUs: number;
  triggeredAtUs: number | null;
  restedAtUs: number | null;
  lastFillAtUs: number | null;
  closedAtUs: number | null;
  updatedSeq: number;
  updatedEventIndex: number;
}

/** Changes since the stored row; null leaves a column as it is. */
export interface OrderPatch {
  status: OrderStatus | null;
  leavesQtyLots: number | null;
  /** The shown quantity is set absolutely by some events and reduced by fills after that. */
  visibleSet: number | null;
  visibleSub: number;
  priceTicks: number | null;
  filledQtyAdd: number;
  filledQuoteAdd: number;
  feesAdd: number;
  fillCountAdd: number;
  cancelCode: number | null;
  triggeredAtUs: number | null;
  /** The first time the order rested; a stored one wins. */
  restedAtUs: number | null;
  lastFillAtUs: number | null;
  closedAtUs: number | null;
  updatedSeq: number;
  updatedEventIndex: number;
}

export function emptyPatch(seq: number, eventIndex: number): OrderPatch {
  return {
    status: null, leavesQtyLots: null, visibleSet: null, visibleSub: 0, priceTicks: null, filledQtyAdd: 0, filledQuoteAdd: 0, feesAdd: 0, fillCountAdd: 0,
    cancelCode: null, triggeredAtUs: null, restedAtUs: null, lastFillAtUs: null, closedAtUs: null, updatedSeq: seq, updatedEventIndex: eventIndex,
  };
}

export function setVisible(p: OrderPatch, visibleQtyLots: number): void {
  p.visibleSet = visibleQtyLots;
  p.visibleSub = 0;
}

/** A fill of `qtyLots` for `quote` with `fee`; the order's open quantity is now `leavesQtyLots`. */
export function addFill(p: OrderPatch, qtyLots: number, quote: number, fee: number, leavesQtyLots: number, timeUs: number): void {
  p.leavesQtyLots = leavesQtyLots;
  p.filledQtyAdd += qtyLots;
  p.filledQuoteAdd += quote;
  p.feesAdd += fee;
  p.fillCountAdd++;
  p.lastFillAtUs = timeUs;
  p.status = leavesQtyLots === 0 ? OrderStatus.FILLED : OrderStatus.OPEN;
  if (leavesQtyLots === 0) p.closedAtUs = timeUs;
}

/** The row after `p`: the same rules as the UPDATE in pg-write.ts. */
export function applyPatch(row: OrderRow, p: OrderPatch): void {
  row.status = p.status ?? row.status;
  row.leavesQtyLots = p.leavesQtyLots ?? row.leavesQtyLots;
  row.visibleQtyLots = (p.visibleSet ?? row.visibleQtyLots) - p.visibleSub;
  row.priceTicks = p.priceTicks ?? row.priceTicks;
  row.filledQtyLots += p.filledQtyAdd;
  row.filledQuote += p.filledQuoteAdd;
  row.fees += p.feesAdd;
  row.fillCount += p.fillCountAdd;
  row.cancelCode = p.cancelCode ?? row.cancelCode;
  row.triggeredAtUs = p.triggeredAtUs ?? row.triggeredAtUs;
  row.restedAtUs = row.restedAtUs ?? p.restedAtUs;
  row.lastFillAtUs = p.lastFillAtUs ?? row.lastFillAtUs;
  row.closedAtUs = p.closedAtUs ?? row.closedAtUs;
  row.updatedSeq = p.updatedSeq;
  row.updatedEventIndex = p.updatedEventIndex;
}

const isStop = (orderType: number): boolean => orderType === OrderType.STOP_LIMIT || orderType === OrderType.STOP_MARKET;

/** What differs between the legs of a pair; a plain order is a single leg. */
interface Leg {
  readonly orderId: number;
  readonly orderType: number;
  readonly postOnly: boolean;
  readonly priceTicks: number;
  readonly stopPriceTicks: number;
  readonly displayQtyLots: number;
  readonly quoteBudget: number;
  readonly linkedOrderId: number | null;
}

/** One row in its accepted state; every field written in one literal, so all rows share one shape. */
function orderRow(view: DataView, at: number, seq: number, timeUs: number, eventIndex: number, leg: Leg): OrderRow {
  const qtyLots = u64(view, at + ACCEPTED.qtyLots);
  const expireTimeUs = u64(view, at + ACCEPTED.expireTimeUs);
  return {
    orderId: leg.orderId, accountId: u32(view, at + ACCEPTED.accountId), symbolId: u32(view, at + ACCEPTED.symbolId),
    clientOrderId: u64(view, at + ACCEPTED.clientOrderId), side: sideName(u8(view, at + ACCEPTED.side)), orderType: orderTypeName(leg.orderType),
    timeInForce: timeInForceName(u8(view, at + ACCEPTED.tif)), postOnly: leg.postOnly, stp: stpName(u8(view, at + ACCEPTED.stp)),
    priceTicks: leg.priceTicks, qtyLots, stopPriceTicks: leg.stopPriceTicks, displayQtyLots: leg.displayQtyLots, quoteBudget: leg.quoteBudget,
    expireTimeUs: expireTimeUs === 0 ? null : expireTimeUs, linkedOrderId: leg.linkedOrderId,
    status: isStop(leg.orderType) ? OrderStatus.PENDING : OrderStatus.OPEN, leavesQtyLots: qtyLots, visibleQtyLots: 0,
    filledQtyLots: 0, filledQuote: 0, fees: 0, fillCount: 0, cancelCode: null, acceptedSeq: seq, acceptedAtUs: timeUs,
    triggeredAtUs: null, restedAtUs: null, lastFillAtUs: null, closedAtUs: null, updatedSeq: seq, updatedEventIndex: eventIndex,
  };
}

/**
 * The rows an ORDER_ACCEPTED event at `at` creates: one order, or for a one-cancels-the-other pair
 * its limit leg and its stop leg (which carries the pair's stop price, stop-limit price and budget).
 */
export function acceptedRows(view: DataView, at: number, seq: number, timeUs: number, eventIndex: number): OrderRow[] {
  const orderType = u8(view, at + ACCEPTED.orderType);
  const orderId = u64(view, at + ACCEPTED.orderId);
  const postOnly = (u8(view, at + ACCEPTED.flags) & OrderFlag.POST_ONLY) !== 0;
  const priceTicks = u64(view, at + ACCEPTED.priceTicks);
  const stopPriceTicks = u64(view, at + ACCEPTED.stopPriceTicks);
  const displayQtyLots = u64(view, at + ACCEPTED.displayQtyLots);
  const quoteBudget = u8(view, at + ACCEPTED.side) === Side.BUY ? u64(view, at + ACCEPTED.quoteBudget) : 0;
  if (orderType !== OrderType.OCO) {
    return [orderRow(view, at, seq, timeUs, eventIndex, { orderId, orderType, postOnly, priceTicks, stopPriceTicks, displayQtyLots, quoteBudget, linkedOrderId: null })];
  }
  const stopLegId = u64(view, at + ACCEPTED.linkedOrderId);
  const stopLimitTicks = u64(view, at + ACCEPTED.linkedPriceTicks);
  return [
    orderRow(view, at, seq, timeUs, eventIndex, { orderId, orderType: OrderType.LIMIT, postOnly, priceTicks, stopPriceTicks: 0, displayQtyLots, quoteBudget: 0, linkedOrderId: stopLegId }),
    orderRow(view, at, seq, timeUs, eventIndex, {
      orderId: stopLegId, orderType: stopLimitTicks === 0 ? OrderType.STOP_MARKET : OrderType.STOP_LIMIT, postOnly: false, priceTicks: stopLimitTicks, stopPriceTicks,
      displayQtyLots: 0, quoteBudget, linkedOrderId: orderId,
    }),
  ];
}
