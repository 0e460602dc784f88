// Proves stop-market and stop-limit orders (trigger by last trade, the documented cascade order, band at trigger, halts) and OCO pairs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OrderType, SymbolStatus, TimeInForce } from '../../engine/commands.ts';
import { A, B, BASE, BUY, C, CommandType, QUOTE, ResultCode, SELL, market, rejected, symbolStatus, type Harness, type PlaceInput } from './harness.ts';

const M = 1_000_000;

/** Prints one trade of 1 lot at `px` between B (seller) and C (buyer), so the last price is `px`. */
function tradeAt(h: Harness, px: number, sellId: number, buyId: number): void {
  h.limit(B, sellId, SELL, px, 1);
  const events = h.limit(C, buyId, BUY, px, 1);
  assert.equal(events[1]?.['event'], 'TRADE', `fixture trade at ${px}`);
}

function stopMarket(h: Harness, accountId: number, orderId: number, side: number, stopPriceTicks: number, qtyLots: number, extra: Partial<PlaceInput> = {}) {
  return h.place({ ...extra, orderType: OrderType.STOP_MARKET, accountId, orderId, side, stopPriceTicks, qtyLots });
}

function stopLimit(h: Harness, accountId: number, orderId: number, side: number, stopPriceTicks: number, priceTicks: number, qtyLots: number, extra: Partial<PlaceInput> = {}) {
  return h.place({ ...extra, orderType: OrderType.STOP_LIMIT, accountId, orderId, side, stopPriceTicks, priceTicks, qtyLots });
}

function oco(h: Harness, accountId: number, orderId: number, side: number, o: { px: number; qty: number; stop: number; stopId: number; stopPx?: number; budget?: number }, extra: Partial<PlaceInput> = {}) {
  return h.place({
    ...extra, orderType: OrderType.OCO, accountId, orderId, side, priceTicks: o.px, qtyLots: o.qty, stopPriceTicks: o.stop,
    linkedOrderId: o.stopId, linkedPriceTicks: o.stopPx ?? 0, quoteBudget: o.budget ?? 0,
  });
}

describe('stop orders', () => {
  test('a stop-market buy waits, then triggers when the last trade reaches its stop and executes as a market order', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    assert.deepEqual(stopMarket(h, A, 10, BUY, 105, 2, { quoteBudget: 1_000 }), [h.accepted(10)]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 1_000, 1_000], 'a stop-market buy reserves its budget');
    h.limit(B, 11, SELL, 104, 1);
    h.limit(B, 12, SELL, 105, 1);
    h.limit(B, 13, SELL, 106, 5);
    assert.deepEqual(h.limit(C, 14, BUY, 104, 1), [h.accepted(14), h.trade({ taker: 14, maker: 11, px: 104, qty: 1, takerLeaves: 0, makerLeaves: 0 })], 'below the stop: no trigger');
    assert.deepEqual(h.limit(C, 15, BUY, 105, 1), [
      h.accepted(15),
      h.trade({ taker: 15, maker: 12, px: 105, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
      h.triggered(10, 105),
      h.trade({ taker: 10, maker: 13, px: 106, qty: 2, takerLeaves: 0, makerLeaves: 3 }),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 212, 0]);
    assert.deepEqual(h.bal(A, BASE), [M + 2, 0]);
  });

  test('a stop-limit sell triggers on a falling trade and rests at its limit', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    assert.deepEqual(stopLimit(h, A, 10, SELL, 95, 94, 3), [h.accepted(10)]);
    assert.deepEqual(h.bal(A, BASE), [M - 3, 3]);
    assert.deepEqual(h.asks(), [], 'a pending stop is not in the book');
    h.limit(B, 11, BUY, 95, 1);
    assert.deepEqual(h.limit(C, 12, SELL, 95, 1), [
      h.accepted(12),
      h.trade({ taker: 12, maker: 11, px: 95, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
      h.triggered(10, 95),
      h.rested(10, 94, 3),
    ]);
    assert.deepEqual(h.ids(SELL), [10]);
    assert.deepEqual(h.bal(A, BASE), [M - 3, 3]);
  });

  test('a stop that the last price already reaches is STOP_WOULD_TRIGGER (equal included)', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    const wouldTrigger = (id: number) => [rejected(CommandType.PLACE, ResultCode.STOP_WOULD_TRIGGER, { accountId: A, orderId: id })];
    assert.deepEqual(stopLimit(h, A, 10, BUY, 100, 100, 1), wouldTrigger(10));
    assert.deepEqual(stopLimit(h, A, 10, BUY, 99, 100, 1), wouldTrigger(10));
    assert.deepEqual(stopMarket(h, A, 10, SELL, 100, 1), wouldTrigger(10));
    assert.deepEqual(stopMarket(h, A, 10, SELL, 101, 1), wouldTrigger(10));
    assert.deepEqual(stopLimit(h, A, 10, BUY, 101, 100, 1), [h.accepted(10)]);
    assert.deepEqual(stopMarket(h, A, 11, SELL, 99, 1), [h.accepted(11)]);
  });

  test('before the first trade any stop price is accepted', () => {
    const h = market();
    assert.deepEqual(stopLimit(h, A, 10, BUY, 1, 100, 1), [h.accepted(10)]);
    assert.deepEqual(stopMarket(h, A, 11, SELL, 1_000_000, 1), [h.accepted(11)]);
  });

  test('BAD_STOP_PRICE: zero or above the symbol maximum', () => {
    const h = market({ symbol: { priceTicksMax: 1_000 } });
    const bad = [rejected(CommandType.PLACE, ResultCode.BAD_STOP_PRICE, { accountId: A, orderId: 10 })];
    assert.deepEqual(stopLimit(h, A, 10, BUY, 0, 100, 1), bad);
    assert.deepEqual(stopLimit(h, A, 10, BUY, 1_001, 100, 1), bad);
    assert.deepEqual(stopMarket(h, A, 10, SELL, 0, 1), bad);
    assert.deepEqual(stopMarket(h, A, 10, SELL, 1_001, 1), bad);
    assert.deepEqual(stopLimit(h, A, 10, BUY, 500, 1_001, 1), [rejected(CommandType.PLACE, ResultCode.PRICE_ABOVE_MAX, { accountId: A, orderId: 10 })]);
  });

  test('a stop-market must be able to wait (GTC or GTD) and a stop-market buy needs a budget', () => {
    const h = market();
    assert.deepEqual(stopMarket(h, A, 10, SELL, 90, 1, { tif: TimeInForce.IOC }), [rejected(CommandType.PLACE, ResultCode.BAD_TIME_IN_FORCE, { accountId: A, orderId: 10 })]);
    assert.deepEqual(stopMarket(h, A, 10, SELL, 90, 1, { tif: TimeInForce.FOK }), [rejected(CommandType.PLACE, ResultCode.BAD_TIME_IN_FORCE, { accountId: A, orderId: 10 })]);
    assert.deepEqual(stopMarket(h, A, 10, BUY, 110, 1), [rejected(CommandType.PLACE, ResultCode.MARKET_BUY_NEEDS_BUDGET, { accountId: A, orderId: 10 })]);
  });

  test('cancelling a pending stop releases its reservation', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    stopLimit(h, A, 10, BUY, 105, 106, 3);
    assert.deepEqual(h.bal(A, QUOTE), [M - 318, 318]);
    assert.deepEqual(h.cancel(A, 10), [h.cancelled(10, ResultCode.CANCELLED_BY_OWNER, 106, 3)]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });

  test('a GTD stop expires while pending', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    stopMarket(h, A, 10, SELL, 90, 3, { tif: TimeInForce.GTD, expireTimeUs: 2 * M });
    assert.deepEqual(h.clock(2 * M), [h.cancelled(10, ResultCode.EXPIRED, 0, 3)]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
  });

  test('a GTD stop-limit that triggers and rests keeps its expiry', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    stopLimit(h, A, 10, BUY, 105, 50, 1, { tif: TimeInForce.GTD, expireTimeUs: 5 * M });
    h.limit(B, 11, SELL, 105, 1);
    assert.deepEqual(h.limit(C, 12, BUY, 105, 1), [
      h.accepted(12),
      h.trade({ taker: 12, maker: 11, px: 105, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
      h.triggered(10, 105),
      h.rested(10, 50, 1),
    ]);
    assert.deepEqual(h.clock(5 * M), [h.cancelled(10, ResultCode.EXPIRED, 50, 1, 1)]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });

  test('a triggered stop-limit FOK that cannot fill in full is cancelled with FOK_NOT_FILLABLE', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    stopLimit(h, A, 10, BUY, 105, 105, 5, { tif: TimeInForce.FOK });
    h.limit(B, 11, SELL, 105, 3);
    assert.deepEqual(h.limit(C, 12, BUY, 105, 1), [
      h.accepted(12),
      h.trade({ taker: 12, maker: 11, px: 105, qty: 1, takerLeaves: 0, makerLeaves: 2 }),
      h.triggered(10, 105),
      h.cancelled(10, ResultCode.FOK_NOT_FILLABLE, 105, 5),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
    assert.deepEqual(h.asks(), [{ orderId: 11, accountId: B, priceTicks: 105, openQtyLots: 2, visibleQtyLots: 2 }]);
  });

  test('a triggered stop-limit whose price is outside the band around the new last price is cancelled with TRIGGERED_OUT_OF_BAND', () => {
    const h = market({ symbol: { referencePriceTicks: 100, bandBps: 1_000 } });
    tradeAt(h, 100, 901, 902);
    assert.deepEqual(stopLimit(h, A, 10, BUY, 105, 120, 1), [h.accepted(10)], 'the band is checked at trigger, not at placement');
    assert.deepEqual(h.bal(A, QUOTE), [M - 120, 120]);
    h.limit(B, 11, SELL, 105, 1);
    // Last 105: the band is 95..115 (105 * 0.9 = 94.5 rounded up, 105 * 1.1 = 115.5 rounded down).
    assert.deepEqual(h.limit(C, 12, BUY, 105, 1), [
      h.accepted(12),
      h.trade({ taker: 12, maker: 11, px: 105, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
      h.triggered(10, 105),
      h.cancelled(10, ResultCode.TRIGGERED_OUT_OF_BAND, 120, 1),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });

  test('stops do not trigger while the symbol is halted, nor on resume; they stay pending and cancellable', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    stopLimit(h, A, 10, BUY, 105, 50, 1);
    stopLimit(h, A, 11, BUY, 106, 50, 1);
    h.limit(B, 12, SELL, 105, 5);
    assert.deepEqual(h.halt(), [symbolStatus(0, SymbolStatus.HALTED, 100)], 'the reference price is the last trade price');
    assert.deepEqual(h.limit(C, 13, BUY, 105, 1), [rejected(CommandType.PLACE, ResultCode.SYMBOL_HALTED, { accountId: C, orderId: 13 })]);
    assert.deepEqual(h.cancel(A, 11), [h.cancelled(11, ResultCode.CANCELLED_BY_OWNER, 50, 1)]);
    assert.deepEqual(h.resume(), [symbolStatus(0, SymbolStatus.TRADING, 100)]);
    assert.deepEqual(h.limit(C, 13, BUY, 105, 1), [
      h.accepted(13),
      h.trade({ taker: 13, maker: 12, px: 105, qty: 1, takerLeaves: 0, makerLeaves: 4 }),
      h.triggered(10, 105),
      h.rested(10, 50, 1),
    ]);
  });
});

describe('stop cascade order', () => {
  test('the lowest buy stop triggers first, the earliest among equal stops first', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    stopLimit(h, A, 21, BUY, 103, 50, 1);
    stopLimit(h, A, 22, BUY, 101, 50, 1);
    stopLimit(h, B, 23, BUY, 101, 50, 1);
    h.limit(B, 30, SELL, 103, 1);
    assert.deepEqual(h.limit(C, 31, BUY, 103, 1), [
      h.accepted(31),
      h.trade({ taker: 31, maker: 30, px: 103, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
      h.triggered(22, 103),
      h.rested(22, 50, 1),
      h.triggered(23, 103),
      h.rested(23, 50, 1),
      h.triggered(21, 103),
      h.rested(21, 50, 1),
    ]);
    assert.deepEqual(h.ids(BUY), [22, 23, 21], 'triggered stops rest in trigger order');
  });

  test('the highest sell stop triggers first', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    stopLimit(h, A, 70, SELL, 95, 200, 1);
    stopLimit(h, A, 71, SELL, 98, 200, 1);
    h.limit(B, 72, BUY, 94, 1);
    assert.deepEqual(h.limit(C, 73, SELL, 94, 1), [
      h.accepted(73),
      h.trade({ taker: 73, maker: 72, px: 94, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
      h.triggered(71, 94),
      h.rested(71, 200, 1),
      h.triggered(70, 94),
      h.rested(70, 200, 1),
    ]);
  });

  test('buy stops trigger before sell stops when one last price reaches both', () => {
    const h = market();
    stopLimit(h, A, 60, SELL, 110, 200, 1);
    stopLimit(h, A, 61, BUY, 105, 50, 1);
    h.limit(B, 62, SELL, 107, 1);
    assert.deepEqual(h.limit(C, 63, BUY, 107, 1), [
      h.accepted(63),
      h.trade({ taker: 63, maker: 62, px: 107, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
      h.triggered(61, 107),
      h.rested(61, 50, 1),
      h.triggered(60, 107),
      h.rested(60, 200, 1),
    ]);
  });

  test('a triggered stop executes completely and its trades can trigger further stops', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    h.limit(B, 40, SELL, 101, 1);
    h.limit(B, 41, SELL, 102, 1);
    h.limit(B, 42, SELL, 104, 2);
    stopMarket(h, C, 51, BUY, 102, 1, { quoteBudget: 1_000 });
    stopMarket(h, A, 50, BUY, 101, 2, { quoteBudget: 1_000 });
    stopMarket(h, A, 53, SELL, 99, 1);
    assert.deepEqual(h.limit(A, 52, BUY, 101, 1), [
      h.accepted(52),
      h.trade({ taker: 52, maker: 40, px: 101, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
      h.triggered(50, 101),
      h.trade({ taker: 50, maker: 41, px: 102, qty: 1, takerLeaves: 1, makerLeaves: 0 }),
      h.trade({ taker: 50, maker: 42, px: 104, qty: 1, takerLeaves: 0, makerLeaves: 1 }),
      h.triggered(51, 104),
      h.trade({ taker: 51, maker: 42, px: 104, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 101 - 206, 0]);
    assert.deepEqual(h.bal(C, QUOTE), [M - 100 - 104, 0]);
    assert.deepEqual(h.cancel(A, 53), [h.cancelled(53, ResultCode.CANCELLED_BY_OWNER, 0, 1)], 'the sell stop below never triggered');
  });
});

describe('OCO pairs', () => {
  test('a sell OCO reserves its base once, rests its limit leg and keeps its stop leg pending', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    assert.deepEqual(oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 11 }), [h.accepted(10), h.rested(10, 110, 5)]);
    assert.deepEqual(h.bal(A, BASE), [M - 5, 5], 'one reservation for both legs');
    assert.deepEqual(h.ids(SELL), [10]);
  });

  test('a fill of the limit leg cancels the stop leg with OCO_SIBLING_DONE', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 11 });
    assert.deepEqual(h.limit(C, 12, BUY, 110, 2), [
      h.accepted(12),
      h.trade({ taker: 12, maker: 10, px: 110, qty: 2, takerLeaves: 0, makerLeaves: 3 }),
      h.cancelled(11, ResultCode.OCO_SIBLING_DONE, 0, 5),
    ]);
    assert.deepEqual(h.bal(A, BASE), [M - 5, 3]);
    assert.deepEqual(h.cancel(A, 11), [rejected(CommandType.CANCEL, ResultCode.UNKNOWN_ORDER, { accountId: A, orderId: 11 })]);
    assert.deepEqual(h.cancel(A, 10), [h.cancelled(10, ResultCode.CANCELLED_BY_OWNER, 110, 3, 3)], 'the limit leg lives on alone');
    assert.deepEqual(h.bal(A, BASE), [M - 2, 0]);
  });

  test('the trigger of the stop leg cancels the limit leg with OCO_SIBLING_DONE', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 11 });
    h.limit(B, 13, BUY, 90, 6);
    assert.deepEqual(h.limit(C, 14, SELL, 90, 1), [
      h.accepted(14),
      h.trade({ taker: 14, maker: 13, px: 90, qty: 1, takerLeaves: 0, makerLeaves: 5 }),
      h.triggered(11, 90),
      h.cancelled(10, ResultCode.OCO_SIBLING_DONE, 110, 5, 5),
      h.trade({ taker: 11, maker: 13, px: 90, qty: 5, takerLeaves: 0, makerLeaves: 0 }),
    ]);
    assert.deepEqual(h.asks(), []);
    assert.deepEqual(h.bal(A, BASE), [M - 5, 0]);
    assert.deepEqual(h.bal(A, QUOTE), [M + 450, 0]);
  });

  test('cancelling either leg cancels both', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 11 });
    assert.deepEqual(h.cancel(A, 10), [h.cancelled(10, ResultCode.CANCELLED_BY_OWNER, 110, 5, 5), h.cancelled(11, ResultCode.OCO_SIBLING_DONE, 0, 5)]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
    oco(h, A, 20, SELL, { px: 110, qty: 5, stop: 90, stopId: 21, stopPx: 89 });
    assert.deepEqual(h.cancel(A, 21), [h.cancelled(21, ResultCode.CANCELLED_BY_OWNER, 89, 5), h.cancelled(20, ResultCode.OCO_SIBLING_DONE, 110, 5, 5)]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
    assert.deepEqual(h.asks(), []);
  });

  test('both legs of a GTD pair expire together', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 11 }, { tif: TimeInForce.GTD, expireTimeUs: 2 * M });
    assert.deepEqual(h.clock(2 * M), [h.cancelled(10, ResultCode.EXPIRED, 110, 5, 5), h.cancelled(11, ResultCode.EXPIRED, 0, 5)]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
  });

  test('BAD_OCO, DUPLICATE_ORDER_ID, BAD_TIME_IN_FORCE, STOP_WOULD_TRIGGER and UNUSED_FIELD_SET for malformed pairs', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    h.limit(A, 5, SELL, 200, 1);
    const rej = (code: number) => [rejected(CommandType.PLACE, code, { accountId: A, orderId: 10 })];
    assert.deepEqual(oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 0 }), rej(ResultCode.BAD_OCO));
    assert.deepEqual(oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 10 }), rej(ResultCode.BAD_OCO));
    assert.deepEqual(oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 5 }), rej(ResultCode.DUPLICATE_ORDER_ID));
    assert.deepEqual(oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 11 }, { tif: TimeInForce.IOC }), rej(ResultCode.BAD_TIME_IN_FORCE));
    assert.deepEqual(oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 100, stopId: 11 }), rej(ResultCode.STOP_WOULD_TRIGGER));
    assert.deepEqual(oco(h, A, 10, BUY, { px: 90, qty: 5, stop: 110, stopId: 11 }), rej(ResultCode.MARKET_BUY_NEEDS_BUDGET));
    assert.deepEqual(h.limit(A, 10, SELL, 110, 1, { linkedOrderId: 11 }), rej(ResultCode.UNUSED_FIELD_SET), 'a linked id on a plain limit');
    assert.deepEqual(h.limit(A, 10, SELL, 110, 1, { linkedPriceTicks: 11 }), rej(ResultCode.UNUSED_FIELD_SET), 'a linked price on a plain limit');
    assert.deepEqual(h.bal(A, BASE), [M - 1, 1]);
  });

  test('a buy OCO reserves the dearer leg and keeps it while the limit leg rests; the triggered stop-limit leg spends from it', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    assert.deepEqual(oco(h, A, 10, BUY, { px: 90, qty: 10, stop: 110, stopId: 11, stopPx: 112 }), [h.accepted(10), h.rested(10, 90, 10)]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 1_120, 1_120], 'max(10 x 90, 10 x 112)');
    h.limit(B, 12, SELL, 110, 20);
    assert.deepEqual(h.limit(C, 13, BUY, 110, 1), [
      h.accepted(13),
      h.trade({ taker: 13, maker: 12, px: 110, qty: 1, takerLeaves: 0, makerLeaves: 19 }),
      h.triggered(11, 110),
      h.cancelled(10, ResultCode.OCO_SIBLING_DONE, 90, 10, 10),
      h.trade({ taker: 11, maker: 12, px: 110, qty: 10, takerLeaves: 0, makerLeaves: 9 }),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 1_100, 0]);
    assert.deepEqual(h.bal(A, BASE), [M + 10, 0]);
  });

  test('a buy OCO maker fill ends the stop leg and trims the reservation to what the limit leg needs', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    oco(h, A, 10, BUY, { px: 90, qty: 10, stop: 110, stopId: 11, stopPx: 112 });
    assert.deepEqual(h.limit(C, 12, SELL, 90, 4), [
      h.accepted(12),
      h.trade({ taker: 12, maker: 10, px: 90, qty: 4, takerLeaves: 0, makerLeaves: 6 }),
      h.cancelled(11, ResultCode.OCO_SIBLING_DONE, 112, 10),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 360 - 540, 540]);
  });

  test('an OCO limit leg that crosses on arrival ends its stop leg at the first fill and rests the rest', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    h.limit(B, 12, SELL, 95, 2);
    assert.deepEqual(oco(h, A, 10, BUY, { px: 96, qty: 5, stop: 110, stopId: 11, budget: 300 }), [
      h.accepted(10),
      h.trade({ taker: 10, maker: 12, px: 95, qty: 2, takerLeaves: 3, makerLeaves: 0 }),
      h.cancelled(11, ResultCode.OCO_SIBLING_DONE, 0, 5),
      h.rested(10, 96, 3),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 190 - 288, 288]);
  });

  test('a triggered stop-market leg spends no more than its quote budget', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    // The pair reserves max(10 x 90, 500) = 900, but the stop-market leg's budget is 500.
    oco(h, A, 10, BUY, { px: 90, qty: 10, stop: 110, stopId: 11, budget: 500 });
    assert.deepEqual(h.bal(A, QUOTE), [M - 900, 900]);
    h.limit(B, 12, SELL, 110, 20);
    assert.deepEqual(h.limit(C, 13, BUY, 110, 1), [
      h.accepted(13),
      h.trade({ taker: 13, maker: 12, px: 110, qty: 1, takerLeaves: 0, makerLeaves: 19 }),
      h.triggered(11, 110),
      h.cancelled(10, ResultCode.OCO_SIBLING_DONE, 90, 10, 10),
      h.trade({ taker: 11, maker: 12, px: 110, qty: 4, takerLeaves: 6, makerLeaves: 15 }),
      h.cancelled(11, ResultCode.BUDGET_EXHAUSTED, 0, 6),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 440, 0]);
  });

  test('an OCO leg cannot be replaced: the limit leg is OCO_NOT_REPLACEABLE, the pending stop leg ORDER_NOT_RESTING', () => {
    const h = market();
    tradeAt(h, 100, 901, 902);
    oco(h, A, 10, SELL, { px: 110, qty: 5, stop: 90, stopId: 11 });
    assert.deepEqual(h.replace(A, 10, 111, 5), [rejected(CommandType.REPLACE, ResultCode.OCO_NOT_REPLACEABLE, { accountId: A, orderId: 10 })]);
    assert.deepEqual(h.replace(A, 11, 111, 5), [rejected(CommandType.REPLACE, ResultCode.ORDER_NOT_RESTING, { accountId: A, orderId: 11 })]);
    assert.deepEqual(h.ids(SELL), [10]);
  });
});
