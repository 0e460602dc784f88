// Proves assets, accounts and the symbol lifecycle (add, halt, resume, close), price bands, every place validation code, every capacity limit and the command-level errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OrderType, StpMode, SymbolStatus, TimeInForce, commandToBytes, placeCommand } from '../../engine/commands.ts';
import { COMMAND_SIZE_BYTES, writeU64 } from '../../engine/schema.ts';
import { A, B, BASE, BUY, C, CommandType, DEFAULT_SYMBOL, Harness, QUOTE, ResultCode, SELL, market, massCancelDone, rejected, symbolStatus } from './harness.ts';

const M = 1_000_000;
const TWO_POW_53 = 2 ** 53;

describe('assets and accounts', () => {
  test('assets and accounts get dense ids in order of creation', () => {
    const h = new Harness();
    assert.deepEqual(h.addAsset('BTC', 8), [{ event: 'ASSET_ADDED', assetId: 0, scale: 8, name: 'BTC' }]);
    assert.deepEqual(h.addAsset('USD.x-1:@', 2), [{ event: 'ASSET_ADDED', assetId: 1, scale: 2, name: 'USD.x-1:@' }]);
    assert.deepEqual(h.createAccount('alice'), [{ event: 'ACCOUNT_CREATED', accountId: 0, name: 'alice' }]);
    assert.deepEqual(h.createAccount('bob'), [{ event: 'ACCOUNT_CREATED', accountId: 1, name: 'bob' }]);
  });

  test('BAD_NAME, NAME_TAKEN and BAD_SCALE', () => {
    const h = new Harness();
    h.addAsset('BTC', 8);
    h.createAccount('alice');
    for (const name of ['', 'a b', 'x'.repeat(33), 'ü']) {
      assert.deepEqual(h.addAsset(name), [rejected(CommandType.ADD_ASSET, ResultCode.BAD_NAME)], `asset ${JSON.stringify(name)}`);
      assert.deepEqual(h.createAccount(name), [rejected(CommandType.CREATE_ACCOUNT, ResultCode.BAD_NAME)], `account ${JSON.stringify(name)}`);
    }
    assert.deepEqual(h.addAsset('x'.repeat(32), 0), [{ event: 'ASSET_ADDED', assetId: 1, scale: 0, name: 'x'.repeat(32) }]);
    assert.deepEqual(h.addAsset('BTC'), [rejected(CommandType.ADD_ASSET, ResultCode.NAME_TAKEN)]);
    assert.deepEqual(h.createAccount('alice'), [rejected(CommandType.CREATE_ACCOUNT, ResultCode.NAME_TAKEN)]);
    assert.deepEqual(h.addAsset('ETH', 19), [rejected(CommandType.ADD_ASSET, ResultCode.BAD_SCALE)]);
    assert.deepEqual(h.addAsset('ETH', 18), [{ event: 'ASSET_ADDED', assetId: 2, scale: 18, name: 'ETH' }]);
  });

  test('ASSETS_MAX and ACCOUNTS_MAX', () => {
    const h = new Harness({ assetsMax: 2, accountsMax: 2 });
    h.addAsset('A1');
    h.addAsset('A2');
    assert.deepEqual(h.addAsset('A3'), [rejected(CommandType.ADD_ASSET, ResultCode.ASSETS_MAX)]);
    h.createAccount('x');
    h.createAccount('y');
    assert.deepEqual(h.createAccount('z'), [rejected(CommandType.CREATE_ACCOUNT, ResultCode.ACCOUNTS_MAX)]);
  });
});

describe('adding symbols', () => {
  function venue(config = {}): Harness {
    const h = new Harness(config);
    h.addAsset('BASE', 0);
    h.addAsset('QUOTE', 0);
    h.addAsset('OTHER', 0);
    return h;
  }

  test('SYMBOL_ADDED echoes the specification with a dense id', () => {
    const h = venue();
    const spec = { ...DEFAULT_SYMBOL, bandBps: 300, makerFeeBps: 1, takerFeeBps: 2, protectionBps: 50, minQtyLots: 2, referencePriceTicks: 7 };
    assert.deepEqual(h.addSymbol(spec), [{ event: 'SYMBOL_ADDED', symbolId: 0, ...spec }]);
    assert.deepEqual(h.addSymbol({ name: 'OTHER-QUOTE', baseAssetId: 2 })[0]?.['symbolId'], 1);
  });

  test('BAD_NAME, NAME_TAKEN, UNKNOWN_ASSET and SAME_ASSET', () => {
    const h = venue();
    h.addSymbol();
    const rej = (code: number) => [rejected(CommandType.ADD_SYMBOL, code)];
    assert.deepEqual(h.addSymbol({ name: 'BTC/USD' }), rej(ResultCode.BAD_NAME));
    assert.deepEqual(h.addSymbol({ name: DEFAULT_SYMBOL.name }), rej(ResultCode.NAME_TAKEN));
    assert.deepEqual(h.addSymbol({ name: 'X', baseAssetId: 3 }), rej(ResultCode.UNKNOWN_ASSET));
    assert.deepEqual(h.addSymbol({ name: 'X', quoteAssetId: 9 }), rej(ResultCode.UNKNOWN_ASSET));
    assert.deepEqual(h.addSymbol({ name: 'X', baseAssetId: 1, quoteAssetId: 1 }), rej(ResultCode.SAME_ASSET));
  });

  test('BAD_SYMBOL_PARAMS for every unusable parameter, including bounds that would pass 2^53', () => {
    const h = venue();
    const cases: Record<string, Partial<typeof DEFAULT_SYMBOL>> = {
      'lot units 0': { baseUnitsPerLot: 0 },
      'tick-lot units 0': { quoteUnitsPerTickLot: 0 },
      'min qty 0': { minQtyLots: 0 },
      'min above max': { minQtyLots: 11, maxQtyLots: 10 },
      'price max 0': { priceTicksMax: 0 },
      'price max above 10^11': { priceTicksMax: 100_000_000_001, maxQtyLots: 1 },
      'fractional units': { baseUnitsPerLot: 1.5 },
      'reference above price max': { referencePriceTicks: 1_000_001 },
      'band above 100%': { bandBps: 10_001 },
      'maker fee above 100%': { makerFeeBps: 10_001 },
      'taker fee above 100%': { takerFeeBps: 10_001 },
      'protection above 100%': { protectionBps: 10_001 },
      'notional above 2^53': { priceTicksMax: 1_000_000, maxQtyLots: 1_000_000, quoteUnitsPerTickLot: 10_000 },
      'base amount above 2^53': { maxQtyLots: 1_000_000, baseUnitsPerLot: 10_000_000_000 },
    };
    for (const [what, params] of Object.entries(cases)) {
      assert.deepEqual(h.addSymbol({ name: 'X', ...params }), [rejected(CommandType.ADD_SYMBOL, ResultCode.BAD_SYMBOL_PARAMS)], what);
    }
    // The largest notional that is still a safe integer is accepted.
    assert.equal(h.addSymbol({ name: 'X', priceTicksMax: 1, maxQtyLots: 1, quoteUnitsPerTickLot: Number.MAX_SAFE_INTEGER })[0]?.['event'], 'SYMBOL_ADDED');
    assert.equal(h.addSymbol({ name: 'Y', priceTicksMax: 100_000_000_000, maxQtyLots: 90_071, quoteUnitsPerTickLot: 1 })[0]?.['event'], 'SYMBOL_ADDED');
  });

  test('SYMBOLS_MAX', () => {
    const h = venue({ symbolsMax: 1 });
    h.addSymbol();
    assert.deepEqual(h.addSymbol({ name: 'X' }), [rejected(CommandType.ADD_SYMBOL, ResultCode.SYMBOLS_MAX)]);
  });
});

describe('symbol lifecycle', () => {
  test('halt: new orders are SYMBOL_HALTED, cancels and mass cancels still work; halting twice is SYMBOL_HALTED', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 1);
    h.limit(A, 2, SELL, 101, 1);
    assert.deepEqual(h.halt(), [symbolStatus(0, SymbolStatus.HALTED, 0)]);
    assert.deepEqual(h.limit(B, 3, BUY, 100, 1), [rejected(CommandType.PLACE, ResultCode.SYMBOL_HALTED, { accountId: B, orderId: 3 })]);
    assert.deepEqual(h.halt(), [rejected(CommandType.HALT_SYMBOL, ResultCode.SYMBOL_HALTED)]);
    assert.deepEqual(h.cancel(A, 1), [h.cancelled(1, ResultCode.CANCELLED_BY_OWNER, 100, 1, 1)]);
    assert.deepEqual(h.massCancel(A, 0, 0), [h.cancelled(2, ResultCode.CANCELLED_BY_MASS_CANCEL, 101, 1, 1), massCancelDone(A, 0, 0, 1)]);
    assert.deepEqual(h.bal(A, BASE), [M, 0]);
  });

  test('resume: only a halted symbol (SYMBOL_NOT_HALTED), orders accepted again, unknown symbols rejected', () => {
    const h = market({ symbol: { referencePriceTicks: 100 } });
    assert.deepEqual(h.resume(), [rejected(CommandType.RESUME_SYMBOL, ResultCode.SYMBOL_NOT_HALTED)]);
    h.halt();
    assert.deepEqual(h.resume(1_000_001), [rejected(CommandType.RESUME_SYMBOL, ResultCode.BAD_SYMBOL_PARAMS)]);
    assert.deepEqual(h.resume(), [symbolStatus(0, SymbolStatus.TRADING, 100)], 'reference 0 keeps the current one');
    assert.deepEqual(h.limit(B, 3, BUY, 100, 1), [h.accepted(3), h.rested(3, 100, 1)]);
    assert.deepEqual(h.halt(5), [rejected(CommandType.HALT_SYMBOL, ResultCode.UNKNOWN_SYMBOL, { symbolId: 5 })]);
    assert.deepEqual(h.resume(0, 5), [rejected(CommandType.RESUME_SYMBOL, ResultCode.UNKNOWN_SYMBOL, { symbolId: 5 })]);
    assert.deepEqual(h.close(5), [rejected(CommandType.CLOSE_SYMBOL, ResultCode.UNKNOWN_SYMBOL, { symbolId: 5 })]);
  });

  test('resume with a new reference price before any trade recentres the band', () => {
    const h = market({ symbol: { referencePriceTicks: 100, bandBps: 1_000 } });
    h.halt();
    assert.deepEqual(h.resume(200), [symbolStatus(0, SymbolStatus.TRADING, 200)]);
    assert.deepEqual(h.limit(A, 1, SELL, 200, 1), [h.accepted(1), h.rested(1, 200, 1)]);
    assert.deepEqual(h.limit(A, 2, SELL, 110, 1), [rejected(CommandType.PLACE, ResultCode.PRICE_OUT_OF_BAND, { accountId: A, orderId: 2 })]);
  });

  test('resume with a new reference price after trading recentres the band on it (the status event announces it)', () => {
    const h = market({ symbol: { referencePriceTicks: 100, bandBps: 1_000 } });
    h.limit(B, 901, SELL, 100, 1);
    h.limit(C, 902, BUY, 100, 1);
    h.halt();
    assert.deepEqual(h.resume(200), [symbolStatus(0, SymbolStatus.TRADING, 200)]);
    assert.deepEqual(h.limit(A, 1, SELL, 200, 1), [h.accepted(1), h.rested(1, 200, 1)], 'the band is 180..220 around the new reference');
    assert.deepEqual(h.limit(A, 2, SELL, 110, 1), [rejected(CommandType.PLACE, ResultCode.PRICE_OUT_OF_BAND, { accountId: A, orderId: 2 })]);
  });

  test('close cancels every order with SYMBOL_CLOSING (bids best first, asks best first, buy stops, sell stops), then refuses everything', () => {
    const h = market();
    h.limit(A, 1, BUY, 90, 1);
    h.limit(B, 2, BUY, 91, 2);
    h.limit(A, 3, SELL, 110, 3);
    h.place({ accountId: A, orderId: 4, side: BUY, orderType: OrderType.STOP_LIMIT, stopPriceTicks: 120, priceTicks: 121, qtyLots: 1 });
    h.place({ accountId: B, orderId: 5, side: SELL, orderType: OrderType.STOP_MARKET, stopPriceTicks: 80, qtyLots: 1 });
    h.place({ accountId: C, orderId: 6, side: SELL, orderType: OrderType.OCO, priceTicks: 111, qtyLots: 4, stopPriceTicks: 85, linkedOrderId: 7 });
    assert.deepEqual(h.close(), [
      h.cancelled(2, ResultCode.SYMBOL_CLOSING, 91, 2, 2),
      h.cancelled(1, ResultCode.SYMBOL_CLOSING, 90, 1, 1),
      h.cancelled(3, ResultCode.SYMBOL_CLOSING, 110, 3, 3),
      h.cancelled(6, ResultCode.SYMBOL_CLOSING, 111, 4, 4),
      h.cancelled(7, ResultCode.SYMBOL_CLOSING, 0, 4),
      h.cancelled(4, ResultCode.SYMBOL_CLOSING, 121, 1),
      h.cancelled(5, ResultCode.SYMBOL_CLOSING, 0, 1),
      symbolStatus(0, SymbolStatus.CLOSED, 0),
    ]);
    for (const account of [A, B, C]) {
      assert.deepEqual([h.bal(account, BASE), h.bal(account, QUOTE)], [[M, 0], [M, 0]], `account ${account} released`);
    }
    assert.deepEqual(h.limit(A, 8, BUY, 90, 1), [rejected(CommandType.PLACE, ResultCode.SYMBOL_CLOSED, { accountId: A, orderId: 8 })]);
    assert.deepEqual(h.halt(), [rejected(CommandType.HALT_SYMBOL, ResultCode.SYMBOL_CLOSED)]);
    assert.deepEqual(h.resume(), [rejected(CommandType.RESUME_SYMBOL, ResultCode.SYMBOL_CLOSED)]);
    assert.deepEqual(h.close(), [rejected(CommandType.CLOSE_SYMBOL, ResultCode.SYMBOL_CLOSED)]);
    assert.deepEqual(h.cancel(A, 1), [rejected(CommandType.CANCEL, ResultCode.UNKNOWN_ORDER, { accountId: A, orderId: 1 })]);
  });

  test('a halted symbol can be closed', () => {
    const h = market();
    h.limit(A, 1, BUY, 90, 1);
    h.halt();
    assert.deepEqual(h.close(), [h.cancelled(1, ResultCode.SYMBOL_CLOSING, 90, 1, 1), symbolStatus(0, SymbolStatus.CLOSED, 0)]);
  });
});

describe('price band', () => {
  test('limit prices outside reference +- bandBps are PRICE_OUT_OF_BAND, bounds included in the band', () => {
    const h = market({ symbol: { referencePriceTicks: 100, bandBps: 500 } });
    const out = (account: number, id: number) => [rejected(CommandType.PLACE, ResultCode.PRICE_OUT_OF_BAND, { accountId: account, orderId: id })];
    assert.deepEqual(h.limit(A, 1, SELL, 94, 1), out(A, 1));
    assert.deepEqual(h.limit(A, 1, SELL, 106, 1), out(A, 1));
    assert.deepEqual(h.limit(A, 1, BUY, 94, 1), out(A, 1));
    assert.deepEqual(h.limit(A, 1, BUY, 106, 1, { tif: TimeInForce.IOC }), out(A, 1));
    assert.deepEqual(h.limit(A, 1, SELL, 105, 1), [h.accepted(1), h.rested(1, 105, 1)]);
    assert.deepEqual(h.limit(A, 2, BUY, 95, 1), [h.accepted(2), h.rested(2, 95, 1)]);
  });

  test('the last trade recentres the band', () => {
    const h = market({ symbol: { referencePriceTicks: 100, bandBps: 500 } });
    h.limit(A, 1, SELL, 105, 1);
    h.limit(B, 2, BUY, 105, 1);
    // Centre 105: 99.75 rounds up to 100, 110.25 down to 110.
    const out = (id: number) => [rejected(CommandType.PLACE, ResultCode.PRICE_OUT_OF_BAND, { accountId: A, orderId: id })];
    assert.deepEqual(h.limit(A, 3, BUY, 99, 1), out(3));
    assert.deepEqual(h.limit(A, 3, SELL, 111, 1), out(3));
    assert.deepEqual(h.limit(A, 3, BUY, 100, 1), [h.accepted(3), h.rested(3, 100, 1)]);
    assert.deepEqual(h.limit(A, 4, SELL, 110, 1), [h.accepted(4), h.rested(4, 110, 1)]);
  });

  test('without a reference price the band opens only after the first trade', () => {
    const h = market({ symbol: { bandBps: 100 } });
    assert.deepEqual(h.limit(A, 1, SELL, 1_000, 1), [h.accepted(1), h.rested(1, 1_000, 1)]);
    h.limit(B, 2, BUY, 1_000, 1);
    assert.deepEqual(h.limit(A, 3, SELL, 1_011, 1), [rejected(CommandType.PLACE, ResultCode.PRICE_OUT_OF_BAND, { accountId: A, orderId: 3 })]);
    assert.deepEqual(h.limit(A, 3, SELL, 1_010, 1), [h.accepted(3), h.rested(3, 1_010, 1)]);
  });

  test('market orders are not subject to the band', () => {
    const h = market({ symbol: { referencePriceTicks: 100, bandBps: 500 } });
    h.limit(A, 1, SELL, 105, 1);
    assert.deepEqual(h.place({ accountId: B, orderId: 2, side: BUY, orderType: OrderType.MARKET, tif: TimeInForce.IOC, qtyLots: 1, quoteBudget: 105 }), [
      h.accepted(2),
      h.trade({ taker: 2, maker: 1, px: 105, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
    ]);
  });
});

describe('place validation', () => {
  test('each malformed or out-of-range field has its result code and changes nothing', () => {
    const h = market({ symbol: { minQtyLots: 5, maxQtyLots: 100, priceTicksMax: 1_000 } });
    h.limit(A, 50, SELL, 900, 5);
    const base = { accountId: B, orderId: 1, side: BUY, priceTicks: 100, qtyLots: 10 };
    const cases: [string, Record<string, number>, number, number?][] = [
      ['qty below min', { qtyLots: 4 }, ResultCode.QTY_BELOW_MIN],
      ['qty above max', { qtyLots: 101 }, ResultCode.QTY_ABOVE_MAX],
      ['qty 0', { qtyLots: 0 }, ResultCode.QTY_NOT_POSITIVE],
      ['fractional qty', { qtyLots: 5.5 }, ResultCode.NOT_SAFE_INTEGER],
      ['negative qty', { qtyLots: -5 }, ResultCode.NOT_SAFE_INTEGER],
      ['price above max', { priceTicks: 1_001 }, ResultCode.PRICE_ABOVE_MAX],
      ['price 0', { priceTicks: 0 }, ResultCode.PRICE_NOT_POSITIVE],
      ['price 2^53', { priceTicks: TWO_POW_53 }, ResultCode.NOT_SAFE_INTEGER],
      ['order id 2^53', { orderId: TWO_POW_53 }, ResultCode.NOT_SAFE_INTEGER, 0],
      ['negative budget', { quoteBudget: -1 }, ResultCode.NOT_SAFE_INTEGER],
      ['order id 0', { orderId: 0 }, ResultCode.BAD_ORDER_ID, 0],
      ['side 0', { side: 0 }, ResultCode.BAD_SIDE],
      ['side 3', { side: 3 }, ResultCode.BAD_SIDE],
      ['order type 0', { orderType: 0 }, ResultCode.BAD_ORDER_TYPE],
      ['order type 6', { orderType: 6 }, ResultCode.BAD_ORDER_TYPE],
      ['tif 0', { tif: 0 }, ResultCode.BAD_TIME_IN_FORCE],
      ['tif 5', { tif: 5 }, ResultCode.BAD_TIME_IN_FORCE],
      ['stp 5', { stp: 5 }, ResultCode.BAD_STP_MODE],
      ['duplicate live id', { orderId: 50 }, ResultCode.DUPLICATE_ORDER_ID, 50],
      ['unknown account', { accountId: 9 }, ResultCode.UNKNOWN_ACCOUNT],
      ['unknown symbol', { symbolId: 3 }, ResultCode.UNKNOWN_SYMBOL],
    ];
    for (const [what, change, code, echoedId] of cases) {
      const input = { symbolId: 0, ...base, ...change };
      const expected = rejected(CommandType.PLACE, code, { symbolId: input.symbolId, accountId: input.accountId, orderId: echoedId ?? input.orderId });
      assert.deepEqual(h.place(input), [expected], what);
    }
    assert.deepEqual(h.bal(B, QUOTE), [M, 0]);
    assert.deepEqual(h.ids(SELL), [50]);
    assert.deepEqual(h.ids(BUY), []);
  });

  test('enum and flag fields must be integers: a fractional time in force, STP mode or flag word is rejected', () => {
    const h = market();
    const rej = (code: number) => [rejected(CommandType.PLACE, code, { accountId: A, orderId: 1 })];
    assert.deepEqual(h.limit(A, 1, BUY, 100, 1, { tif: 1.5 }), rej(ResultCode.BAD_TIME_IN_FORCE));
    assert.deepEqual(h.limit(A, 1, BUY, 100, 1, { stp: 0.5 }), rej(ResultCode.BAD_STP_MODE));
    assert.deepEqual(h.limit(A, 1, BUY, 100, 1, { flags: 0.5 }), rej(ResultCode.BAD_FLAGS));
    assert.deepEqual(h.place({ accountId: A, orderId: 1, side: 1.5, qtyLots: 1, priceTicks: 100 }), rej(ResultCode.BAD_SIDE));
    assert.deepEqual(h.limit(A, 1, BUY, 100, 1, { orderType: 1.5 }), rej(ResultCode.BAD_ORDER_TYPE));
    assert.deepEqual(h.bids(), []);
  });

  test('an order id that cannot be a u64 is echoed as 0 in the rejection, never wrapped', () => {
    const h = market();
    assert.deepEqual(h.limit(A, -1, BUY, 100, 1), [rejected(CommandType.PLACE, ResultCode.NOT_SAFE_INTEGER, { accountId: A, orderId: 0 })]);
    assert.deepEqual(h.cancel(A, -1), [rejected(CommandType.CANCEL, ResultCode.UNKNOWN_ORDER, { accountId: A, orderId: 0 })]);
  });

  test('the id of a pending stop or of an OCO stop leg is taken while live and free again once the order ended', () => {
    const h = market();
    h.place({ accountId: A, orderId: 1, side: SELL, orderType: OrderType.STOP_MARKET, stopPriceTicks: 80, qtyLots: 1 });
    h.place({ accountId: A, orderId: 2, side: SELL, orderType: OrderType.OCO, priceTicks: 110, qtyLots: 1, stopPriceTicks: 85, linkedOrderId: 3 });
    for (const id of [1, 2, 3]) {
      assert.deepEqual(h.limit(B, id, BUY, 90, 1), [rejected(CommandType.PLACE, ResultCode.DUPLICATE_ORDER_ID, { accountId: B, orderId: id })], `id ${id}`);
    }
    h.cancel(A, 1);
    assert.deepEqual(h.limit(B, 1, BUY, 90, 1), [h.accepted(1), h.rested(1, 90, 1)]);
  });

  test('STP modes 0..4 are all accepted', () => {
    const h = market();
    for (const stp of [StpMode.NONE, StpMode.CANCEL_NEWEST, StpMode.CANCEL_OLDEST, StpMode.CANCEL_BOTH, StpMode.DECREMENT_AND_CANCEL]) {
      assert.equal(h.limit(A, 10 + stp, BUY, 90, 1, { stp })[0]?.['event'], 'ORDER_ACCEPTED');
    }
  });
});

describe('capacity limits', () => {
  test('ORDERS_MAX counts every live order, an OCO pair as two', () => {
    const h = market({ config: { ordersMax: 3 } });
    h.limit(A, 1, BUY, 90, 1);
    h.limit(B, 2, BUY, 91, 1);
    assert.deepEqual(h.place({ accountId: C, orderId: 3, side: SELL, orderType: OrderType.OCO, priceTicks: 110, qtyLots: 1, stopPriceTicks: 80, linkedOrderId: 4 }), [
      rejected(CommandType.PLACE, ResultCode.ORDERS_MAX, { accountId: C, orderId: 3 }),
    ]);
    h.place({ accountId: C, orderId: 3, side: SELL, orderType: OrderType.STOP_MARKET, stopPriceTicks: 80, qtyLots: 1 });
    assert.deepEqual(h.limit(C, 5, SELL, 110, 1), [rejected(CommandType.PLACE, ResultCode.ORDERS_MAX, { accountId: C, orderId: 5 })]);
    h.cancel(A, 1);
    assert.deepEqual(h.limit(C, 5, SELL, 110, 1), [h.accepted(5), h.rested(5, 110, 1)]);
  });

  test('ORDERS_PER_ACCOUNT_MAX counts resting orders and pending stops, not orders that cannot rest', () => {
    const h = market({ config: { ordersPerAccountMax: 2 } });
    h.limit(A, 1, BUY, 90, 1);
    h.place({ accountId: A, orderId: 2, side: SELL, orderType: OrderType.STOP_MARKET, stopPriceTicks: 80, qtyLots: 1 });
    assert.deepEqual(h.limit(A, 3, BUY, 90, 1), [rejected(CommandType.PLACE, ResultCode.ORDERS_PER_ACCOUNT_MAX, { accountId: A, orderId: 3 })]);
    assert.deepEqual(h.limit(A, 3, BUY, 90, 1, { tif: TimeInForce.IOC }), [h.accepted(3), h.cancelled(3, ResultCode.UNFILLED_IOC, 90, 1)]);
    assert.deepEqual(h.limit(B, 4, BUY, 90, 1), [h.accepted(4), h.rested(4, 90, 1)]);
    h.cancel(A, 2);
    assert.deepEqual(h.limit(A, 5, BUY, 90, 1), [h.accepted(5), h.rested(5, 90, 1)]);
  });

  test('LEVELS_MAX refuses a new price level on a full side, not an existing one, nor the other side', () => {
    const h = market({ config: { levelsPerSideMax: 2 } });
    h.limit(A, 1, BUY, 90, 1);
    h.limit(A, 2, BUY, 91, 1);
    assert.deepEqual(h.limit(B, 3, BUY, 92, 1), [rejected(CommandType.PLACE, ResultCode.LEVELS_MAX, { accountId: B, orderId: 3 })]);
    assert.deepEqual(h.limit(B, 3, BUY, 91, 1), [h.accepted(3), h.rested(3, 91, 1)]);
    assert.deepEqual(h.limit(B, 4, SELL, 100, 1), [h.accepted(4), h.rested(4, 100, 1)]);
    assert.deepEqual(h.replace(B, 3, 89, 1), [rejected(CommandType.REPLACE, ResultCode.LEVELS_MAX, { accountId: B, orderId: 3 })]);
    assert.deepEqual(h.replace(A, 1, 89, 1), [
      h.replaced(1, { kept: false, oldPx: 90, oldQty: 1, oldVisible: 1, px: 89, qty: 1, visible: 1 }),
      h.rested(1, 89, 1),
    ], 'leaving its own single-order level makes room');
  });

  test('STOPS_MAX limits pending stops per side', () => {
    const h = market({ config: { stopsPerSideMax: 1 } });
    h.place({ accountId: A, orderId: 1, side: SELL, orderType: OrderType.STOP_MARKET, stopPriceTicks: 80, qtyLots: 1 });
    assert.deepEqual(h.place({ accountId: A, orderId: 2, side: SELL, orderType: OrderType.STOP_LIMIT, stopPriceTicks: 81, priceTicks: 80, qtyLots: 1 }), [
      rejected(CommandType.PLACE, ResultCode.STOPS_MAX, { accountId: A, orderId: 2 }),
    ]);
    assert.deepEqual(h.place({ accountId: A, orderId: 2, side: SELL, orderType: OrderType.OCO, priceTicks: 110, qtyLots: 1, stopPriceTicks: 81, linkedOrderId: 3 }), [
      rejected(CommandType.PLACE, ResultCode.STOPS_MAX, { accountId: A, orderId: 2 }),
    ]);
    assert.deepEqual(h.place({ accountId: A, orderId: 2, side: BUY, orderType: OrderType.STOP_LIMIT, stopPriceTicks: 120, priceTicks: 121, qtyLots: 1 }), [h.accepted(2)]);
  });

  test('matchesPerCommandMax: the rest of the taker is cancelled with MATCHES_PER_COMMAND_MAX and the book is not crossed', () => {
    const h = market({ config: { matchesPerCommandMax: 2 } });
    h.limit(A, 1, SELL, 100, 1);
    h.limit(A, 2, SELL, 100, 1);
    h.limit(A, 3, SELL, 101, 1);
    assert.deepEqual(h.limit(B, 4, BUY, 101, 5), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 1, px: 100, qty: 1, takerLeaves: 4, makerLeaves: 0 }),
      h.trade({ taker: 4, maker: 2, px: 100, qty: 1, takerLeaves: 3, makerLeaves: 0 }),
      h.cancelled(4, ResultCode.MATCHES_PER_COMMAND_MAX, 101, 3),
    ]);
    assert.deepEqual(h.bids(), []);
    assert.deepEqual(h.ids(SELL), [3]);
    assert.deepEqual(h.bal(B, QUOTE), [M - 200, 0]);
  });

  test('matchesPerCommandMax counts the fills of triggered stops too', () => {
    const h = market({ config: { matchesPerCommandMax: 2 } });
    h.limit(A, 1, SELL, 100, 1);
    h.limit(A, 2, SELL, 101, 1);
    h.limit(A, 3, SELL, 102, 1);
    h.place({ accountId: C, orderId: 5, side: BUY, orderType: OrderType.STOP_MARKET, stopPriceTicks: 100, qtyLots: 2, quoteBudget: 1_000 });
    assert.deepEqual(h.limit(B, 4, BUY, 100, 1), [
      h.accepted(4),
      h.trade({ taker: 4, maker: 1, px: 100, qty: 1, takerLeaves: 0, makerLeaves: 0 }),
      h.triggered(5, 100),
      h.trade({ taker: 5, maker: 2, px: 101, qty: 1, takerLeaves: 1, makerLeaves: 0 }),
      h.cancelled(5, ResultCode.MATCHES_PER_COMMAND_MAX, 0, 1),
    ]);
    assert.deepEqual(h.ids(SELL), [3]);
  });

  test('an FOK is never partly filled, even when matchesPerCommandMax would stop it', () => {
    const h = market({ config: { matchesPerCommandMax: 2 } });
    h.limit(A, 1, SELL, 100, 1);
    h.limit(A, 2, SELL, 100, 1);
    h.limit(A, 3, SELL, 100, 1);
    assert.deepEqual(h.limit(B, 4, BUY, 100, 3, { tif: TimeInForce.FOK }), [rejected(CommandType.PLACE, ResultCode.FOK_NOT_FILLABLE, { accountId: B, orderId: 4 })]);
    assert.deepEqual(h.ids(SELL), [1, 2, 3]);
  });
});

describe('commands', () => {
  test('a binary record of an unknown command type is rejected with UNKNOWN_COMMAND', () => {
    const h = market();
    const bytes = new Uint8Array(COMMAND_SIZE_BYTES);
    const view = new DataView(bytes.buffer);
    bytes[0] = 99;
    writeU64(view, 8, h.seq + 1);
    writeU64(view, 16, h.nowUs);
    assert.deepEqual(h.applyRecord(bytes), [rejected(99, ResultCode.UNKNOWN_COMMAND)]);
  });

  test('a binary place record is applied like the command it encodes', () => {
    const h = market();
    h.limit(A, 1, SELL, 100, 2);
    const bytes = commandToBytes(placeCommand({ seq: h.seq + 1, timeUs: h.nowUs, symbolId: 0, accountId: B, orderId: 2, side: BUY, priceTicks: 100, qtyLots: 1 }));
    const events = h.applyRecord(bytes);
    assert.deepEqual(events.map((e) => e['event']), ['ORDER_ACCEPTED', 'TRADE']);
    assert.equal(events[1]?.['quoteAmount'], 100);
  });

  test('a command whose seq does not follow, or whose time goes back, throws and changes nothing', () => {
    const h = market();
    const seq = h.seq;
    assert.throws(() => h.engine.apply({ type: CommandType.CLOCK, seq: seq + 2, timeUs: h.nowUs }), /seq/);
    assert.throws(() => h.engine.apply({ type: CommandType.CLOCK, seq, timeUs: h.nowUs }), /seq/);
    assert.throws(() => h.engine.apply({ type: CommandType.CLOCK, seq: seq + 1, timeUs: h.nowUs - 1 }), /time/);
    assert.equal(h.seq, seq);
    assert.deepEqual(h.clock(), []);
    assert.equal(h.seq, seq + 1);
  });

  test('an engine configuration with a limit below 1 is refused at construction', () => {
    assert.throws(() => new Harness({ ordersMax: 0 }), RangeError);
    assert.throws(() => new Harness({ matchesPerCommandMax: 1.5 }), RangeError);
  });
});
