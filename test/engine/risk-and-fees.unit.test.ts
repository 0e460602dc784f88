// Proves risk and fees: reservations and their release, maker/taker fees in the received asset rounded up exactly, balance rejections, deposits and withdrawals.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OrderType, TimeInForce } from '../../engine/commands.ts';
import { feeOf } from '../../engine/fees.ts';
import { A, B, BASE, BUY, C, CommandType, QUOTE, ResultCode, SELL, balanceChanged, market, rejected } from './harness.ts';

const M = 1_000_000;
const MAX = Number.MAX_SAFE_INTEGER;

/** ceil(amount * bps / 10,000) in BigInt: the definition feeOf must meet. */
function exactFee(amount: number, bps: number): number {
  return Number((BigInt(amount) * BigInt(bps) + 9_999n) / 10_000n);
}

describe('feeOf', () => {
  test('rounds up to the next minor unit', () => {
    assert.equal(feeOf(0, 10), 0);
    assert.equal(feeOf(1, 1), 1);
    assert.equal(feeOf(10_000, 1), 1);
    assert.equal(feeOf(10_001, 1), 2);
    assert.equal(feeOf(19_999, 1), 2);
    assert.equal(feeOf(24_690, 10), 25);
    assert.equal(feeOf(123, 0), 0);
    assert.equal(feeOf(9_999, 10_000), 9_999);
    assert.equal(feeOf(MAX, 10_000), MAX);
    assert.equal(feeOf(MAX, 1), 900_719_925_475);
  });

  test('is exact where the float product is not', () => {
    const cases: [number, number][] = [
      [7_452_061_830_446_667, 3], [3_539_177_222_647_143, 7], [7_406_038_654_320_401, 25], [8_952_871_781_731_667, 30],
      [7_173_075_459_070_607, 33], [8_916_456_570_059_697, 99], [7_965_032_838_114_153, 9_999],
    ];
    for (const [amount, bps] of cases) {
      assert.notEqual(Math.ceil((amount * bps) / 10_000), exactFee(amount, bps), `the float formula must be wrong for ${amount} x ${bps}`);
      assert.equal(feeOf(amount, bps), exactFee(amount, bps), `${amount} x ${bps}`);
    }
  });
});

describe('fees on trades', () => {
  test('the buyer pays its fee in base and the seller in quote, maker and taker at their own rates', () => {
    const h = market({ symbol: { baseUnitsPerLot: 1_000, makerFeeBps: 10, takerFeeBps: 20 } });
    h.limit(A, 1, SELL, 12_345, 2);
    // Maker (seller) fee: ceil(24,690 x 10 / 10,000) = 25 quote; taker (buyer) fee: ceil(2,000 x 20 / 10,000) = 4 base.
    assert.deepEqual(h.limit(B, 2, BUY, 12_345, 2), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 12_345, qty: 2, takerLeaves: 0, makerLeaves: 0, takerFee: 4, makerFee: 25 }),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M + 24_690 - 25, 0]);
    assert.deepEqual(h.bal(A, BASE), [M - 2_000, 0]);
    assert.deepEqual(h.bal(B, BASE), [M + 2_000 - 4, 0]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 24_690, 0]);
    assert.equal(h.feesCollected(BASE), 4);
    assert.equal(h.feesCollected(QUOTE), 25);
  });

  test('a selling taker pays the taker rate in quote, the buying maker the maker rate in base', () => {
    const h = market({ symbol: { baseUnitsPerLot: 1_000, makerFeeBps: 10, takerFeeBps: 20 } });
    h.limit(A, 1, BUY, 12_345, 2);
    // Taker (seller): ceil(24,690 x 20 / 10,000) = 50 quote; maker (buyer): ceil(2,000 x 10 / 10,000) = 2 base.
    assert.deepEqual(h.limit(B, 2, SELL, 12_000, 2), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 12_345, qty: 2, takerLeaves: 0, makerLeaves: 0, takerFee: 50, makerFee: 2 }),
    ]);
    assert.deepEqual(h.bal(B, QUOTE), [M + 24_690 - 50, 0]);
    assert.deepEqual(h.bal(A, BASE), [M + 2_000 - 2, 0]);
    assert.equal(h.feesCollected(BASE), 2);
    assert.equal(h.feesCollected(QUOTE), 50);
  });

  test('each fill is charged on its own, rounded up each time', () => {
    const h = market({ symbol: { makerFeeBps: 0, takerFeeBps: 1 } });
    h.limit(A, 1, SELL, 101, 1);
    h.limit(A, 2, SELL, 103, 1);
    assert.deepEqual(h.limit(B, 3, BUY, 103, 2), [
      h.accepted(3),
      h.trade({ taker: 3, maker: 1, px: 101, qty: 1, takerLeaves: 1, makerLeaves: 0, takerFee: 1 }),
      h.trade({ taker: 3, maker: 2, px: 103, qty: 1, takerLeaves: 0, makerLeaves: 0, takerFee: 1 }),
    ]);
    assert.deepEqual(h.bal(B, BASE), [M + 2 - 2, 0]);
    assert.equal(h.feesCollected(BASE), 2);
    assert.equal(h.feesCollected(QUOTE), 0);
  });

  test('a fee on a notional near 2^53 is exact (the float product would be one unit short)', () => {
    const notional = 7_452_061_830_446_667;
    const h = market({ base: 10, quote: 0, symbol: { priceTicksMax: 1, maxQtyLots: 1, quoteUnitsPerTickLot: notional, makerFeeBps: 1, takerFeeBps: 3 } });
    h.deposit(B, QUOTE, notional);
    h.limit(B, 1, BUY, 1, 1);
    assert.deepEqual(h.limit(A, 2, SELL, 1, 1), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 1, qty: 1, takerLeaves: 0, makerLeaves: 0, takerFee: 2_235_618_549_135, makerFee: 1 }),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [notional - 2_235_618_549_135, 0]);
    assert.deepEqual(h.bal(B, BASE), [10, 0], 'the one base unit bought is all fee (rounded up)');
    assert.equal(h.feesCollected(QUOTE), 2_235_618_549_135);
    assert.equal(h.feesCollected(BASE), 1);
  });
});

describe('reservations', () => {
  test('a buy reserves price x quantity x quote units per tick-lot, a sell quantity x base units per lot', () => {
    const h = market({ symbol: { baseUnitsPerLot: 1_000, quoteUnitsPerTickLot: 7 } });
    h.limit(A, 1, BUY, 11, 3);
    h.limit(B, 2, SELL, 12, 3);
    assert.deepEqual(h.bal(A, QUOTE), [M - 231, 231]);
    assert.deepEqual(h.bal(B, BASE), [M - 3_000, 3_000]);
    h.cancel(A, 1);
    h.cancel(B, 2);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
    assert.deepEqual(h.bal(B, BASE), [M, 0]);
  });

  test('a fill settles in units and the resting remainder keeps exactly its need', () => {
    const h = market({ symbol: { baseUnitsPerLot: 1_000, quoteUnitsPerTickLot: 7 } });
    h.limit(B, 1, SELL, 10, 1);
    assert.deepEqual(h.limit(A, 2, BUY, 12, 3), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 10, qty: 1, takerLeaves: 2, makerLeaves: 0 }),
      h.rested(2, 12, 2),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [M - 70 - 168, 168]);
    assert.deepEqual(h.bal(A, BASE), [M + 1_000, 0]);
    assert.deepEqual(h.bal(B, QUOTE), [M + 70, 0]);
  });

  test('an IOC remainder, a market budget remainder and an expiry all release', () => {
    const h = market();
    h.limit(B, 1, SELL, 100, 1);
    h.limit(A, 2, BUY, 105, 3, { tif: TimeInForce.IOC });
    assert.deepEqual(h.bal(A, QUOTE), [M - 100, 0]);
    h.limit(B, 3, SELL, 100, 1);
    h.place({ accountId: A, orderId: 4, side: BUY, orderType: OrderType.MARKET, tif: TimeInForce.IOC, qtyLots: 3, quoteBudget: 5_000 });
    assert.deepEqual(h.bal(A, QUOTE), [M - 200, 0]);
    h.limit(A, 5, BUY, 90, 3, { tif: TimeInForce.GTD, expireTimeUs: 2 * M });
    assert.deepEqual(h.bal(A, QUOTE), [M - 200 - 270, 270]);
    h.clock(2 * M);
    assert.deepEqual(h.bal(A, QUOTE), [M - 200, 0]);
  });

  test('an order needing exactly the available balance is accepted; one unit more is INSUFFICIENT_BALANCE', () => {
    const h = market({ base: 5, quote: 500 });
    assert.deepEqual(h.limit(A, 1, BUY, 100, 5), [h.accepted(1), h.rested(1, 100, 5)]);
    assert.deepEqual(h.limit(A, 2, BUY, 1, 1), [rejected(CommandType.PLACE, ResultCode.INSUFFICIENT_BALANCE, { accountId: A, orderId: 2 })]);
    assert.deepEqual(h.limit(B, 3, SELL, 200, 6), [rejected(CommandType.PLACE, ResultCode.INSUFFICIENT_BALANCE, { accountId: B, orderId: 3 })]);
    assert.deepEqual(h.limit(B, 3, SELL, 200, 5), [h.accepted(3), h.rested(3, 200, 5)]);
    assert.deepEqual(h.place({ accountId: C, orderId: 4, side: BUY, orderType: OrderType.STOP_LIMIT, stopPriceTicks: 150, priceTicks: 101, qtyLots: 5 }), [
      rejected(CommandType.PLACE, ResultCode.INSUFFICIENT_BALANCE, { accountId: C, orderId: 4 }),
    ]);
    assert.deepEqual(h.bal(A, QUOTE), [0, 500]);
  });
});

describe('deposits and withdrawals', () => {
  test('a deposit and a withdrawal report the amount and the new balance', () => {
    const h = market({ base: 0, quote: 0 });
    h.deposit(A, QUOTE, 1_000);
    assert.deepEqual(h.balanceChanges, [balanceChanged(A, QUOTE, CommandType.DEPOSIT, 1_000, 1_000, 0)]);
    h.limit(A, 1, BUY, 100, 3);
    h.withdraw(A, QUOTE, 700);
    assert.deepEqual(h.balanceChanges, [balanceChanged(A, QUOTE, CommandType.WITHDRAW, 700, 0, 300)]);
    assert.deepEqual(h.bal(A, QUOTE), [0, 300]);
  });

  test('withdrawing more than is available (reserved funds included) is INSUFFICIENT_BALANCE', () => {
    const h = market({ base: 0, quote: 1_000 });
    h.limit(A, 1, BUY, 100, 3);
    assert.deepEqual(h.withdraw(A, QUOTE, 701), [rejected(CommandType.WITHDRAW, ResultCode.INSUFFICIENT_BALANCE, { accountId: A })]);
    assert.deepEqual(h.withdraw(A, BASE, 1), [rejected(CommandType.WITHDRAW, ResultCode.INSUFFICIENT_BALANCE, { accountId: A })]);
    assert.deepEqual(h.bal(A, QUOTE), [700, 300]);
  });

  test('deposit rejections: unknown account or asset, amount not positive or not a safe integer', () => {
    const h = market();
    assert.deepEqual(h.deposit(9, QUOTE, 1), [rejected(CommandType.DEPOSIT, ResultCode.UNKNOWN_ACCOUNT, { accountId: 9 })]);
    assert.deepEqual(h.deposit(A, 7, 1), [rejected(CommandType.DEPOSIT, ResultCode.UNKNOWN_ASSET, { accountId: A })]);
    assert.deepEqual(h.deposit(A, QUOTE, 0), [rejected(CommandType.DEPOSIT, ResultCode.AMOUNT_NOT_POSITIVE, { accountId: A })]);
    assert.deepEqual(h.deposit(A, QUOTE, 1.5), [rejected(CommandType.DEPOSIT, ResultCode.NOT_SAFE_INTEGER, { accountId: A })]);
    assert.deepEqual(h.deposit(A, QUOTE, MAX + 1), [rejected(CommandType.DEPOSIT, ResultCode.NOT_SAFE_INTEGER, { accountId: A })]);
    assert.deepEqual(h.withdraw(9, QUOTE, 1), [rejected(CommandType.WITHDRAW, ResultCode.UNKNOWN_ACCOUNT, { accountId: 9 })]);
    assert.deepEqual(h.withdraw(A, QUOTE, 0), [rejected(CommandType.WITHDRAW, ResultCode.AMOUNT_NOT_POSITIVE, { accountId: A })]);
    assert.deepEqual(h.bal(A, QUOTE), [M, 0]);
  });

  test('deposits whose total for an asset would pass 2^53 - 1 are BALANCE_OVERFLOW', () => {
    const h = market({ base: 0, quote: 0 });
    h.deposit(A, QUOTE, MAX - 10);
    assert.deepEqual(h.balanceChanges, [balanceChanged(A, QUOTE, CommandType.DEPOSIT, MAX - 10, MAX - 10, 0)]);
    assert.deepEqual(h.deposit(B, QUOTE, 11), [rejected(CommandType.DEPOSIT, ResultCode.BALANCE_OVERFLOW, { accountId: B })]);
    h.deposit(B, QUOTE, 10);
    assert.deepEqual(h.balanceChanges, [balanceChanged(B, QUOTE, CommandType.DEPOSIT, 10, 10, 0)]);
    h.withdraw(A, QUOTE, 5);
    h.deposit(C, QUOTE, 5);
    assert.deepEqual(h.balanceChanges, [balanceChanged(C, QUOTE, CommandType.DEPOSIT, 5, 5, 0)], 'a withdrawal makes room');
    h.deposit(C, BASE, MAX);
    assert.deepEqual(h.balanceChanges, [balanceChanged(C, BASE, CommandType.DEPOSIT, MAX, MAX, 0)], 'another asset has its own total');
  });
});

describe('risk off', () => {
  test('without risk, orders need no balance, market buys no budget, and nothing is reserved or settled', () => {
    const h = market({ config: { riskEnabled: false }, base: 0, quote: 0 });
    assert.deepEqual(h.limit(A, 1, SELL, 100, 5), [h.accepted(1), h.rested(1, 100, 5)]);
    assert.deepEqual(h.place({ accountId: B, orderId: 2, side: BUY, orderType: OrderType.MARKET, tif: TimeInForce.IOC, qtyLots: 2 }), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 100, qty: 2, takerLeaves: 0, makerLeaves: 3 }),
    ]);
    assert.deepEqual([h.bal(A, BASE), h.bal(A, QUOTE), h.bal(B, BASE), h.bal(B, QUOTE)], [[0, 0], [0, 0], [0, 0], [0, 0]]);
  });
});
