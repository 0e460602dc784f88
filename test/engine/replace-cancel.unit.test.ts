// Proves replace (priority kept only for a same-price quantity decrease, re-entry, post-only, reservations, icebergs) and cancel / mass cancel with their rejections.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_SYMBOLS, BOTH_SIDES, OrderFlag, OrderType } from '../../engine/commands.ts';
import { A, B, BASE, BUY, C, CommandType, QUOTE, ResultCode, SELL, market, massCancelDone, rejected } from './harness.ts';

const M = 1_000_000;

describe('replace keeps priority only for a quantity decrease at the same price', () => {
  test('a smaller quantity at the same price keeps the place in the queue and releases the difference', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5);
    h.limit(B, 2, SELL, 100, 5);
    assert.deepEqual(h.replace(A, 1, 100, 3), [h.replaced(1, { kept: true, oldPx: 100, oldQty: 5, oldVisible: 5, px: 100, qty: 3, visible: 3 })]);
    assert.deepEqual(h.ids(SELL), [1, 2]);
    assert.deepEqual(h.bal(A, BASE), [M - 3, 3]);
    assert.deepEqual(h.levels(SELL), [{ priceTicks: 100, visibleQtyLots: 8, orderCount: 2 }]);
    assert.deepEqual(h.limit(C, 3, BUY, 100, 3), [h.accepted(3), h.trade({ taker: 3, maker: 1, px: 100, qty: 3, takerLeaves: 0, makerLeaves: 0 })]);
  });

  test('the same quantity at the same price keeps priority', () => {
    const h = market();
    h.limit(A, 1, BUY, 100, 5);
    h.limit(B, 2, BUY, 100, 5);
    assert.deepEqual(h.replace(A, 1, 100, 5), [h.replaced(1, { kept: true, oldPx: 100, oldQty: 5, oldVisible: 5, px: 100, qty: 5, visible: 5 })]);
    assert.deepEqual(h.ids(BUY), [1, 2]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 500, 500]);
  });

  test('a larger quantity loses priority and reserves the extra', () => {
    const h = market();
    h.limit(A, 1, BUY, 100, 5);
    h.limit(B, 2, BUY, 100, 5);
    assert.deepEqual(h.replace(A, 1, 100, 6), [
      h.replaced(1, { kept: false, oldPx: 100, oldQty: 5, oldVisible: 5, px: 100, qty: 6, visible: 6 }),
      h.rested(1, 100, 6),
    ]);
    assert.deepEqual(h.ids(BUY), [2, 1]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 600, 600]);
  });

  test('a new price loses priority, even when the order later returns to its old price', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5);
    h.limit(B, 2, SELL, 100, 5);
    assert.deepEqual(h.replace(A, 1, 101, 5), [
      h.replaced(1, { kept: false, oldPx: 100, oldQty: 5, oldVisible: 5, px: 101, qty: 5, visible: 5 }),
      h.rested(1, 101, 5),
    ]);
    assert.deepEqual(h.ids(SELL), [2, 1]);
    assert.deepEqual(h.levels(SELL), [{ priceTicks: 100, visibleQtyLots: 5, orderCount: 1 }, { priceTicks: 101, visibleQtyLots: 5, orderCount: 1 }]);
    h.replace(A, 1, 100, 5);
    assert.deepEqual(h.ids(SELL), [2, 1]);
    assert.deepEqual(h.levels(SELL), [{ priceTicks: 100, visibleQtyLots: 10, orderCount: 2 }], 'the emptied level is gone');
  });

  test('a smaller quantity at a new price still loses priority', () => {
    const h = market();
    h.limit(A, 1, BUY, 100, 5);
    h.limit(B, 2, BUY, 101, 5);
    assert.deepEqual(h.replace(A, 1, 101, 4), [
      h.replaced(1, { kept: false, oldPx: 100, oldQty: 5, oldVisible: 5, px: 101, qty: 4, visible: 4 }),
      h.rested(1, 101, 4),
    ]);
    assert.deepEqual(h.ids(BUY), [2, 1]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 404, 404]);
  });

  test('a replace to a crossing price re-enters and trades', () => {
    const h = market();
    h.limit(A, 1, BUY, 95, 5);
    h.limit(B, 2, SELL, 100, 3);
    assert.deepEqual(h.replace(A, 1, 101, 5), [
      h.replaced(1, { kept: false, oldPx: 95, oldQty: 5, oldVisible: 5, px: 101, qty: 5, visible: 5 }),
      h.trade({ taker: 1, maker: 2, px: 100, qty: 3, takerLeaves: 2, makerLeaves: 0 }),
      h.rested(1, 101, 2),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 300 - 202, 202]);
    assert.equal(h.lastPrice(), 100);
  });

  test('the quantity of a replace is the new open quantity of a partly filled order', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5);
    h.limit(B, 2, SELL, 100, 5);
    h.limit(C, 3, BUY, 100, 2);
    assert.deepEqual(h.replace(A, 1, 100, 3), [h.replaced(1, { kept: true, oldPx: 100, oldQty: 3, oldVisible: 3, px: 100, qty: 3, visible: 3 })]);
    assert.deepEqual(h.replace(A, 1, 100, 1), [h.replaced(1, { kept: true, oldPx: 100, oldQty: 3, oldVisible: 3, px: 100, qty: 1, visible: 1 })]);
    assert.deepEqual(h.ids(SELL), [1, 2]);
    assert.deepEqual(h.bal(A, BASE), [M - 3, 1]);
  });
});

describe('replace rules', () => {
  test('a post-only replace that would cross is rejected and leaves the order unchanged', () => {
    const h = market();
    h.limit(A, 1, BUY, 95, 5);
    h.limit(B, 2, SELL, 100, 3);
    assert.deepEqual(h.replace(A, 1, 100, 5, OrderFlag.POST_ONLY), [rejected(CommandType.REPLACE, ResultCode.POST_ONLY_WOULD_CROSS, { accountId: A, orderId: 1 })]);
    assert.deepEqual(h.bids(), [{ orderId: 1, accountId: A, priceTicks: 95, openQtyLots: 5, visibleQtyLots: 5 }]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 475, 475]);
    assert.deepEqual(h.replace(A, 1, 99, 5, OrderFlag.POST_ONLY), [
      h.replaced(1, { kept: false, oldPx: 95, oldQty: 5, oldVisible: 5, px: 99, qty: 5, visible: 5 }),
      h.rested(1, 99, 5),
    ]);
  });

  test('a pending stop cannot be replaced: ORDER_NOT_RESTING', () => {
    const h = market();
    h.place({ accountId: A, orderId: 1, side: SELL, orderType: OrderType.STOP_LIMIT, stopPriceTicks: 90, priceTicks: 89, qtyLots: 2 });
    assert.deepEqual(h.replace(A, 1, 88, 2), [rejected(CommandType.REPLACE, ResultCode.ORDER_NOT_RESTING, { accountId: A, orderId: 1 })]);
    assert.deepEqual(h.bal(A, BASE), [M - 2, 2]);
  });

  test('a replace needing more than the available balance is INSUFFICIENT_BALANCE and changes nothing; otherwise the reservation follows', () => {
    const h = market({ quote: 1_000 });
    h.limit(A, 1, BUY, 100, 5);
    h.limit(B, 2, BUY, 100, 1);
    assert.deepEqual(h.replace(A, 1, 100, 11), [rejected(CommandType.REPLACE, ResultCode.INSUFFICIENT_BALANCE, { accountId: A, orderId: 1 })]);
    assert.deepEqual(h.replace(A, 1, 201, 5), [rejected(CommandType.REPLACE, ResultCode.INSUFFICIENT_BALANCE, { accountId: A, orderId: 1 })]);
    assert.deepEqual(h.ids(BUY), [1, 2], 'priority untouched');
    assert.deepEqual(h.bal(A, QUOTE), [500, 500]);
    assert.deepEqual(h.replace(A, 1, 200, 5), [
      h.replaced(1, { kept: false, oldPx: 100, oldQty: 5, oldVisible: 5, px: 200, qty: 5, visible: 5 }),
      h.rested(1, 200, 5),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [0, 1_000]);
    h.replace(A, 1, 150, 5);
    assert.deepEqual(h.bal(A, QUOTE), [250, 750]);
  });

  test('replacing an iceberg: a decrease trims the peak in place, a new price shows a new peak', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 3 });
    h.limit(B, 2, SELL, 100, 1);
    assert.deepEqual(h.replace(A, 1, 100, 5), [h.replaced(1, { kept: true, oldPx: 100, oldQty: 10, oldVisible: 3, px: 100, qty: 5, visible: 3 })]);
    assert.deepEqual(h.replace(A, 1, 100, 2), [h.replaced(1, { kept: true, oldPx: 100, oldQty: 5, oldVisible: 3, px: 100, qty: 2, visible: 2 })]);
    assert.deepEqual(h.ids(SELL), [1, 2]);
    assert.deepEqual(h.levels(SELL), [{ priceTicks: 100, visibleQtyLots: 3, orderCount: 2 }]);
    assert.deepEqual(h.replace(A, 1, 101, 8), [
      h.replaced(1, { kept: false, oldPx: 100, oldQty: 2, oldVisible: 2, px: 101, qty: 8, visible: 3 }),
      h.rested(1, 101, 8, 3),
    ]);
    assert.deepEqual(h.asks(), [
      { orderId: 2, accountId: B, priceTicks: 100, openQtyLots: 1, visibleQtyLots: 1 },
      { orderId: 1, accountId: A, priceTicks: 101, openQtyLots: 8, visibleQtyLots: 3 },
    ]);
    assert.deepEqual(h.bal(A, BASE), [M - 8, 8]);
  });

  test('replace rejections: quantities, prices, flags, unknown or foreign orders, halted symbol', () => {
    const h = market({ symbol: { maxQtyLots: 100, priceTicksMax: 1_000, referencePriceTicks: 100, bandBps: 1_000 } });
    h.limit(A, 1, BUY, 100, 5);
    const rej = (code: number, ids: { accountId?: number; orderId?: number; symbolId?: number } = {}) =>
      [rejected(CommandType.REPLACE, code, { accountId: A, orderId: 1, ...ids })];
    assert.deepEqual(h.replace(A, 1, 100, 0), rej(ResultCode.QTY_NOT_POSITIVE));
    assert.deepEqual(h.replace(A, 1, 100, 101), rej(ResultCode.QTY_ABOVE_MAX));
    assert.deepEqual(h.replace(A, 1, 100, 1.5), rej(ResultCode.NOT_SAFE_INTEGER));
    assert.deepEqual(h.replace(A, 1, 0, 5), rej(ResultCode.PRICE_NOT_POSITIVE));
    assert.deepEqual(h.replace(A, 1, 1_001, 5), rej(ResultCode.PRICE_ABOVE_MAX));
    assert.deepEqual(h.replace(A, 1, 111, 5), rej(ResultCode.PRICE_OUT_OF_BAND));
    assert.deepEqual(h.replace(A, 1, 100, 5, 2), rej(ResultCode.BAD_FLAGS));
    assert.deepEqual(h.replace(A, 2, 100, 5), rej(ResultCode.UNKNOWN_ORDER, { orderId: 2 }));
    assert.deepEqual(h.replace(B, 1, 100, 5), rej(ResultCode.NOT_ORDER_OWNER, { accountId: B }));
    assert.deepEqual(h.replace(A, 1, 100, 5, 0, 7), rej(ResultCode.UNKNOWN_SYMBOL, { symbolId: 7 }));
    h.halt();
    assert.deepEqual(h.replace(A, 1, 100, 4), rej(ResultCode.SYMBOL_HALTED));
    assert.deepEqual(h.bids(), [{ orderId: 1, accountId: A, priceTicks: 100, openQtyLots: 5, visibleQtyLots: 5 }]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 500, 500]);
  });

  test('a replace naming order id 0 touches no order', () => {
    const h = market();
    h.limit(A, 7, SELL, 100, 5);
    const events = h.replace(A, 0, 100, 1);
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.equal(events[0]?.['event'], 'REJECTED');
    assert.ok([ResultCode.UNKNOWN_ORDER, ResultCode.BAD_ORDER_ID].includes(events[0]?.['code'] as 2004), `code ${String(events[0]?.['code'])}`);
    assert.deepEqual(h.asks(), [{ orderId: 7, accountId: A, priceTicks: 100, openQtyLots: 5, visibleQtyLots: 5 }]);
  });
});

describe('cancel', () => {
  test('cancel takes the order off the book and releases its reservation', () => {
    const h = market();
    h.limit(A, 1, BUY, 100, 5);
    h.limit(A, 2, BUY, 100, 1);
    assert.deepEqual(h.cancel(A, 1), [h.cancelled(1, ResultCode.CANCELLED_BY_OWNER, 100, 5, 5)]);
    assert.deepEqual(h.ids(BUY), [2]);
    assert.deepEqual(h.levels(BUY), [{ priceTicks: 100, visibleQtyLots: 1, orderCount: 1 }]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 100, 100]);
    assert.deepEqual(h.cancel(A, 1), [rejected(CommandType.CANCEL, ResultCode.UNKNOWN_ORDER, { accountId: A, orderId: 1 })], 'already cancelled');
  });

  test('cancel rejections: unknown, filled, on another symbol, foreign, unknown symbol or account', () => {
    const h = market();
    h.addSymbol({ name: 'ETH-USD' });
    h.limit(A, 1, SELL, 100, 5);
    h.limit(A, 2, SELL, 100, 1, { symbolId: 1 });
    h.limit(B, 3, BUY, 100, 5);
    const rej = (code: number, ids: { accountId?: number; orderId?: number; symbolId?: number }) => [rejected(CommandType.CANCEL, code, { accountId: A, ...ids })];
    assert.deepEqual(h.cancel(A, 99), rej(ResultCode.UNKNOWN_ORDER, { orderId: 99 }));
    assert.deepEqual(h.cancel(A, 1), rej(ResultCode.UNKNOWN_ORDER, { orderId: 1 }), 'filled');
    assert.deepEqual(h.cancel(A, 2, 0), rej(ResultCode.UNKNOWN_ORDER, { orderId: 2 }), 'lives on symbol 1');
    assert.deepEqual(h.cancel(B, 2, 1), rej(ResultCode.NOT_ORDER_OWNER, { accountId: B, orderId: 2, symbolId: 1 }));
    assert.deepEqual(h.cancel(A, 2, 9), rej(ResultCode.UNKNOWN_SYMBOL, { orderId: 2, symbolId: 9 }));
    assert.deepEqual(h.cancel(9, 2, 1), rej(ResultCode.UNKNOWN_ACCOUNT, { accountId: 9, orderId: 2, symbolId: 1 }));
    assert.deepEqual(h.ids(SELL, 1), [2]);
  });

  test('a cancel naming order id 0 cancels nothing', () => {
    const h = market();
    h.limit(A, 7, SELL, 100, 5);
    const events = h.cancel(A, 0);
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.equal(events[0]?.['event'], 'REJECTED');
    assert.ok([ResultCode.UNKNOWN_ORDER, ResultCode.BAD_ORDER_ID].includes(events[0]?.['code'] as 2004), `code ${String(events[0]?.['code'])}`);
    assert.deepEqual(h.ids(SELL), [7]);
  });

  test('a cancel naming order id 0 after the first order slot was freed is a plain rejection, not a crash', () => {
    const h = market();
    h.limit(A, 7, SELL, 100, 1);
    h.limit(B, 8, BUY, 100, 1);
    const events = h.cancel(A, 0);
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.equal(events[0]?.['event'], 'REJECTED');
  });
});

describe('mass cancel', () => {
  function book() {
    const h = market();
    h.addSymbol({ name: 'ETH-USD' });
    h.limit(A, 1, BUY, 90, 1);
    h.limit(A, 2, SELL, 110, 2);
    h.limit(A, 3, BUY, 90, 3, { symbolId: 1 });
    h.place({ accountId: A, orderId: 4, side: SELL, orderType: OrderType.STOP_MARKET, stopPriceTicks: 80, qtyLots: 4 });
    h.limit(B, 5, BUY, 91, 1);
    return h;
  }

  test('by account: every order of every symbol, resting and pending, oldest first; other accounts untouched', () => {
    const h = book();
    assert.deepEqual(h.massCancel(A, ALL_SYMBOLS, BOTH_SIDES), [
      h.cancelled(1, ResultCode.CANCELLED_BY_MASS_CANCEL, 90, 1, 1),
      h.cancelled(2, ResultCode.CANCELLED_BY_MASS_CANCEL, 110, 2, 2),
      h.cancelled(3, ResultCode.CANCELLED_BY_MASS_CANCEL, 90, 3, 3),
      h.cancelled(4, ResultCode.CANCELLED_BY_MASS_CANCEL, 0, 4),
      massCancelDone(A, ALL_SYMBOLS, BOTH_SIDES, 4),
    ]);
    assert.deepEqual(h.ids(BUY), [5]);
    assert.deepEqual(h.ids(SELL), []);
    assert.deepEqual(h.ids(BUY, 1), []);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
  });

  test('by symbol', () => {
    const h = book();
    assert.deepEqual(h.massCancel(A, 1, BOTH_SIDES), [h.cancelled(3, ResultCode.CANCELLED_BY_MASS_CANCEL, 90, 3, 3), massCancelDone(A, 1, BOTH_SIDES, 1)]);
    assert.deepEqual(h.ids(BUY), [5, 1]);
  });

  test('by side', () => {
    const h = book();
    assert.deepEqual(h.massCancel(A, ALL_SYMBOLS, SELL), [
      h.cancelled(2, ResultCode.CANCELLED_BY_MASS_CANCEL, 110, 2, 2),
      h.cancelled(4, ResultCode.CANCELLED_BY_MASS_CANCEL, 0, 4),
      massCancelDone(A, ALL_SYMBOLS, SELL, 2),
    ]);
    assert.deepEqual(h.massCancel(A, 0, BUY), [h.cancelled(1, ResultCode.CANCELLED_BY_MASS_CANCEL, 90, 1, 1), massCancelDone(A, 0, BUY, 1)]);
    assert.deepEqual(h.ids(BUY, 1), [3]);
  });

  test('OCO pairs in the list are cancelled together, each leg once', () => {
    const h = market();
    h.limit(A, 1, BUY, 90, 1);
    h.place({ accountId: A, orderId: 10, side: SELL, orderType: OrderType.OCO, priceTicks: 110, qtyLots: 5, stopPriceTicks: 90, linkedOrderId: 11 });
    h.place({ accountId: A, orderId: 20, side: SELL, orderType: OrderType.OCO, priceTicks: 120, qtyLots: 2, stopPriceTicks: 80, linkedOrderId: 21, linkedPriceTicks: 79 });
    h.limit(A, 2, BUY, 89, 1);
    assert.deepEqual(h.massCancel(A, ALL_SYMBOLS, BOTH_SIDES), [
      h.cancelled(1, ResultCode.CANCELLED_BY_MASS_CANCEL, 90, 1, 1),
      h.cancelled(11, ResultCode.CANCELLED_BY_MASS_CANCEL, 0, 5),
      h.cancelled(10, ResultCode.CANCELLED_BY_MASS_CANCEL, 110, 5, 5),
      h.cancelled(21, ResultCode.CANCELLED_BY_MASS_CANCEL, 79, 2),
      h.cancelled(20, ResultCode.CANCELLED_BY_MASS_CANCEL, 120, 2, 2),
      h.cancelled(2, ResultCode.CANCELLED_BY_MASS_CANCEL, 89, 1, 1),
      massCancelDone(A, ALL_SYMBOLS, BOTH_SIDES, 6),
    ]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });

  test('mass cancel rejections: BAD_SIDE, UNKNOWN_ACCOUNT, UNKNOWN_SYMBOL; nothing to cancel still answers with a summary', () => {
    const h = book();
    assert.deepEqual(h.massCancel(A, ALL_SYMBOLS, 3), [rejected(CommandType.MASS_CANCEL, ResultCode.BAD_SIDE, { accountId: A, symbolId: ALL_SYMBOLS })]);
    assert.deepEqual(h.massCancel(9, ALL_SYMBOLS, BOTH_SIDES), [rejected(CommandType.MASS_CANCEL, ResultCode.UNKNOWN_ACCOUNT, { accountId: 9, symbolId: ALL_SYMBOLS })]);
    assert.deepEqual(h.massCancel(A, 5, BOTH_SIDES), [rejected(CommandType.MASS_CANCEL, ResultCode.UNKNOWN_SYMBOL, { accountId: A, symbolId: 5 })]);
    assert.deepEqual(h.massCancel(C, ALL_SYMBOLS, BOTH_SIDES), [massCancelDone(C, ALL_SYMBOLS, BOTH_SIDES, 0)]);
    assert.deepEqual(h.ids(BUY), [5, 1]);
  });
});
