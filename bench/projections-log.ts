// A fill-heavy event log for the projection benchmark, written by the engine itself (risk on, fees,
// balances) into DIR/events/ exactly as the core worker writes it. Each round places ten makers at
// random distances from the mid on one side and one IOC taker that sweeps as much as the ten
// makers hold from the best price on, so ~10 fills per round; the sides alternate and the book
// holds a steady depth, so most makers fill in a later batch than the one that placed them.
import { OrderType, Side, TimeInForce, placeCommand, type Command } from '../engine/commands.ts';
import { Engine } from '../engine/engine.ts';
import { DEFAULT_ENGINE_CONFIG } from '../engine/limits.ts';
import { CommandType, EVENT_SIZE_BYTES, EventType } from '../engine/schema.ts';
import { EVENT_RECORD_LAYOUT } from '../journal/core-records.ts';
import { recoverEventLog } from '../journal/event-log-recovery.ts';
import { EventLogWriter } from '../journal/event-log-writer.ts';
import { seededRandom } from '../test/engine/random-commands.ts';

const ACCOUNTS = 64;
const MAKERS_PER_ROUND = 10;
/** Resting orders placed on each side before the rounds, so the book has depth. */
const BOOK_DEPTH_ORDERS = 2_000;
const MID_TICKS = 50_000;
const DISTANCE_TICKS_MAX = 300;
const MAKER_LOTS_MAX = 5;
const DEPOSIT_UNITS = 1_000_000_000_000;
const TIME_US_START = 1_767_225_600_000_000;

export interface BenchLog {
  readonly events: number;
  readonly fills: number;
  readonly commands: number;
}

/** Writes the log into `dir` until it holds at least `fillsTarget` fills. */
export function writeBenchLog(dir: string, fillsTarget: number, seed: number): BenchLog {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const engine = new Engine(DEFAULT_ENGINE_CONFIG);
  const log = EventLogWriter.open({ dir, layout: EVENT_RECORD_LAYOUT, recovered: recoverEventLog(dir, { layout: EVENT_RECORD_LAYOUT, commandSeqRecovered: Number.MAX_SAFE_INTEGER }) });
  let seq = 0;
  let orderId = 0;
  let fills = 0;
  const apply = (body: Record<string, unknown>): void => {
    seq++;
    engine.apply({ ...body, seq, timeUs: TIME_US_START + seq } as unknown as Command);
    const bytes = engine.events.written();
    for (let at = 0; at < bytes.length; at += EVENT_SIZE_BYTES) if (bytes[at] === EventType.TRADE) fills++;
    log.append(bytes, engine.events.count);
    engine.events.clear();
  };
  apply({ type: CommandType.ADD_ASSET, name: 'BTC', scale: 8 });
  apply({ type: CommandType.ADD_ASSET, name: 'USD', scale: 2 });
  // Lot 0.01 BTC, tick 1 USD: one lot at one tick is one cent.
  apply({ type: CommandType.ADD_SYMBOL, name: 'BTC-USD', baseAssetId: 0, quoteAssetId: 1, baseUnitsPerLot: 1_000_000, quoteUnitsPerTickLot: 1, minQtyLots: 1,
    maxQtyLots: 1_000_000, priceTicksMax: 10_000_000, referencePriceTicks: MID_TICKS, bandBps: 0, makerFeeBps: 10, takerFeeBps: 20, protectionBps: 0 });
  for (let a = 0; a < ACCOUNTS; a++) {
    apply({ type: CommandType.CREATE_ACCOUNT, name: `bench-${a}` });
    for (const assetId of [0, 1]) apply({ type: CommandType.DEPOSIT, accountId: a, assetId, amount: DEPOSIT_UNITS });
  }
  const maker = (side: number): number => {
    const qty = 1 + int(MAKER_LOTS_MAX);
    const price = side === Side.SELL ? MID_TICKS + 1 + int(DISTANCE_TICKS_MAX) : MID_TICKS - 1 - int(DISTANCE_TICKS_MAX);
    apply(placeCommand({ seq: 0, timeUs: 0, symbolId: 0, accountId: int(ACCOUNTS), orderId: ++orderId, side, priceTicks: price, qtyLots: qty }) as unknown as Record<string, unknown>);
    return qty;
  };
  for (let i = 0; i < BOOK_DEPTH_ORDERS; i++) {
    maker(Side.SELL);
    maker(Side.BUY);
  }
  for (let round = 0; fills < fillsTarget; round++) {
    const makerSide = round % 2 === 0 ? Side.SELL : Side.BUY;
    let qty = 0;
    for (let m = 0; m < MAKERS_PER_ROUND; m++) qty += maker(makerSide);
    const takerSide = makerSide === Side.SELL ? Side.BUY : Side.SELL;
    const limit = takerSide === Side.BUY ? MID_TICKS + DISTANCE_TICKS_MAX : MID_TICKS - DISTANCE_TICKS_MAX;
    apply(placeCommand({ seq: 0, timeUs: 0, symbolId: 0, accountId: int(ACCOUNTS), orderId: ++orderId, side: takerSide, orderType: OrderType.LIMIT, tif: TimeInForce.IOC,
      priceTicks: limit, qtyLots: qty }) as unknown as Record<string, unknown>);
  }
  const events = log.eventIndexNext;
  log.close();
  return { events, fills, commands: seq };
}
