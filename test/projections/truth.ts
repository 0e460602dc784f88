// What the projections must show, computed from the engine itself (live in-process, or recovered
// from a server's data dir) and from its events, and the assertions that PostgreSQL and Redis show
// exactly that: open orders, balances of every account and asset, fills (count, sums, fees by
// asset), the ledger, symbols, conservation, the cursor; and each symbol's best bid/offer, top-N
// snapshot and last trade.
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { Side } from '../../engine/commands.ts';
import { fromUnits, tickAndLotSizes } from '../../engine/decimal.ts';
import type { Engine } from '../../engine/engine.ts';
import { OrderState } from '../../engine/order-store.ts';
import { bookLevels } from '../../engine/queries.ts';
import { EVENT_SIZE_BYTES, EventType, decodeRecord, eventLayout, type RecordLayout } from '../../engine/schema.ts';
import { REDIS_BOOK_DEPTH } from '../../projections/redis-projection.ts';
import { redisKeys } from '../../projections/redis-keys.ts';

const SIDE = { [Side.BUY]: 'buy', [Side.SELL]: 'sell' } as Record<number, string>;
const STATUS = { 1: 'trading', 2: 'halted', 3: 'closed' } as Record<number, string>;

/** Counted from the events, one by one, with the engine's own decoder. */
export class EventTotals {
  events = 0;
  trades = 0;
  qtyLots = 0;
  quote = 0;
  balanceChanges = 0;
  seqLast = 0;
  readonly lastTradeBySymbol = new Map<number, { seq: number; eventIndex: number; priceTicks: number; qtyLots: number }>();

  add(bytes: Uint8Array, offset: number): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, EVENT_SIZE_BYTES);
    const type = view.getUint8(0);
    const e = decodeRecord(eventLayout(type) as RecordLayout, view, 0);
    this.seqLast = e['seq'] as number;
    if (type === EventType.TRADE) {
      this.trades++;
      this.qtyLots += e['qtyLots'] as number;
      this.quote += e['quoteAmount'] as number;
      this.lastTradeBySymbol.set(e['symbolId'] as number, { seq: this.seqLast, eventIndex: this.events, priceTicks: e['priceTicks'] as number, qtyLots: e['qtyLots'] as number });
    }
    if (type === EventType.BALANCE_CHANGED) this.balanceChanges++;
    this.events++;
  }
}

type OpenOrder = {
  order_id: number;
  account_id: number;
  symbol_id: number;
  side: string;
  status: string;
  price_ticks: number;
  leaves_qty_lots: number;
  visible_qty_lots: number;
};

/** Every live order of the engine: resting (open) and pending stops, by order id. */
export function engineOpenOrders(engine: Engine): OpenOrder[] {
  const o = engine.state.orders;
  const out: OpenOrder[] = [];
  for (let slot = 0; slot < o.capacity; slot++) {
    const state = o.state[slot];
    if (state !== OrderState.RESTING && state !== OrderState.STOP_PENDING) continue;
    out.push({
      order_id: o.orderId[slot] as number, account_id: o.accountId[slot] as number, symbol_id: o.symbolId[slot] as number, side: SIDE[o.side[slot] as number] as string,
      status: state === OrderState.RESTING ? 'open' : 'pending', price_ticks: o.priceTicks[slot] as number, leaves_qty_lots: o.openQty[slot] as number,
      visible_qty_lots: o.visibleQty[slot] as number,
    });
  }
  return out.sort((a, b) => a.order_id - b.order_id);
}

const numbers = <T extends Record<string, unknown>>(row: T): T =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v])) as T;

export async function assertPgEqualsEngine(pool: pg.Pool, engine: Engine, totals: EventTotals): Promise<void> {
  const q = async <T extends Record<string, unknown>>(sql: string): Promise<T[]> => (await pool.query<T>(sql)).rows.map(numbers);
  const [cursor] = await q<{ last_event_index: number; last_command_seq: number }>('SELECT last_event_index, last_command_seq FROM projection_cursor');
  assert.deepEqual(cursor, { last_event_index: totals.events - 1, last_command_seq: totals.seqLast }, 'the cursor is at the last event');

  const open = await q<OpenOrder>(`SELECT order_id, account_id, symbol_id, side, status, price_ticks, leaves_qty_lots, visible_qty_lots
    FROM orders WHERE status IN ('pending', 'open') ORDER BY order_id`);
  assert.deepEqual(open, engineOpenOrders(engine), 'open orders equal the engine\'s live orders');

  const ledger = engine.state.ledger;
  const expectedBalances: { account_id: number; asset_id: number; available: number; reserved: number }[] = [];
  for (let account = 0; account < ledger.accountCount; account++) {
    for (const [assetId, asset] of ledger.assets.entries()) {
      expectedBalances.push({ account_id: account, asset_id: assetId, available: asset.available[account] as number, reserved: asset.reserved[account] as number });
    }
  }
  const stored = await q<{ account_id: number; asset_id: number; available: number; reserved: number }>('SELECT account_id, asset_id, available, reserved FROM balances');
  const byKey = new Map(stored.map((b) => [`${b.account_id}/${b.asset_id}`, b]));
  const shown = expectedBalances.map((b) => byKey.get(`${b.account_id}/${b.asset_id}`) ?? { ...b, available: 0, reserved: 0 });
  assert.deepEqual(shown, expectedBalances, 'every balance of every account and asset equals the engine\'s');
  assert.equal(stored.length, byKey.size);

  const [fills] = await q<{ count: number; qty: number | null; quote: number | null }>('SELECT count(*) AS count, sum(qty_lots) AS qty, sum(quote_amount) AS quote FROM fills');
  assert.deepEqual(fills, { count: totals.trades, qty: totals.trades === 0 ? null : totals.qtyLots, quote: totals.trades === 0 ? null : totals.quote }, 'fills: count and sums');
  const [distinct] = await q<{ n: number }>('SELECT count(DISTINCT event_index) AS n FROM fills');
  assert.equal(distinct?.n, totals.trades, 'no fill twice');
  const fees = await q<{ asset: number; fees: number }>(`SELECT asset, sum(fee) AS fees FROM
    (SELECT taker_fee_asset_id AS asset, taker_fee AS fee FROM fills UNION ALL SELECT maker_fee_asset_id, maker_fee FROM fills) f GROUP BY asset ORDER BY asset`);
  const feesExpected = ledger.assets.map((a, asset) => ({ asset, fees: a.feesCollected })).filter((f) => fees.some((x) => x.asset === f.asset) || f.fees > 0);
  assert.deepEqual(fees, feesExpected, 'fees by asset equal what the engine collected');
  const [perOrder] = await q<{ filled: number | null; fees: number | null; fill_count: number | null }>('SELECT sum(filled_qty_lots) AS filled, sum(fees) AS fees, sum(fill_count) AS fill_count FROM orders');
  assert.equal(perOrder?.filled ?? 0, 2 * totals.qtyLots, 'each fill counted once on its taker and once on its maker');
  assert.equal(perOrder?.fill_count ?? 0, 2 * totals.trades);
  assert.equal(perOrder?.fees ?? 0, ledger.assets.reduce((sum, a) => sum + a.feesCollected, 0), 'fees on orders add up to the fees collected');

  const [ledgerRows] = await q<{ n: number }>('SELECT count(*) AS n FROM ledger');
  assert.equal(ledgerRows?.n, totals.balanceChanges, 'one ledger row per balance change');
  const conservation = await q<{ asset_id: number; held: number; fees: number; transferred: number }>(`
    SELECT a.asset_id,
      (SELECT coalesce(sum(available + reserved), 0) FROM balances b WHERE b.asset_id = a.asset_id) AS held,
      (SELECT coalesce(sum(taker_fee), 0) FROM fills WHERE taker_fee_asset_id = a.asset_id) + (SELECT coalesce(sum(maker_fee), 0) FROM fills WHERE maker_fee_asset_id = a.asset_id) AS fees,
      (SELECT coalesce(sum(available_delta + reserved_delta), 0) FROM ledger l WHERE l.asset_id = a.asset_id AND command IN ('deposit', 'withdraw')) AS transferred
    FROM assets a ORDER BY a.asset_id`);
  assert.deepEqual(conservation.map((c) => [c.asset_id, c.held + c.fees, c.transferred]), ledger.assets.map((a, id) => [id, a.netDeposited, a.netDeposited]),
    'per asset: balances + fees = deposits - withdrawals (from the ledger) = the engine\'s');
  const [telescoping] = await q<{ bad: number }>(`SELECT count(*) AS bad FROM balances b JOIN
    (SELECT account_id, asset_id, sum(available_delta) AS available, sum(reserved_delta) AS reserved FROM ledger GROUP BY account_id, asset_id) l
    USING (account_id, asset_id) WHERE (b.available, b.reserved) <> (l.available, l.reserved)`);
  assert.equal(telescoping?.bad, 0, 'every balance is the sum of its ledger changes');

  const symbols = await q<{ symbol_id: number; status: string; reference_price_ticks: number; last_price_ticks: number }>(
    'SELECT symbol_id, status, reference_price_ticks, last_price_ticks FROM symbols ORDER BY symbol_id');
  assert.deepEqual(symbols, engine.state.symbols.map((s) => ({ symbol_id: s.id, status: STATUS[s.status], reference_price_ticks: s.referencePriceTicks, last_price_ticks: s.lastPriceTicks })),
    'symbols: status, reference and last price');
  const [accounts] = await q<{ n: number }>('SELECT count(*) AS n FROM accounts');
  assert.equal(accounts?.n, ledger.accountCount);
}

/** Redis's best bid/offer, top-N snapshot and last trade of every symbol equal the engine's book and events. */
export async function assertRedisEqualsEngine(redis: Redis, prefix: string, engine: Engine, totals: EventTotals): Promise<void> {
  const keys = redisKeys(prefix);
  assert.equal(await redis.hget(keys.cursor, 'lastEventIndex'), String(totals.events - 1), 'the Redis cursor is at the last event');
  const assets = engine.state.ledger.assets;
  for (const sym of engine.state.symbols) {
    const { tickSize, lotSize } = tickAndLotSizes(sym.spec.baseUnitsPerLot, sym.spec.quoteUnitsPerTickLot, (assets[sym.spec.baseAssetId]?.scale) as number,
      (assets[sym.spec.quoteAssetId]?.scale) as number);
    const levels = (side: number) => bookLevels(engine.state, sym.id, side, REDIS_BOOK_DEPTH).map((l) => [fromUnits(l.priceTicks, tickSize), fromUnits(l.visibleQtyLots, lotSize)]);
    const book = JSON.parse((await redis.get(keys.book(sym.spec.name))) ?? 'null') as { bids: string[][]; asks: string[][]; eventIndex: number } | null;
    assert.ok(book !== null, `${sym.spec.name}: a snapshot`);
    assert.deepEqual({ bids: book.bids, asks: book.asks }, { bids: levels(Side.BUY), asks: levels(Side.SELL) }, `${sym.spec.name}: the top ${REDIS_BOOK_DEPTH} levels equal the engine's book`);
    const bbo = await redis.hgetall(keys.bbo(sym.spec.name));
    const [bid, ask] = [levels(Side.BUY)[0], levels(Side.SELL)[0]];
    assert.deepEqual([bbo['bid'], bbo['bidQty'], bbo['ask'], bbo['askQty']], [bid?.[0] ?? '', bid?.[1] ?? '', ask?.[0] ?? '', ask?.[1] ?? ''], `${sym.spec.name}: best bid and offer`);
    const last = totals.lastTradeBySymbol.get(sym.id);
    const [entry] = await redis.xrevrange(keys.trades(sym.spec.name), '+', '-', 'COUNT', 1);
    if (last === undefined) {
      assert.equal(entry, undefined, `${sym.spec.name}: no trades`);
      continue;
    }
    assert.ok(entry !== undefined, `${sym.spec.name}: a trade stream`);
    assert.equal(entry[0], `${last.seq}-${last.eventIndex}`, `${sym.spec.name}: the newest trade is the last TRADE event`);
    assert.deepEqual(entry[1].slice(0, 4), ['price', fromUnits(last.priceTicks, tickSize), 'qty', fromUnits(last.qtyLots, lotSize)]);
  }
}
