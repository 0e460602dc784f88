// The order-flow file format of shared/orderflow/FORMAT.md (the no-risk, no-STP subset) compiled to
// engine commands, and the two outputs of a replay (trades and final book) in that format's text.
// Pure: text in, commands out; the CLI in bench/ does the file I/O.
import { OrderFlag, OrderType, placeCommand, Side, TimeInForce, type Command } from './commands.ts';
import type { CoreState } from './core-state.ts';
import { Engine } from './engine.ts';
import type { EngineConfig } from './limits.ts';
import { DEFAULT_ENGINE_CONFIG } from './limits.ts';
import { bookOrders } from './queries.ts';
import { CommandType, EVENT_SIZE_BYTES, EventType, eventLayout, fieldOffset, readU64, type RecordLayout } from './schema.ts';

/** Prices and quantities a flow may use: their product stays a safe integer, as symbols require. */
export const FLOW_PRICE_TICKS_MAX = 1_000_000_000;
export const FLOW_QTY_LOTS_MAX = 9_000_000;

/** The engine configuration of FORMAT.md's mode: no risk, and no limit a flow could meet before the reference book. */
export const FLOW_ENGINE_CONFIG: EngineConfig = {
  ...DEFAULT_ENGINE_CONFIG,
  riskEnabled: false,
  accountsMax: 10_000_000,
  ordersMax: 100_000_000,
  ordersPerAccountMax: 100_000_000,
  levelsPerSideMax: 10_000_000,
  matchesPerCommandMax: 100_000_000,
};

export class FlowFormatError extends Error {
  constructor(readonly lineNumber: number, message: string) {
    super(`flow line ${lineNumber}: ${message}`);
    this.name = 'FlowFormatError';
  }
}

export interface FlowProgram {
  /** Assets, symbols and accounts the flow names, in order of first appearance. */
  readonly setup: Command[];
  /** One command per flow line. */
  readonly orders: Command[];
  /** Symbol names by symbol id. */
  readonly symbolNames: string[];
}

const DECIMAL_ID = /^[1-9][0-9]*$/;
const TIF: Record<string, number> = { GTC: TimeInForce.GTC, IOC: TimeInForce.IOC, FOK: TimeInForce.FOK, POST: TimeInForce.GTC };

export function compileFlow(text: string): FlowProgram {
  const setup: Command[] = [];
  const symbolIds = new Map<string, number>();
  const accountIds = new Map<string, number>();
  let seq = 0;
  const next = () => { seq++; return { seq, timeUs: seq }; };
  setup.push({ type: CommandType.ADD_ASSET, ...next(), name: 'FLOW-BASE', scale: 0 });
  setup.push({ type: CommandType.ADD_ASSET, ...next(), name: 'FLOW-QUOTE', scale: 0 });
  const lines = text.split('\n');
  const body: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(',');
    const lineNumber = i + 1;
    const fail = (message: string): never => { throw new FlowFormatError(lineNumber, message); };
    const sym = f[1] ?? fail('missing symbol');
    if (!symbolIds.has(sym)) {
      symbolIds.set(sym, symbolIds.size);
      setup.push({
        type: CommandType.ADD_SYMBOL, seq: 0, timeUs: 0, name: sym, baseAssetId: 0, quoteAssetId: 1, baseUnitsPerLot: 1, quoteUnitsPerTickLot: 1,
        minQtyLots: 1, maxQtyLots: FLOW_QTY_LOTS_MAX, priceTicksMax: FLOW_PRICE_TICKS_MAX, referencePriceTicks: 0,
        bandBps: 0, makerFeeBps: 0, takerFeeBps: 0, protectionBps: 0,
      });
    }
    const account = f[3] ?? fail('missing account');
    if (!accountIds.has(account)) {
      accountIds.set(account, accountIds.size);
      setup.push({ type: CommandType.CREATE_ACCOUNT, seq: 0, timeUs: 0, name: account });
    }
    const ids: Ids = { symbolId: symbolIds.get(sym) as number, accountId: accountIds.get(account) as number, orderId: orderIdOf(f[2], fail) };
    switch (f[0]) {
      case 'N': body.push(newOrder(f, ids, fail)); break;
      case 'C':
        if (f.length !== 4) fail(`C needs 4 fields, has ${f.length}`);
        body.push({ type: CommandType.CANCEL, seq: 0, timeUs: 0, symbolId: ids.symbolId, accountId: ids.accountId, orderId: ids.orderId, clientOrderId: 0 });
        break;
      case 'R':
        if (f.length !== 6) fail(`R needs 6 fields, has ${f.length}`);
        body.push({
          type: CommandType.REPLACE, seq: 0, timeUs: 0, symbolId: ids.symbolId, accountId: ids.accountId, orderId: ids.orderId, clientOrderId: 0,
          priceTicks: numberIn(f[4], FLOW_PRICE_TICKS_MAX, 'price', fail), qtyLots: numberIn(f[5], FLOW_QTY_LOTS_MAX, 'qty', fail), flags: 0,
        });
        break;
      default: fail(`unknown op ${JSON.stringify(f[0])}`);
    }
  }
  for (const c of [...setup.slice(2), ...body]) {
    seq++;
    c.seq = seq;
    c.timeUs = seq;
  }
  return { setup, orders: body, symbolNames: [...symbolIds.keys()] };
}

type Ids = { symbolId: number; accountId: number; orderId: number };

function newOrder(f: string[], ids: Ids, fail: (m: string) => never): Command {
  if (f.length !== 9) fail(`N needs 9 fields, has ${f.length}`);
  const side = f[4] === 'B' ? Side.BUY : f[4] === 'S' ? Side.SELL : fail(`side must be B or S, got ${JSON.stringify(f[4])}`);
  const tifText = f[6] as string;
  const tif = TIF[tifText] ?? fail(`tif must be GTC, IOC, FOK or POST, got ${JSON.stringify(tifText)}`);
  const qtyLots = numberIn(f[8], FLOW_QTY_LOTS_MAX, 'qty', fail);
  const flags = tifText === 'POST' ? OrderFlag.POST_ONLY : 0;
  if (f[5] === 'L') {
    return placeCommand({ seq: 0, timeUs: 0, ...ids, side, tif, flags, qtyLots, priceTicks: numberIn(f[7], FLOW_PRICE_TICKS_MAX, 'price', fail) });
  }
  if (f[5] !== 'M') fail(`type must be L or M, got ${JSON.stringify(f[5])}`);
  if (f[7] !== '') fail('a market order has an empty price');
  const marketTif = tif === TimeInForce.FOK ? TimeInForce.FOK : TimeInForce.IOC;
  return placeCommand({ seq: 0, timeUs: 0, ...ids, side, orderType: OrderType.MARKET, tif: marketTif, flags, qtyLots });
}

function orderIdOf(text: string | undefined, fail: (m: string) => never): number {
  if (text === undefined || !DECIMAL_ID.test(text)) return fail(`order id must be a positive decimal integer, got ${JSON.stringify(text)}`);
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : fail(`order id ${text} is not a safe integer`);
}

function numberIn(text: string | undefined, max: number, what: string, fail: (m: string) => never): number {
  if (text === undefined || !DECIMAL_ID.test(text)) return fail(`${what} must be a positive integer, got ${JSON.stringify(text)}`);
  const n = Number(text);
  return n <= max ? n : fail(`${what} ${text} exceeds ${max}, the largest this engine accepts in a flow`);
}

const TRADE = eventLayout(EventType.TRADE) as RecordLayout;
const T_SYMBOL = fieldOffset(TRADE, 'symbolId');
const T_TAKER = fieldOffset(TRADE, 'takerOrderId');
const T_MAKER = fieldOffset(TRADE, 'makerOrderId');
const T_PRICE = fieldOffset(TRADE, 'priceTicks');
const T_QTY = fieldOffset(TRADE, 'qtyLots');

/** Appends the trade lines of a run of events to per-symbol lists (index = symbol id). */
export function collectTrades(events: Uint8Array, symbolNames: readonly string[], tradesBySymbol: string[][]): void {
  const view = new DataView(events.buffer, events.byteOffset, events.byteLength);
  for (let at = 0; at < events.byteLength; at += EVENT_SIZE_BYTES) {
    if (view.getUint8(at) !== EventType.TRADE) continue;
    const symbolId = view.getUint32(at + T_SYMBOL, true);
    const line = `${symbolNames[symbolId]},${readU64(view, at + T_TAKER)},${readU64(view, at + T_MAKER)},${readU64(view, at + T_PRICE)},${readU64(view, at + T_QTY)}`;
    (tradesBySymbol[symbolId] ??= []).push(line);
  }
}

function sortedSymbolIds(symbolNames: readonly string[]): number[] {
  return symbolNames.map((_, id) => id).sort((a, b) => ((symbolNames[a] as string) < (symbolNames[b] as string) ? -1 : 1));
}

/** The trades output: symbols ascending (byte-wise), each in execution order. */
export function tradesText(symbolNames: readonly string[], tradesBySymbol: string[][]): string {
  return sortedSymbolIds(symbolNames).flatMap((id) => tradesBySymbol[id] ?? []).join('\n') + '\n';
}

/** The final book output: symbols ascending; bids best first, then asks best first; queue order within a price. */
export function bookText(s: CoreState, symbolNames: readonly string[]): string {
  const lines: string[] = [];
  for (const id of sortedSymbolIds(symbolNames)) {
    for (const [side, letter] of [[Side.BUY, 'B'], [Side.SELL, 'S']] as const) {
      for (const o of bookOrders(s, id, side)) lines.push(`${symbolNames[id]},${letter},${o.priceTicks},${o.orderId},${o.openQtyLots}`);
    }
  }
  return lines.join('\n') + '\n';
}

export interface FlowReplay {
  readonly engine: Engine;
  readonly tradesText: string;
  readonly bookText: string;
}

/** Runs a compiled flow through a fresh engine in FORMAT.md's mode and renders both outputs. */
export function replayFlow(program: FlowProgram): FlowReplay {
  const engine = new Engine(FLOW_ENGINE_CONFIG);
  const tradesBySymbol: string[][] = [];
  for (const c of program.setup) engine.apply(c);
  engine.events.clear();
  for (const c of program.orders) {
    engine.apply(c);
    if (engine.events.count > 256) {
      collectTrades(engine.events.written(), program.symbolNames, tradesBySymbol);
      engine.events.clear();
    }
  }
  collectTrades(engine.events.written(), program.symbolNames, tradesBySymbol);
  engine.events.clear();
  return { engine, tradesText: tradesText(program.symbolNames, tradesBySymbol), bookText: bookText(engine.state, program.symbolNames) };
}
