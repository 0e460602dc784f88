// Proves iceberg orders: only the peak is shown, each refill goes to the back of its level, hidden quantity counts for FOK, and display rules.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OrderType, TimeInForce } from '../../engine/commands.ts';
import { A, B, BASE, BUY, C, CommandType, QUOTE, ResultCode, SELL, market, rejected } from './harness.ts';

const M = 1_000_000;

describe('iceberg display', () => {
  test('an iceberg rests showing only its peak; its whole quantity is reserved', () => {
    const h = market();
    assert.deepEqual(h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 3 }), [h.accepted(1), h.rested(1, 100, 10, 3)]);
    assert.deepEqual(h.levels(SELL), [{ priceTicks: 100, visibleQtyLots: 3, orderCount: 1 }]);
    assert.deepEqual(h.asks(), [{ orderId: 1, accountId: A, priceTicks: 100, openQtyLots: 10, visibleQtyLots: 3 }]);
    assert.deepEqual(h.bal(A, BASE), [M - 10, 10]);
    h.limit(A, 2, SELL, 100, 4);
    assert.deepEqual(h.levels(SELL), [{ priceTicks: 100, visibleQtyLots: 7, orderCount: 2 }]);
  });

  test('a buy iceberg reserves its whole quantity at its price', () => {
    const h = market();
    assert.deepEqual(h.limit(A, 1, BUY, 100, 10, { displayQtyLots: 2 }), [h.accepted(1), h.rested(1, 100, 10, 2)]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 1_000, 1_000]);
    assert.deepEqual(h.levels(BUY), [{ priceTicks: 100, visibleQtyLots: 2, orderCount: 1 }]);
  });

  test('a display quantity equal to the quantity shows it all', () => {
    const h = market();
    assert.deepEqual(h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 10 }), [h.accepted(1), h.rested(1, 100, 10)]);
    assert.deepEqual(h.levels(SELL), [{ priceTicks: 100, visibleQtyLots: 10, orderCount: 1 }]);
  });

  test('BAD_DISPLAY_QTY: a peak above the quantity, or on an order that cannot rest; a peak on a market order is an unused field', () => {
    const h = market();
    h.limit(B, 9, SELL, 100, 20);
    const bad = [rejected(CommandType.PLACE, ResultCode.BAD_DISPLAY_QTY, { accountId: A, orderId: 1 })];
    assert.deepEqual(h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 11 }), bad);
    assert.deepEqual(h.limit(A, 1, BUY, 100, 10, { displayQtyLots: 3, tif: TimeInForce.IOC }), bad);
    assert.deepEqual(h.limit(A, 1, BUY, 100, 10, { displayQtyLots: 3, tif: TimeInForce.FOK }), bad);
    assert.deepEqual(h.place({ accountId: A, orderId: 1, side: SELL, qtyLots: 10, orderType: OrderType.MARKET, tif: TimeInForce.IOC, displayQtyLots: 3 }),
      [rejected(CommandType.PLACE, ResultCode.UNUSED_FIELD_SET, { accountId: A, orderId: 1 })]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
  });

  test('cancelling an iceberg reports its open and its shown quantity', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 3 });
    assert.deepEqual(h.cancel(A, 1), [h.cancelled(1, ResultCode.CANCELLED_BY_OWNER, 100, 10, 3)]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
  });
});

describe('iceberg refill', () => {
  test('a used-up peak refills at the back of its level: an order that arrived later trades before the new peak', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 3 });
    h.limit(B, 2, SELL, 100, 2);
    assert.deepEqual(h.limit(C, 3, BUY, 100, 3), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 3, takerLeaves: 0, makerLeaves: 7 }),
      h.refilled(1, 100, 3, 7),
    ]);
    assert.deepEqual(h.ids(SELL), [2, 1]);
    h.limit(B, 5, SELL, 100, 1);
    assert.deepEqual(h.ids(SELL), [2, 1, 5], 'an order after the refill queues behind the new peak');
    assert.deepEqual(h.limit(C, 4, BUY, 100, 4), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 2, px: 100, qty: 2, takerLeaves: 2, makerLeaves: 0 }),
      h.trade({ taker: 4, maker: 1, px: 100, qty: 2, takerLeaves: 0, makerLeaves: 5 }),
    ]);
    assert.deepEqual(h.levels(SELL), [{ priceTicks: 100, visibleQtyLots: 2, orderCount: 2 }]);
    assert.deepEqual(h.asks(), [
      { orderId: 1, accountId: A, priceTicks: 100, openQtyLots: 5, visibleQtyLots: 1 },
      { orderId: 5, accountId: B, priceTicks: 100, openQtyLots: 1, visibleQtyLots: 1 },
    ]);
  });

  test('one taker can eat several peaks; the last peak is what is left', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 3 });
    assert.deepEqual(h.limit(C, 2, BUY, 100, 8), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 3, takerLeaves: 5, makerLeaves: 7 }),
      h.refilled(1, 100, 3, 7),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 3, takerLeaves: 2, makerLeaves: 4 }),
      h.refilled(1, 100, 3, 4),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 2, takerLeaves: 0, makerLeaves: 2 }),
    ]);
    assert.deepEqual(h.asks(), [{ orderId: 1, accountId: A, priceTicks: 100, openQtyLots: 2, visibleQtyLots: 1 }]);
    assert.deepEqual(h.limit(C, 3, BUY, 100, 2), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 1, takerLeaves: 1, makerLeaves: 1 }),
      h.refilled(1, 100, 1, 1),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
    ]);
    assert.deepEqual(h.asks(), []);
    assert.deepEqual(h.bal(A, BASE), [M - 10, 0]);
    assert.deepEqual(h.bal(A, QUOTE), [M + 1_000, 0]);
  });

  test('hidden quantity counts for FOK', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 3 });
    assert.deepEqual(h.limit(C, 2, BUY, 100, 11, { tif: TimeInForce.FOK }), [rejected(CommandType.PLACE, ResultCode.FOK_NOT_FILLABLE, { accountId: C, orderId: 2 })]);
    assert.deepEqual(h.limit(C, 2, BUY, 100, 10, { tif: TimeInForce.FOK }), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 3, takerLeaves: 7, makerLeaves: 7 }),
      h.refilled(1, 100, 3, 7),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 3, takerLeaves: 4, makerLeaves: 4 }),
      h.refilled(1, 100, 3, 4),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 3, takerLeaves: 1, makerLeaves: 1 }),
      h.refilled(1, 100, 1, 1),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
    ]);
  });

  test('an iceberg taker trades its whole quantity and rests the remainder showing its peak', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5);
    assert.deepEqual(h.limit(B, 2, BUY, 100, 10, { displayQtyLots: 2 }), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 5, takerLeaves: 5, makerLeaves: 0 }),
      h.rested(2, 100, 5, 2),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 1_000, 500]);
  });

  test('a refill of a GTD iceberg keeps the expiry schedule consistent (verify passes) and both GTD orders still expire', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 2, tif: TimeInForce.GTD, expireTimeUs: 5 * M });
    h.limit(A, 2, SELL, 101, 10, { tif: TimeInForce.GTD, expireTimeUs: 5 * M });
    assert.deepEqual(h.limit(B, 3, BUY, 100, 2), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 2, takerLeaves: 0, makerLeaves: 8 }),
      h.refilled(1, 100, 2, 8),
    ]);
    const expired = h.clock(5 * M);
    assert.deepEqual([...expired].sort((x, y) => (x['orderId'] as number) - (y['orderId'] as number)), [
      h.cancelled(1, ResultCode.EXPIRED, 100, 8, 2),
      h.cancelled(2, ResultCode.EXPIRED, 101, 10, 10),
    ]);
    assert.deepEqual(h.bal(A, BASE), [M - 2, 0]);
  });
});
