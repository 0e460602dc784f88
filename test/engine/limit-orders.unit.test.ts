// Proves limit orders: GTC resting and crossing at the maker's price, price-time priority, IOC, FOK, GTD expiry and post-only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OrderFlag, OrderType, TimeInForce } from '../../engine/commands.ts';
import { A, B, BASE, BUY, C, CommandType, QUOTE, ResultCode, SELL, market, rejected } from './harness.ts';

const M = 1_000_000;

describe('limit GTC', () => {
  test('a sell that does not cross rests and reserves its base', () => {
    const h = market();
    assert.deepEqual(h.limit(A, 1, SELL, 100, 5), [h.accepted(1), h.rested(1, 100, 5)]);
    assert.deepEqual(h.asks(), [{ orderId: 1, accountId: A, priceTicks: 100, openQtyLots: 5, visibleQtyLots: 5 }]);
    assert.deepEqual(h.bal(A, BASE), [M - 5, 5]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });

  test('a buy that does not cross rests and reserves quote at its limit price', () => {
    const h = market();
    assert.deepEqual(h.limit(A, 1, BUY, 100, 5), [h.accepted(1), h.rested(1, 100, 5)]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 500, 500]);
    assert.deepEqual(h.levels(BUY), [{ priceTicks: 100, visibleQtyLots: 5, orderCount: 1 }]);
  });

  test('a crossing buy trades at the maker price and partially fills the maker', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5);
    assert.deepEqual(h.limit(B, 2, BUY, 103, 2), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 2, takerLeaves: 0, makerLeaves: 3 }),
    ]);
    assert.deepEqual(h.asks(), [{ orderId: 1, accountId: A, priceTicks: 100, openQtyLots: 3, visibleQtyLots: 3 }]);
    assert.deepEqual(h.bids(), []);
    assert.deepEqual(h.bal(A, BASE), [M - 5, 3]);
    assert.deepEqual(h.bal(A, QUOTE), [M + 200, 0]);
    assert.deepEqual(h.bal(B, BASE), [M + 2, 0]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 200, 0], 'the taker pays the maker price, its higher limit is released');
    assert.equal(h.lastPrice(), 100);
  });

  test('a crossing sell trades at the bid price', () => {
    const h = market();
    h.limit(A, 1, BUY, 100, 3);
    assert.deepEqual(h.limit(B, 2, SELL, 95, 2), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 2, takerLeaves: 0, makerLeaves: 1 }),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M + 200, 0]);
    assert.deepEqual(h.bal(B, BASE), [M - 2, 0]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 300, 100]);
    assert.deepEqual(h.bal(A, BASE), [M + 2, 0]);
  });

  test('price-time priority: better price first, then earlier arrival within a price', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    h.limit(B, 2, SELL, 100, 2);
    h.limit(A, 3, SELL, 99, 1);
    assert.deepEqual(h.ids(SELL), [3, 1, 2]);
    assert.deepEqual(h.limit(C, 4, BUY, 100, 4), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 3, px: 99, qty: 1, takerLeaves: 3, makerLeaves: 0 }),
      h.trade({ taker: 4, maker: 1, px: 100, qty: 2, takerLeaves: 1, makerLeaves: 0 }),
      h.trade({ taker: 4, maker: 2, px: 100, qty: 1, takerLeaves: 0, makerLeaves: 1 }),
    ]);
    assert.deepEqual(h.asks(), [{ orderId: 2, accountId: B, priceTicks: 100, openQtyLots: 1, visibleQtyLots: 1 }]);
    assert.deepEqual(h.bal(C, QUOTE), [M - 399, 0]);
  });

  test('a partly filled buy rests its remainder and releases the price improvement', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 3);
    assert.deepEqual(h.limit(B, 2, BUY, 105, 5), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 3, takerLeaves: 2, makerLeaves: 0 }),
      h.rested(2, 105, 2),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 300 - 210, 210], 'reserved = exactly 2 lots at 105');
    assert.deepEqual(h.asks(), []);
    assert.deepEqual(h.bids(), [{ orderId: 2, accountId: B, priceTicks: 105, openQtyLots: 2, visibleQtyLots: 2 }]);
  });

  test('a limit sweeps levels up to its price and never beyond', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 1);
    h.limit(A, 2, SELL, 101, 1);
    h.limit(A, 3, SELL, 102, 1);
    assert.deepEqual(h.limit(B, 4, BUY, 101, 3), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 1, px: 100, qty: 1, takerLeaves: 2, makerLeaves: 0 }),
      h.trade({ taker: 4, maker: 2, px: 101, qty: 1, takerLeaves: 1, makerLeaves: 0 }),
      h.rested(4, 101, 1),
    ]);
    assert.deepEqual(h.ids(SELL), [3]);
    assert.deepEqual(h.levels(BUY), [{ priceTicks: 101, visibleQtyLots: 1, orderCount: 1 }]);
    assert.equal(h.lastPrice(), 101);
  });
});

describe('limit IOC', () => {
  test('an IOC fills what it can and its remainder is cancelled with UNFILLED_IOC', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    assert.deepEqual(h.limit(B, 2, BUY, 100, 5, { tif: TimeInForce.IOC }), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 2, takerLeaves: 3, makerLeaves: 0 }),
      h.cancelled(2, ResultCode.UNFILLED_IOC, 100, 3),
    ]);
    assert.deepEqual(h.bids(), []);
    assert.deepEqual(h.bal(B, QUOTE), [M - 200, 0], 'the remainder reservation is released');
  });

  test('an IOC that cannot cross is cancelled whole', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    assert.deepEqual(h.limit(B, 2, BUY, 99, 5, { tif: TimeInForce.IOC }), [h.accepted(2), h.cancelled(2, ResultCode.UNFILLED_IOC, 99, 5)]);
    assert.deepEqual(h.bal(B, QUOTE), [M, 0]);
    assert.deepEqual(h.ids(SELL), [1]);
  });
});

describe('limit FOK', () => {
  test('a fillable FOK fills completely across levels', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    h.limit(A, 2, SELL, 101, 2);
    assert.deepEqual(h.limit(B, 3, BUY, 101, 3, { tif: TimeInForce.FOK }), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 2, takerLeaves: 1, makerLeaves: 0 }),
      h.trade({ taker: 3, maker: 2, px: 101, qty: 1, takerLeaves: 0, makerLeaves: 1 }),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 301, 0]);
  });

  test('an FOK that cannot fill in full within its price is rejected with no trade and nothing changed', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    h.limit(A, 2, SELL, 102, 5);
    assert.deepEqual(h.limit(B, 3, BUY, 101, 3, { tif: TimeInForce.FOK }), [
      rejected(CommandType.PLACE, ResultCode.FOK_NOT_FILLABLE, { accountId: B, orderId: 3 }),
    ]);
    assert.deepEqual(h.ids(SELL), [1, 2]);
    assert.deepEqual(h.bal(B, QUOTE), [M, 0]);
    assert.equal(h.lastPrice(), 0);
  });

  test('an FOK for exactly the available quantity fills', () => {
    const h = market();
    h.limit(A, 1, BUY, 100, 2);
    h.limit(B, 2, BUY, 99, 2);
    assert.deepEqual(h.limit(C, 3, SELL, 99, 4, { tif: TimeInForce.FOK }), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 2, takerLeaves: 2, makerLeaves: 0 }),
      h.trade({ taker: 3, maker: 2, px: 99, qty: 2, takerLeaves: 0, makerLeaves: 0 }),
    ]);
    assert.deepEqual(h.bids(), []);
  });
});

describe('limit GTD', () => {
  test('a GTD order rests until a later command reaches its expiry, then is cancelled with EXPIRED', () => {
    const h = market();
    assert.deepEqual(h.limit(A, 1, SELL, 100, 5, { tif: TimeInForce.GTD, expireTimeUs: 2 * M }), [h.accepted(1), h.rested(1, 100, 5)]);
    assert.deepEqual(h.clock(2 * M - 1), []);
    assert.deepEqual(h.ids(SELL), [1]);
    assert.deepEqual(h.clock(2 * M), [h.cancelled(1, ResultCode.EXPIRED, 100, 5, 5)]);
    assert.deepEqual(h.asks(), []);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
    assert.deepEqual(h.cancel(A, 1), [rejected(CommandType.CANCEL, ResultCode.UNKNOWN_ORDER, { accountId: A, orderId: 1 })]);
  });

  test('expiry happens before the command that carries the expiry time, so that command cannot trade with it', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5, { tif: TimeInForce.GTD, expireTimeUs: 2 * M });
    h.nowUs = 3 * M;
    assert.deepEqual(h.limit(B, 2, BUY, 100, 1), [h.cancelled(1, ResultCode.EXPIRED, 100, 5, 5), h.accepted(2), h.rested(2, 100, 1)]);
  });

  test('a partly filled GTD order expires with its remainder, earliest expiry first', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5, { tif: TimeInForce.GTD, expireTimeUs: 3 * M });
    h.limit(A, 2, SELL, 101, 4, { tif: TimeInForce.GTD, expireTimeUs: 2 * M });
    h.limit(B, 3, BUY, 100, 2);
    assert.deepEqual(h.clock(5 * M), [h.cancelled(2, ResultCode.EXPIRED, 101, 4, 4), h.cancelled(1, ResultCode.EXPIRED, 100, 3, 3)]);
    assert.deepEqual(h.bal(A, BASE), [M - 2, 0]);
  });

  test('a GTD expiry at or before the command time is EXPIRE_TIME_PASSED', () => {
    const h = market();
    assert.deepEqual(h.limit(A, 1, SELL, 100, 5, { tif: TimeInForce.GTD, expireTimeUs: h.nowUs }), [
      rejected(CommandType.PLACE, ResultCode.EXPIRE_TIME_PASSED, { accountId: A, orderId: 1 }),
    ]);
    assert.deepEqual(h.limit(A, 1, SELL, 100, 5, { tif: TimeInForce.GTD, expireTimeUs: h.nowUs - 1 }), [
      rejected(CommandType.PLACE, ResultCode.EXPIRE_TIME_PASSED, { accountId: A, orderId: 1 }),
    ]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
  });

  test('an expiry time on any other time in force is BAD_EXPIRE_TIME', () => {
    const h = market();
    for (const tif of [TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK]) {
      assert.deepEqual(h.limit(A, 1, SELL, 100, 5, { tif, expireTimeUs: 5 * M }), [
        rejected(CommandType.PLACE, ResultCode.BAD_EXPIRE_TIME, { accountId: A, orderId: 1 }),
      ], `tif ${tif}`);
    }
  });
});

describe('post-only', () => {
  test('a post-only order that does not cross rests like any limit', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 1);
    assert.deepEqual(h.limit(B, 2, BUY, 99, 3, { flags: OrderFlag.POST_ONLY }), [h.accepted(2), h.rested(2, 99, 3)]);
  });

  test('a post-only order that would cross is rejected with POST_ONLY_WOULD_CROSS and reserves nothing', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 1);
    h.limit(A, 2, BUY, 98, 1);
    assert.deepEqual(h.limit(B, 3, BUY, 100, 3, { flags: OrderFlag.POST_ONLY }), [
      rejected(CommandType.PLACE, ResultCode.POST_ONLY_WOULD_CROSS, { accountId: B, orderId: 3 }),
    ]);
    assert.deepEqual(h.limit(B, 4, SELL, 98, 3, { flags: OrderFlag.POST_ONLY }), [
      rejected(CommandType.PLACE, ResultCode.POST_ONLY_WOULD_CROSS, { accountId: B, orderId: 4 }),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M, 0]);
    assert.deepEqual(h.bal(B, BASE), [M, 0]);
    assert.deepEqual(h.ids(SELL), [1]);
    assert.deepEqual(h.ids(BUY), [2]);
  });

  test('post-only with GTD rests', () => {
    const h = market();
    assert.deepEqual(h.limit(B, 2, BUY, 99, 3, { flags: OrderFlag.POST_ONLY, tif: TimeInForce.GTD, expireTimeUs: 9 * M }), [h.accepted(2), h.rested(2, 99, 3)]);
  });

  test('BAD_FLAGS: post-only with IOC, FOK, market or stop, and unknown flag bits', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 1);
    const cases = [
      { tif: TimeInForce.IOC, priceTicks: 90 },
      { tif: TimeInForce.FOK, priceTicks: 100 },
      { orderType: OrderType.MARKET, tif: TimeInForce.IOC, priceTicks: 0, quoteBudget: 1000 },
      { orderType: OrderType.STOP_LIMIT, priceTicks: 90, stopPriceTicks: 95 },
      { orderType: OrderType.STOP_MARKET, priceTicks: 0, stopPriceTicks: 95, quoteBudget: 1000 },
    ];
    for (const c of cases) {
      assert.deepEqual(h.place({ accountId: B, orderId: 2, side: BUY, qtyLots: 1, flags: OrderFlag.POST_ONLY, ...c }), [
        rejected(CommandType.PLACE, ResultCode.BAD_FLAGS, { accountId: B, orderId: 2 }),
      ], JSON.stringify(c));
    }
    assert.deepEqual(h.limit(B, 2, BUY, 90, 1, { flags: 2 }), [rejected(CommandType.PLACE, ResultCode.BAD_FLAGS, { accountId: B, orderId: 2 })]);
    assert.deepEqual(h.limit(B, 2, BUY, 90, 1, { flags: 0x80 | OrderFlag.POST_ONLY }), [rejected(CommandType.PLACE, ResultCode.BAD_FLAGS, { accountId: B, orderId: 2 })]);
    assert.deepEqual(h.bal(B, QUOTE), [M, 0]);
  });
});
