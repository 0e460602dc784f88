// `npm run bench:micro`: tinybench micro-benchmarks of the core's basic operations on a book that
// already holds 10,000 resting orders: add (a resting limit order), cancel, match (an incoming order
// that fills against one resting order), replace (keeping priority, and moving to a new price).
// Commands are built once and updated in place, so the harness allocates nothing per iteration.
import { Bench } from 'tinybench';
import { placeCommand, Side, TimeInForce, type CancelCommand, type Command, type PlaceCommand, type ReplaceCommand } from '../engine/commands.ts';
import { Engine } from '../engine/engine.ts';
import { FLOW_ENGINE_CONFIG } from '../engine/orderflow.ts';
import { CommandType } from '../engine/schema.ts';
import { setupLine } from './report.ts';

const DEPTH_ORDERS = 10_000;
const MID_TICKS = 100_000;
const EVENTS_PER_BATCH = 256;

class Harness {
  readonly engine = new Engine(FLOW_ENGINE_CONFIG);
  private seq = 0;
  orderIdLast = 0;

  constructor() {
    const setup: Record<string, unknown>[] = [
      { type: CommandType.ADD_ASSET, name: 'B', scale: 0 },
      { type: CommandType.ADD_ASSET, name: 'Q', scale: 0 },
      { type: CommandType.ADD_SYMBOL, name: 'S', baseAssetId: 0, quoteAssetId: 1, baseUnitsPerLot: 1, quoteUnitsPerTickLot: 1, minQtyLots: 1,
        maxQtyLots: 1_000_000, priceTicksMax: 1_000_000_000, referencePriceTicks: 0, bandBps: 0, makerFeeBps: 0, takerFeeBps: 0, protectionBps: 0 },
      { type: CommandType.CREATE_ACCOUNT, name: 'a' },
      { type: CommandType.CREATE_ACCOUNT, name: 'b' },
    ];
    for (const c of setup) this.apply({ ...c, seq: 0, timeUs: 0 } as unknown as Command);
    const place = this.place(0, Side.BUY, 10);
    for (let i = 0; i < DEPTH_ORDERS; i++) {
      place.side = i % 2 === 0 ? Side.BUY : Side.SELL;
      place.priceTicks = place.side === Side.BUY ? MID_TICKS - 1 - (i % 100) : MID_TICKS + 1 + (i % 100);
      place.orderId = ++this.orderIdLast;
      this.apply(place);
    }
  }

  place(accountId: number, side: number, qtyLots: number): PlaceCommand {
    return placeCommand({ seq: 0, timeUs: 0, symbolId: 0, accountId, orderId: 0, side, qtyLots });
  }

  apply(c: Command): void {
    this.seq++;
    c.seq = this.seq;
    c.timeUs = this.seq;
    this.engine.apply(c);
    if (this.engine.events.count >= EVENTS_PER_BATCH) this.engine.events.clear();
  }
}

const cancelOf = (orderId: number): CancelCommand => ({ type: CommandType.CANCEL, seq: 0, timeUs: 0, symbolId: 0, accountId: 1, orderId, clientOrderId: 0 });
const replaceOf = (orderId: number, priceTicks: number, qtyLots: number): ReplaceCommand =>
  ({ type: CommandType.REPLACE, seq: 0, timeUs: 0, symbolId: 0, accountId: 1, orderId, clientOrderId: 0, priceTicks, qtyLots, flags: 0 });

const bench = new Bench({ name: setupLine(`core micro-benchmarks on a book of ${DEPTH_ORDERS} resting orders`), time: 1_000 });
{
  const h = new Harness();
  const place = h.place(1, Side.BUY, 1);
  const cancel = cancelOf(0);
  let i = 0;
  bench.add('add + cancel (a resting limit order, then its cancel)', () => {
    place.orderId = ++h.orderIdLast;
    place.priceTicks = MID_TICKS - 1 - (i++ % 100);
    h.apply(place);
    cancel.orderId = place.orderId;
    h.apply(cancel);
  });
}
{
  const h = new Harness();
  const place = h.place(1, Side.SELL, 1);
  let i = 0;
  bench.add('add (a resting limit order; the book grows)', () => {
    place.orderId = ++h.orderIdLast;
    place.priceTicks = MID_TICKS + 1 + (i++ % 100);
    h.apply(place);
  });
}
{
  const h = new Harness();
  const sell = h.place(1, Side.SELL, 1);
  sell.priceTicks = MID_TICKS;
  const buy = h.place(0, Side.BUY, 1);
  buy.priceTicks = MID_TICKS;
  buy.tif = TimeInForce.IOC;
  bench.add('add + match (a resting sell at the touch, then an IOC buy that fills it)', () => {
    sell.orderId = ++h.orderIdLast;
    h.apply(sell);
    buy.orderId = ++h.orderIdLast;
    h.apply(buy);
  });
}
{
  const h = new Harness();
  const place = h.place(1, Side.BUY, 1_000_000);
  place.orderId = ++h.orderIdLast;
  place.priceTicks = MID_TICKS - 50;
  h.apply(place);
  const replace = replaceOf(place.orderId, MID_TICKS - 50, 1_000_000);
  bench.add('replace keeping priority (same price, quantity down by one)', () => {
    replace.qtyLots--;
    h.apply(replace);
  });
}
{
  const h = new Harness();
  const place = h.place(1, Side.BUY, 5);
  place.orderId = ++h.orderIdLast;
  place.priceTicks = MID_TICKS - 50;
  h.apply(place);
  const replace = replaceOf(place.orderId, MID_TICKS - 50, 5);
  let i = 0;
  bench.add('replace to a new price (loses priority, re-enters)', () => {
    replace.priceTicks = MID_TICKS - 51 - (i++ % 40);
    h.apply(replace);
  });
}
await bench.run();
console.log(bench.name);
console.table(bench.table());
