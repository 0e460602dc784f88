// A seeded generator of full-featured command streams (risk on, every order type, STP modes,
// icebergs, GTD expiries, stops, OCO pairs, cancels, replaces, mass cancels, deposits, withdrawals,
// halts, malformed fields) for property tests. Same seed, same stream.
import { ALL_ACCOUNTS, ALL_SESSIONS, ALL_SYMBOLS, BOTH_SIDES, OrderFlag, OrderType, placeCommand, Side, StpMode, TimeInForce, type Command, type PlaceCommand } from '../../engine/commands.ts';
import { CommandType } from '../../engine/schema.ts';

/** xorshift32, as in shared/orderflow/genflow.mjs: a uniform float in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4_294_967_296;
  };
}

export interface StreamShape {
  readonly accounts: number;
  readonly symbols: number;
  readonly commands: number;
}

const QUOTE_ASSET_ID = 0;
const MID_START_TICKS = 10_000;

/** Setup (assets, symbols, accounts, deposits) followed by `shape.commands` random commands. */
export function randomCommandStream(seed: number, shape: StreamShape): Command[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const out: Command[] = [];
  let seq = 0;
  let timeUs = 1_000_000;
  const push = (c: Record<string, unknown>) => {
    seq++;
    timeUs += 1 + int(1_000);
    out.push({ ...c, seq, timeUs } as unknown as Command);
  };
  push({ type: CommandType.ADD_ASSET, name: 'USD', scale: 2 });
  for (let i = 0; i < shape.symbols; i++) push({ type: CommandType.ADD_ASSET, name: `B${i}`, scale: 8 });
  for (let i = 0; i < shape.symbols; i++) {
    push({
      type: CommandType.ADD_SYMBOL, name: `B${i}-USD`, baseAssetId: i + 1, quoteAssetId: QUOTE_ASSET_ID, baseUnitsPerLot: 1_000, quoteUnitsPerTickLot: 7,
      minQtyLots: 1, maxQtyLots: 1_000, priceTicksMax: 1_000_000, referencePriceTicks: MID_START_TICKS,
      bandBps: 2_000, makerFeeBps: 5 + int(20), takerFeeBps: 10 + int(30), protectionBps: 300 + int(500),
    });
  }
  for (let a = 0; a < shape.accounts; a++) {
    push({ type: CommandType.CREATE_ACCOUNT, name: `acct-${a}` });
    push({ type: CommandType.DEPOSIT, accountId: a, assetId: QUOTE_ASSET_ID, amount: 2_000_000_000 + int(1_000_000_000) });
    for (let i = 0; i < shape.symbols; i++) push({ type: CommandType.DEPOSIT, accountId: a, assetId: i + 1, amount: 500_000 + int(500_000) });
  }
  const mids = Array.from({ length: shape.symbols }, () => MID_START_TICKS);
  const placed: { symbolId: number; accountId: number; orderId: number; clientOrderId: number }[] = [];
  let orderIdNext = 1;
  const SESSIONS = [0, 0, 7, 8];

  const newPlace = (symbolId: number): PlaceCommand => {
    const side = random() < 0.5 ? Side.BUY : Side.SELL;
    const mid = mids[symbolId] as number;
    const away = 1 + Math.floor(Math.abs(Math.log(1 - random())) * 15);
    const passive = side === Side.BUY ? mid - away : mid + away;
    const aggressive = side === Side.BUY ? mid + int(20) : mid - int(20);
    return placeCommand({
      seq: 0, timeUs: 0, symbolId, accountId: int(shape.accounts), orderId: orderIdNext++, side,
      clientOrderId: random() < 0.5 ? 1 + int(400) : 0, sessionId: pick(SESSIONS),
      qtyLots: 1 + (random() < 0.85 ? int(10) : int(200)), priceTicks: random() < 0.3 ? aggressive : passive,
      stp: random() < 0.5 ? StpMode.NONE : pick([StpMode.CANCEL_NEWEST, StpMode.CANCEL_OLDEST, StpMode.CANCEL_BOTH, StpMode.DECREMENT_AND_CANCEL]),
    });
  };

  const shapeOrder = (p: PlaceCommand, r: number): PlaceCommand => {
    const mid = mids[p.symbolId] as number;
    const stopAway = 2 + int(30);
    const stopPrice = p.side === Side.BUY ? mid + stopAway : mid - stopAway;
    if (r < 0.30) return p;
    if (r < 0.36) return { ...p, tif: TimeInForce.IOC };
    if (r < 0.41) return { ...p, tif: TimeInForce.FOK };
    if (r < 0.48) return { ...p, tif: TimeInForce.GTD, expireTimeUs: timeUs + 1 + int(3_000_000) };
    if (r < 0.53) return { ...p, flags: OrderFlag.POST_ONLY };
    if (r < 0.59) return { ...p, qtyLots: p.qtyLots + 20, displayQtyLots: 1 + int(5) };
    if (r < 0.68) return { ...p, orderType: OrderType.MARKET, tif: random() < 0.8 ? TimeInForce.IOC : TimeInForce.FOK, priceTicks: 0, quoteBudget: p.side === Side.BUY ? int(50_000_000) : 0 };
    if (r < 0.76) return { ...p, orderType: OrderType.STOP_LIMIT, stopPriceTicks: stopPrice, priceTicks: stopPrice + (p.side === Side.BUY ? int(10) : -int(10)), tif: pick([TimeInForce.GTC, TimeInForce.IOC, TimeInForce.GTD]), expireTimeUs: 0 };
    if (r < 0.82) return { ...p, orderType: OrderType.STOP_MARKET, stopPriceTicks: stopPrice, priceTicks: 0, quoteBudget: p.side === Side.BUY ? int(50_000_000) : 0 };
    if (r < 0.90) {
      const limit = p.side === Side.BUY ? mid - 1 - int(20) : mid + 1 + int(20);
      return { ...p, orderType: OrderType.OCO, priceTicks: limit, stopPriceTicks: stopPrice, linkedOrderId: orderIdNext++, linkedPriceTicks: random() < 0.5 ? 0 : stopPrice, quoteBudget: p.side === Side.BUY ? int(50_000_000) : 0 };
    }
    return malformed(p, int);
  };

  for (let i = 0; i < shape.commands; i++) {
    const symbolId = int(shape.symbols);
    if (random() < 0.02) mids[symbolId] = Math.max(100, (mids[symbolId] as number) + int(41) - 20);
    const r = random();
    if (r < 0.55) {
      let p = shapeOrder(newPlace(symbolId), random());
      if (p.tif === TimeInForce.GTD && p.expireTimeUs === 0) p = { ...p, expireTimeUs: timeUs + 1 + int(3_000_000) };
      push(p as unknown as Record<string, unknown>);
      placed.push({ symbolId, accountId: p.accountId, orderId: p.orderId, clientOrderId: p.clientOrderId });
      if (p.orderType === OrderType.OCO) placed.push({ symbolId, accountId: p.accountId, orderId: p.linkedOrderId, clientOrderId: p.clientOrderId });
    } else if (r < 0.72 && placed.length > 0) {
      const o = pick(placed);
      const byClientId = o.clientOrderId > 0 && random() < 0.5;
      push({ type: CommandType.CANCEL, symbolId: o.symbolId, accountId: random() < 0.95 ? o.accountId : int(shape.accounts), orderId: byClientId ? 0 : o.orderId, clientOrderId: o.clientOrderId });
    } else if (r < 0.86 && placed.length > 0) {
      const o = pick(placed);
      const mid = mids[o.symbolId] as number;
      const byClientId = o.clientOrderId > 0 && random() < 0.5;
      push({ type: CommandType.REPLACE, symbolId: o.symbolId, accountId: o.accountId, orderId: byClientId ? 0 : o.orderId, clientOrderId: o.clientOrderId,
        priceTicks: mid + int(60) - 30, qtyLots: 1 + int(15), flags: random() < 0.2 ? OrderFlag.POST_ONLY : 0 });
    } else if (r < 0.875) {
      const sweep = random() < 0.1;
      push({ type: CommandType.MASS_CANCEL, accountId: sweep ? ALL_ACCOUNTS : int(shape.accounts), symbolId: random() < 0.5 ? ALL_SYMBOLS : symbolId,
        side: pick([BOTH_SIDES, Side.BUY, Side.SELL]), sessionId: sweep ? ALL_SESSIONS : pick(SESSIONS) });
    } else if (r < 0.90) {
      push({ type: random() < 0.5 ? CommandType.DEPOSIT : CommandType.WITHDRAW, accountId: int(shape.accounts), assetId: int(shape.symbols + 1), amount: 1 + int(10_000_000) });
    } else if (r < 0.95) {
      timeUs += int(2_000_000);
      push({ type: CommandType.CLOCK });
    } else if (r < 0.96) {
      push({ type: random() < 0.5 ? CommandType.HALT_SYMBOL : CommandType.RESUME_SYMBOL, symbolId, referencePriceTicks: random() < 0.5 ? 0 : mids[symbolId] });
    } else {
      const p = newPlace(symbolId);
      push({ ...p, orderType: OrderType.LIMIT } as unknown as Record<string, unknown>);
      placed.push({ symbolId, accountId: p.accountId, orderId: p.orderId, clientOrderId: p.clientOrderId });
    }
  }
  return out;
}

/** A place command with one field out of its domain, so rejections are exercised too. */
function malformed(p: PlaceCommand, int: (n: number) => number): PlaceCommand {
  switch (int(9)) {
    case 0: return { ...p, side: 3 };
    case 1: return { ...p, orderType: 9 };
    case 2: return { ...p, tif: 0 };
    case 3: return { ...p, stp: 7 };
    case 4: return { ...p, qtyLots: 0 };
    case 5: return { ...p, priceTicks: 2 ** 53 };
    case 6: return { ...p, displayQtyLots: p.qtyLots + 1 };
    case 7: return { ...p, symbolId: 999 };
    default: return { ...p, orderId: 1 };
  }
}
