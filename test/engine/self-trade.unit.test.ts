// Proves self-trade prevention: every mode with its cancel reason codes, decrement with smaller/equal/larger takers and icebergs, the taker's mode deciding, and FOK with STP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OrderType, StpMode, TimeInForce } from '../../engine/commands.ts';
import { A, B, BASE, BUY, CommandType, QUOTE, ResultCode, SELL, market, rejected, type Harness } from './harness.ts';

const M = 1_000_000;

/** Asks at 100: B #1 x1, A #2 x2, B #3 x2 (queue order). */
function mixedAsks(): Harness {
  const h = market();
  h.limit(B, 1, SELL, 100, 1);
  h.limit(A, 2, SELL, 100, 2);
  h.limit(B, 3, SELL, 100, 2);
  return h;
}

describe('self-trade prevention modes', () => {
  test('NONE: an account trades with itself, both sides settled to the same account', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    assert.deepEqual(h.limit(A, 2, BUY, 100, 1), [h.accepted(2), h.trade({ taker: 2, maker: 1, px: 100, qty: 1, takerLeaves: 0, makerLeaves: 1 })]);
    assert.deepEqual(h.bal(A, BASE), [M - 1, 1]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });

  test('CANCEL_NEWEST: the taker trades up to its own order, then its remainder is cancelled', () => {
    const h = mixedAsks();
    assert.deepEqual(h.limit(A, 4, BUY, 100, 4, { stp: StpMode.CANCEL_NEWEST }), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 1, px: 100, qty: 1, takerLeaves: 3, makerLeaves: 0 }),
      h.cancelled(4, ResultCode.STP_CANCEL_NEWEST, 100, 3),
    ]);
    assert.deepEqual(h.ids(SELL), [2, 3]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 100, 0]);
  });

  test('CANCEL_OLDEST: the resting own order is cancelled and the taker goes on matching', () => {
    const h = mixedAsks();
    assert.deepEqual(h.limit(A, 4, BUY, 100, 4, { stp: StpMode.CANCEL_OLDEST }), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 1, px: 100, qty: 1, takerLeaves: 3, makerLeaves: 0 }),
      h.cancelled(2, ResultCode.STP_CANCEL_OLDEST, 100, 2, 2),
      h.trade({ taker: 4, maker: 3, px: 100, qty: 2, takerLeaves: 1, makerLeaves: 0 }),
      h.rested(4, 100, 1),
    ]);
    assert.deepEqual(h.bal(A, BASE), [M + 3, 0], 'the cancelled maker released its base');
    assert.deepEqual(h.bal(A, QUOTE), [M - 400, 100]);
  });

  test('CANCEL_BOTH: the resting own order and the taker remainder are both cancelled', () => {
    const h = mixedAsks();
    assert.deepEqual(h.limit(A, 4, BUY, 100, 4, { stp: StpMode.CANCEL_BOTH }), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 1, px: 100, qty: 1, takerLeaves: 3, makerLeaves: 0 }),
      h.cancelled(2, ResultCode.STP_CANCEL_BOTH, 100, 2, 2),
      h.cancelled(4, ResultCode.STP_CANCEL_BOTH, 100, 3),
    ]);
    assert.deepEqual(h.ids(SELL), [3]);
    assert.deepEqual(h.bal(A, BASE), [M + 1, 0]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 100, 0]);
  });

  test('the taker mode decides: a maker with CANCEL_NEWEST does not stop a NONE taker', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2, { stp: StpMode.CANCEL_NEWEST });
    assert.deepEqual(h.limit(A, 2, BUY, 100, 2), [h.accepted(2), h.trade({ taker: 2, maker: 1, px: 100, qty: 2, takerLeaves: 0, makerLeaves: 0 })]);
  });

  test('the taker mode decides: a CANCEL_OLDEST taker cancels a NONE maker', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    assert.deepEqual(h.limit(A, 2, BUY, 100, 2, { stp: StpMode.CANCEL_OLDEST }), [
      h.accepted(2),
      h.cancelled(1, ResultCode.STP_CANCEL_OLDEST, 100, 2, 2),
      h.rested(2, 100, 2),
    ]);
    assert.deepEqual(h.asks(), []);
  });

  test('a sell taker with STP meets its own bid the same way', () => {
    const h = market();
    h.limit(A, 1, BUY, 100, 2);
    h.limit(B, 2, BUY, 99, 2);
    assert.deepEqual(h.limit(A, 3, SELL, 99, 3, { stp: StpMode.CANCEL_OLDEST }), [
      h.accepted(3),
      h.cancelled(1, ResultCode.STP_CANCEL_OLDEST, 100, 2, 2),
      h.trade({ taker: 3, maker: 2, px: 99, qty: 2, takerLeaves: 1, makerLeaves: 0 }),
      h.rested(3, 99, 1),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M + 198, 0]);
  });

  test('an OCO limit leg cancelled by STP takes its stop leg with it, the cause (maker cancel) reported first', () => {
    const h = market();
    h.place({ accountId: A, orderId: 10, side: SELL, orderType: OrderType.OCO, priceTicks: 110, qtyLots: 5, stopPriceTicks: 90, linkedOrderId: 11 });
    assert.deepEqual(h.limit(A, 12, BUY, 110, 2, { stp: StpMode.CANCEL_OLDEST }), [
      h.accepted(12),
      h.cancelled(10, ResultCode.STP_CANCEL_OLDEST, 110, 5, 5),
      h.cancelled(11, ResultCode.OCO_SIBLING_DONE, 0, 5),
      h.rested(12, 110, 2),
    ]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
  });
});

describe('decrement and cancel', () => {
  test('taker smaller than the maker: the maker is decremented and stays, the taker is cancelled', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5);
    assert.deepEqual(h.limit(A, 2, BUY, 100, 2, { stp: StpMode.DECREMENT_AND_CANCEL }), [
      h.accepted(2),
      h.cancelled(1, ResultCode.STP_DECREMENT, 100, 2, 2, 3),
      h.cancelled(2, ResultCode.STP_DECREMENT, 100, 2, 0, 0),
    ]);
    assert.deepEqual(h.asks(), [{ orderId: 1, accountId: A, priceTicks: 100, openQtyLots: 3, visibleQtyLots: 3 }]);
    assert.deepEqual(h.bal(A, BASE), [M - 3, 3]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });

  test('taker equal to the maker: both are cancelled', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 5);
    assert.deepEqual(h.limit(A, 2, BUY, 100, 5, { stp: StpMode.DECREMENT_AND_CANCEL }), [
      h.accepted(2),
      h.cancelled(1, ResultCode.STP_DECREMENT, 100, 5, 5, 0),
      h.cancelled(2, ResultCode.STP_DECREMENT, 100, 5, 0, 0),
    ]);
    assert.deepEqual(h.asks(), []);
    assert.deepEqual(h.bids(), []);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });

  test('taker larger than the maker: the maker is cancelled, the taker decremented goes on and rests', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    h.limit(B, 3, SELL, 100, 2);
    assert.deepEqual(h.limit(A, 2, BUY, 100, 5, { stp: StpMode.DECREMENT_AND_CANCEL }), [
      h.accepted(2),
      h.cancelled(1, ResultCode.STP_DECREMENT, 100, 2, 2, 0),
      h.cancelled(2, ResultCode.STP_DECREMENT, 100, 2, 0, 3),
      h.trade({ taker: 2, maker: 3, px: 100, qty: 2, takerLeaves: 1, makerLeaves: 0 }),
      h.rested(2, 100, 1),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 300, 100]);
    assert.deepEqual(h.bal(A, BASE), [M + 2, 0]);
  });

  test('an iceberg maker is decremented in its hidden part too and refills when its peak is used up', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 10, { displayQtyLots: 3 });
    h.limit(B, 3, SELL, 100, 1);
    assert.deepEqual(h.limit(A, 2, BUY, 100, 4, { stp: StpMode.DECREMENT_AND_CANCEL }), [
      h.accepted(2),
      h.cancelled(1, ResultCode.STP_DECREMENT, 100, 4, 3, 6),
      h.refilled(1, 100, 3, 6),
      h.cancelled(2, ResultCode.STP_DECREMENT, 100, 4, 0, 0),
    ]);
    assert.deepEqual(h.asks(), [
      { orderId: 3, accountId: B, priceTicks: 100, openQtyLots: 1, visibleQtyLots: 1 },
      { orderId: 1, accountId: A, priceTicks: 100, openQtyLots: 6, visibleQtyLots: 3 },
    ]);
    assert.deepEqual(h.bal(A, BASE), [M - 6, 6]);
    assert.deepEqual(h.limit(A, 4, BUY, 100, 2, { stp: StpMode.DECREMENT_AND_CANCEL }), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 3, px: 100, qty: 1, takerLeaves: 1, makerLeaves: 0 }),
      h.cancelled(1, ResultCode.STP_DECREMENT, 100, 1, 1, 5),
      h.cancelled(4, ResultCode.STP_DECREMENT, 100, 1, 0, 0),
    ]);
    assert.deepEqual(h.levels(SELL), [{ priceTicks: 100, visibleQtyLots: 2, orderCount: 1 }]);
  });

  test('a market sell taker decremented releases the base it no longer needs', () => {
    const h = market();
    h.limit(A, 1, BUY, 100, 2);
    assert.deepEqual(h.place({ accountId: A, orderId: 2, side: SELL, orderType: OrderType.MARKET, tif: TimeInForce.IOC, qtyLots: 3, stp: StpMode.DECREMENT_AND_CANCEL }), [
      h.accepted(2),
      h.cancelled(1, ResultCode.STP_DECREMENT, 100, 2, 2, 0),
      h.cancelled(2, ResultCode.STP_DECREMENT, 0, 2, 0, 1),
      h.cancelled(2, ResultCode.UNFILLED_MARKET, 0, 1),
    ]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });
});

describe('FOK with self-trade prevention', () => {
  test('an own order ahead in the queue makes an FOK unfillable unless CANCEL_OLDEST skips it', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    h.limit(B, 2, SELL, 100, 2);
    const rej = [rejected(CommandType.PLACE, ResultCode.FOK_NOT_FILLABLE, { accountId: A, orderId: 3 })];
    assert.deepEqual(h.limit(A, 3, BUY, 100, 1, { tif: TimeInForce.FOK, stp: StpMode.CANCEL_NEWEST }), rej);
    assert.deepEqual(h.limit(A, 3, BUY, 100, 3, { tif: TimeInForce.FOK, stp: StpMode.CANCEL_OLDEST }), rej, 'only 2 lots are not its own');
    assert.deepEqual(h.ids(SELL), [1, 2], 'a rejected FOK cancels nothing');
    assert.deepEqual(h.limit(A, 3, BUY, 100, 2, { tif: TimeInForce.FOK, stp: StpMode.CANCEL_OLDEST }), [
      h.accepted(3),
      h.cancelled(1, ResultCode.STP_CANCEL_OLDEST, 100, 2, 2),
      h.trade({ taker: 3, maker: 2, px: 100, qty: 2, takerLeaves: 0, makerLeaves: 0 }),
    ]);
  });

  test('a market FOK buy with STP is still bounded by its budget: no partial fill', () => {
    const h = market();
    h.limit(B, 1, SELL, 100, 5);
    h.limit(A, 2, SELL, 100, 1);
    // 5 lots of other accounts sit before A's own order, but the budget buys only 2 of them.
    assert.deepEqual(h.place({ accountId: A, orderId: 3, side: BUY, orderType: OrderType.MARKET, tif: TimeInForce.FOK, qtyLots: 5, quoteBudget: 200, stp: StpMode.CANCEL_NEWEST }), [
      rejected(CommandType.PLACE, ResultCode.FOK_NOT_FILLABLE, { accountId: A, orderId: 3 }),
    ]);
    assert.deepEqual(h.ids(SELL), [1, 2]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });
});
