// Proves market orders: sweeping levels, the protection band, the buy budget (required, exhausted), empty books, allowed times in force and market FOK.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OrderType, TimeInForce } from '../../engine/commands.ts';
import { A, B, BASE, BUY, C, CommandType, QUOTE, ResultCode, SELL, market, names, rejected, type Harness, type PlaceInput } from './harness.ts';

const M = 1_000_000;

function marketOrder(h: Harness, accountId: number, orderId: number, side: number, qtyLots: number, extra: Partial<PlaceInput> = {}) {
  return h.place({ tif: TimeInForce.IOC, ...extra, orderType: OrderType.MARKET, accountId, orderId, side, qtyLots });
}

describe('market sweeps', () => {
  test('a market sell sweeps the bids best first and its unfilled rest is cancelled with UNFILLED_MARKET', () => {
    const h = market();
    h.limit(A, 1, BUY, 100, 2);
    h.limit(A, 2, BUY, 99, 2);
    assert.deepEqual(marketOrder(h, B, 3, SELL, 5), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 2, takerLeaves: 3, makerLeaves: 0 }),
      h.trade({ taker: 3, maker: 2, px: 99, qty: 2, takerLeaves: 1, makerLeaves: 0 }),
      h.cancelled(3, ResultCode.UNFILLED_MARKET, 0, 1),
    ]);
    assert.deepEqual(h.bids(), []);
    assert.deepEqual(h.bal(B, BASE), [M - 4, 0], 'the unfilled lot is released');
    assert.deepEqual(h.bal(B, QUOTE), [M + 398, 0]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 398, 0]);
  });

  test('a market buy sweeps the asks within its budget and the unspent budget is released', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    h.limit(A, 2, SELL, 101, 2);
    assert.deepEqual(marketOrder(h, B, 3, BUY, 3, { quoteBudget: 1_000 }), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 2, takerLeaves: 1, makerLeaves: 0 }),
      h.trade({ taker: 3, maker: 2, px: 101, qty: 1, takerLeaves: 0, makerLeaves: 1 }),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 301, 0]);
    assert.deepEqual(h.bal(B, BASE), [M + 3, 0]);
  });

  test('a market order on an empty book is cancelled whole with UNFILLED_MARKET and releases everything', () => {
    const h = market();
    assert.deepEqual(marketOrder(h, B, 3, BUY, 3, { quoteBudget: 1_000 }), [h.accepted(3), h.cancelled(3, ResultCode.UNFILLED_MARKET, 0, 3)]);
    assert.deepEqual(marketOrder(h, B, 4, SELL, 3), [h.accepted(4), h.cancelled(4, ResultCode.UNFILLED_MARKET, 0, 3)]);
    assert.deepEqual(h.bal(B, QUOTE), [M, 0]);
    assert.deepEqual(h.bal(B, BASE), [M, 0]);
  });
});

describe('market buy budget', () => {
  test('a market buy needs a budget: MARKET_BUY_NEEDS_BUDGET', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    assert.deepEqual(marketOrder(h, B, 3, BUY, 1), [rejected(CommandType.PLACE, ResultCode.MARKET_BUY_NEEDS_BUDGET, { accountId: B, orderId: 3 })]);
    assert.deepEqual(marketOrder(h, B, 3, BUY, 1, { tif: TimeInForce.FOK }), [rejected(CommandType.PLACE, ResultCode.MARKET_BUY_NEEDS_BUDGET, { accountId: B, orderId: 3 })]);
  });

  test('a budget that runs out stops the buy with BUDGET_EXHAUSTED', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5);
    assert.deepEqual(marketOrder(h, B, 3, BUY, 5, { quoteBudget: 250 }), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 2, takerLeaves: 3, makerLeaves: 3 }),
      h.cancelled(3, ResultCode.BUDGET_EXHAUSTED, 0, 3),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 200, 0], 'the 50 left of the budget is released');
    assert.deepEqual(h.asks(), [{ orderId: 1, accountId: A, priceTicks: 100, openQtyLots: 3, visibleQtyLots: 3 }]);
  });

  test('the budget is counted across levels: it buys what it can afford at the next price', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 1);
    h.limit(A, 2, SELL, 150, 2);
    assert.deepEqual(marketOrder(h, B, 3, BUY, 3, { quoteBudget: 300 }), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 1, takerLeaves: 2, makerLeaves: 0 }),
      h.trade({ taker: 3, maker: 2, px: 150, qty: 1, takerLeaves: 1, makerLeaves: 1 }),
      h.cancelled(3, ResultCode.BUDGET_EXHAUSTED, 0, 1),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 250, 0]);
  });

  test('a budget too small for one lot trades nothing', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 1);
    assert.deepEqual(marketOrder(h, B, 3, BUY, 1, { quoteBudget: 99 }), [h.accepted(3), h.cancelled(3, ResultCode.BUDGET_EXHAUSTED, 0, 1)]);
    assert.deepEqual(h.bal(B, QUOTE), [M, 0]);
    assert.equal(h.lastPrice(), 0);
  });

  test('a budget above the available quote, or a sell above the available base, is INSUFFICIENT_BALANCE', () => {
    const h = market({ base: 10, quote: 1_000 });
    h.limit(A, 1, SELL, 100, 2);
    assert.deepEqual(marketOrder(h, B, 3, BUY, 1, { quoteBudget: 1_001 }), [rejected(CommandType.PLACE, ResultCode.INSUFFICIENT_BALANCE, { accountId: B, orderId: 3 })]);
    assert.deepEqual(marketOrder(h, B, 3, SELL, 11), [rejected(CommandType.PLACE, ResultCode.INSUFFICIENT_BALANCE, { accountId: B, orderId: 3 })]);
    assert.deepEqual(names(marketOrder(h, B, 3, BUY, 1, { quoteBudget: 1_000 })), ['ORDER_ACCEPTED', 'TRADE']);
    assert.deepEqual(h.bal(B, QUOTE), [900, 0]);
  });
});

describe('market protection band', () => {
  test('a market buy trades no further than protectionBps above the best ask it met (rounded down)', () => {
    const h = market({ symbol: { protectionBps: 500 } });
    h.limit(A, 1, SELL, 99, 1);
    h.limit(A, 2, SELL, 103, 1);
    h.limit(A, 3, SELL, 104, 1);
    // 99 * 1.05 = 103.95: the bound is 103.
    assert.deepEqual(marketOrder(h, B, 4, BUY, 3, { quoteBudget: 10_000 }), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 1, px: 99, qty: 1, takerLeaves: 2, makerLeaves: 0 }),
      h.trade({ taker: 4, maker: 2, px: 103, qty: 1, takerLeaves: 1, makerLeaves: 0 }),
      h.cancelled(4, ResultCode.PROTECTION_BAND_REACHED, 0, 1),
    ]);
    assert.deepEqual(h.ids(SELL), [3]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 202, 0]);
  });

  test('a market sell trades no further than protectionBps below the best bid it met (rounded up)', () => {
    const h = market({ symbol: { protectionBps: 500 } });
    h.limit(A, 1, BUY, 99, 1);
    h.limit(A, 2, BUY, 95, 1);
    h.limit(A, 3, BUY, 94, 1);
    // 99 * 0.95 = 94.05: the bound is 95.
    assert.deepEqual(marketOrder(h, B, 4, SELL, 3), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 1, px: 99, qty: 1, takerLeaves: 2, makerLeaves: 0 }),
      h.trade({ taker: 4, maker: 2, px: 95, qty: 1, takerLeaves: 1, makerLeaves: 0 }),
      h.cancelled(4, ResultCode.PROTECTION_BAND_REACHED, 0, 1),
    ]);
    assert.deepEqual(h.ids(BUY), [3]);
    assert.deepEqual(h.bal(B, BASE), [M - 2, 0]);
  });

  test('without a protection band a market order sweeps every level', () => {
    const h = market();
    h.limit(A, 1, BUY, 1_000, 1);
    h.limit(A, 2, BUY, 1, 1);
    assert.deepEqual(names(marketOrder(h, B, 4, SELL, 2)), ['ORDER_ACCEPTED', 'TRADE', 'TRADE']);
    assert.equal(h.lastPrice(), 1);
  });
});

describe('market times in force', () => {
  test('a market order must be IOC or FOK: MARKET_NOT_ALLOWED_TIF', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    assert.deepEqual(marketOrder(h, B, 3, SELL, 1, { tif: TimeInForce.GTC }), [rejected(CommandType.PLACE, ResultCode.MARKET_NOT_ALLOWED_TIF, { accountId: B, orderId: 3 })]);
    assert.deepEqual(marketOrder(h, B, 3, BUY, 1, { tif: TimeInForce.GTD, expireTimeUs: 5 * M, quoteBudget: 500 }), [
      rejected(CommandType.PLACE, ResultCode.MARKET_NOT_ALLOWED_TIF, { accountId: B, orderId: 3 }),
    ]);
  });

  test('a market FOK that can fill in full trades', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    h.limit(A, 2, SELL, 200, 2);
    assert.deepEqual(marketOrder(h, B, 3, BUY, 3, { tif: TimeInForce.FOK, quoteBudget: 400 }), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 100, qty: 2, takerLeaves: 1, makerLeaves: 0 }),
      h.trade({ taker: 3, maker: 2, px: 200, qty: 1, takerLeaves: 0, makerLeaves: 1 }),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 400, 0]);
  });

  test('a market FOK is rejected with FOK_NOT_FILLABLE when depth, budget or protection band fall short', () => {
    const h = market({ symbol: { protectionBps: 1_000 } });
    h.limit(A, 1, SELL, 100, 2);
    h.limit(A, 2, SELL, 110, 2);
    h.limit(A, 3, SELL, 111, 10);
    const fok = { tif: TimeInForce.FOK } as const;
    const notFillable = [rejected(CommandType.PLACE, ResultCode.FOK_NOT_FILLABLE, { accountId: B, orderId: 4 })];
    assert.deepEqual(marketOrder(h, B, 4, BUY, 5, { ...fok, quoteBudget: 10_000 }), notFillable, 'the band stops at 110: 4 lots');
    assert.deepEqual(marketOrder(h, B, 4, BUY, 3, { ...fok, quoteBudget: 309 }), notFillable, '3 lots cost 310');
    assert.deepEqual(marketOrder(h, C, 4, SELL, 1, fok), [rejected(CommandType.PLACE, ResultCode.FOK_NOT_FILLABLE, { accountId: C, orderId: 4 })], 'no bids');
    assert.deepEqual(h.ids(SELL), [1, 2, 3]);
    assert.deepEqual(h.bal(B, QUOTE), [M, 0]);
    assert.deepEqual(names(marketOrder(h, B, 4, BUY, 3, { ...fok, quoteBudget: 310 })), ['ORDER_ACCEPTED', 'TRADE', 'TRADE']);
  });
});
