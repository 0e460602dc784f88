// `npm run bench:engine -- FLOW.csv [--runs N]`: replays an order-flow file once untimed (warm-up),
// then times the engine alone (parsing excluded, events produced) over several runs, and measures
// heap bytes per resting order at 1,000,000 resting orders. Prints one JSON line last.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { placeCommand, Side, type Command } from '../engine/commands.ts';
import { Engine } from '../engine/engine.ts';
import { compileFlow, FLOW_ENGINE_CONFIG, type FlowProgram } from '../engine/orderflow.ts';
import { CommandType } from '../engine/schema.ts';
import { median, setupLine } from './report.ts';

const RESTING_ORDERS_FOR_MEMORY = 1_000_000;

/** Events are consumed in batches, as the core worker hands them on; this bounds one batch. */
const EVENTS_PER_BATCH = 256;

/** Applies the flow to a fresh engine; returns the seconds spent applying the order commands. */
export function timeFlow(program: FlowProgram): number {
  const engine = new Engine(FLOW_ENGINE_CONFIG);
  for (const c of program.setup) engine.apply(c);
  const orders = program.orders;
  const events = engine.events;
  const started = process.hrtime.bigint();
  for (let i = 0; i < orders.length; i++) {
    engine.apply(orders[i] as Command);
    if (events.count >= EVENTS_PER_BATCH) events.clear();
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Heap in use after a full collection; without one, garbage would count as the book's memory. */
function heapBytes(): number {
  if (globalThis.gc === undefined) throw new Error('heap bytes per resting order need a full GC first: run node with --expose-gc (npm run bench:engine does)');
  globalThis.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Heap (JS heap plus typed-array backing stores) per resting order, at 1,000,000 resting orders. */
export function heapBytesPerRestingOrder(): number {
  const engine = new Engine(FLOW_ENGINE_CONFIG);
  let seq = 0;
  const setup: Command[] = [
    { type: CommandType.ADD_ASSET, seq: ++seq, timeUs: seq, name: 'B', scale: 0 },
    { type: CommandType.ADD_ASSET, seq: ++seq, timeUs: seq, name: 'Q', scale: 0 },
    { type: CommandType.ADD_SYMBOL, seq: ++seq, timeUs: seq, name: 'S', baseAssetId: 0, quoteAssetId: 1, baseUnitsPerLot: 1, quoteUnitsPerTickLot: 1,
      minQtyLots: 1, maxQtyLots: 1_000_000, priceTicksMax: 1_000_000_000, referencePriceTicks: 0, bandBps: 0, makerFeeBps: 0, takerFeeBps: 0, protectionBps: 0 },
    { type: CommandType.CREATE_ACCOUNT, seq: ++seq, timeUs: seq, name: 'a' },
  ];
  for (const c of setup) engine.apply(c);
  const before = heapBytes();
  const place = placeCommand({ seq: 0, timeUs: 0, symbolId: 0, accountId: 0, orderId: 0, side: Side.BUY, qtyLots: 1 });
  for (let i = 0; i < RESTING_ORDERS_FOR_MEMORY; i++) {
    place.seq = ++seq;
    place.timeUs = seq;
    place.orderId = i + 1;
    place.side = i % 2 === 0 ? Side.BUY : Side.SELL;
    place.priceTicks = place.side === Side.BUY ? 100_000 - (i % 5_000) : 200_000 + (i % 5_000);
    engine.apply(place);
    engine.events.clear();
  }
  const bytes = heapBytes() - before;
  if (engine.state.orders.live !== RESTING_ORDERS_FOR_MEMORY) throw new Error('memory probe did not rest every order');
  return Math.round(bytes / RESTING_ORDERS_FOR_MEMORY);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '5' } } });
  const flowPath = positionals[0];
  if (flowPath === undefined) {
    console.error('usage: npm run bench:engine -- FLOW.csv [--runs N]');
    process.exit(2);
  }
  const program = compileFlow(readFileSync(flowPath, 'utf8'));
  console.log(setupLine(`engine replay of ${flowPath}: ${program.orders.length} commands`));
  timeFlow(program);
  const seconds: number[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    seconds.push(timeFlow(program));
    console.log(`run ${run + 1}: ${(program.orders.length / (seconds.at(-1) as number) / 1e6).toFixed(3)} M commands/s`);
  }
  const s = median(seconds);
  const bytesPerOrder = heapBytesPerRestingOrder();
  console.log(JSON.stringify({ ops: program.orders.length, seconds: Number(s.toFixed(4)), ops_per_sec: Math.round(program.orders.length / s), heap_bytes_per_resting_order: bytesPerOrder }));
}
