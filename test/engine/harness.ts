// Test harness for the matching core: sequenced commands with a controllable clock, every event
// decoded to a plain object named by its EventType, engine.verify() after EVERY command, and
// builders for the expected events so tests can deepEqual whole event lists.
import assert from 'node:assert/strict';
import { Side, StpMode, placeCommand, type AddSymbolCommand, type Command, type PlaceCommand } from '../../engine/commands.ts';
import { Engine } from '../../engine/engine.ts';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../../engine/limits.ts';
import { balanceOf, bookLevels, bookOrders, type Balance, type BookLevel, type BookOrder } from '../../engine/queries.ts';
import { ResultCode } from '../../engine/result-codes.ts';
import { COMMAND_SIZE_BYTES, CommandType, EVENT_SIZE_BYTES, EventType, decodeRecord, eventLayout } from '../../engine/schema.ts';

export { CommandType, ResultCode, Side, StpMode };
export const { BUY, SELL } = Side;

/** One decoded event: `event` is its EventType name, the rest its fields (header fields removed). */
export type Ev = Record<string, number | string>;

const eventNameByType = new Map<number, string>(Object.entries(EventType).map(([name, type]) => [type, name]));

/** Every field of a place command except the header; seq, time and type come from the harness. */
export type PlaceParams = Omit<PlaceCommand, 'type' | 'seq' | 'timeUs'>;
/** What a test writes: account, id, side and quantity; the rest defaults like placeCommand (symbol: the harness's default). */
export type PlaceInput = Pick<PlaceParams, 'accountId' | 'orderId' | 'side' | 'qtyLots'> & Partial<PlaceParams>;

/** Every field of an add-symbol command except the header. */
export type SymbolParams = Omit<AddSymbolCommand, 'type' | 'seq' | 'timeUs'>;

export const DEFAULT_SYMBOL: SymbolParams = {
  name: 'BTC-USD', baseAssetId: 0, quoteAssetId: 1, baseUnitsPerLot: 1, quoteUnitsPerTickLot: 1, minQtyLots: 1,
  maxQtyLots: 1_000_000, priceTicksMax: 1_000_000, referencePriceTicks: 0, bandBps: 0, makerFeeBps: 0, takerFeeBps: 0, protectionBps: 0,
};

type Body<C> = C extends Command ? Omit<C, 'seq' | 'timeUs'> : never;
/** A command without its header: the harness stamps seq and time. */
export type CommandBody = Body<Command>;

interface OrderInfo {
  symbolId: number;
  accountId: number;
  side: number;
  stopPriceTicks: number;
  clientOrderId: number;
}

export class Harness {
  readonly engine: Engine;
  /** Time stamped on the next command (microseconds); moved only by the test. */
  nowUs = 1_000_000;
  /** Symbol used when a place, cancel or replace names none. */
  symbolId = 0;
  private readonly places = new Map<number, PlaceParams>();
  private readonly orders = new Map<number, OrderInfo>();
  private readonly quoteUnitsBySymbol: number[] = [];

  constructor(config: Partial<EngineConfig> = {}) {
    this.engine = new Engine({ ...DEFAULT_ENGINE_CONFIG, ...config });
  }

  get seq(): number {
    return this.engine.seqLast;
  }

  /** Applies one command with the next seq, checks every invariant, and returns its events decoded. */
  /**
   * The BALANCE_CHANGED events of the last command. They are kept out of the lists that apply()
   * returns (tests assert balances through bal()), and checked on every command: each reports the
   * balance as it now is, and every balance the command changed is reported.
   */
  balanceChanges: Ev[] = [];

  apply(body: CommandBody): Ev[] {
    const seq = this.engine.seqLast + 1;
    const command = { ...body, seq, timeUs: this.nowUs } as Command;
    const before = this.allBalances();
    this.engine.apply(command);
    return this.collect(seq, before);
  }

  /** Applies one binary command record (its seq and time must be set by the caller). */
  applyRecord(bytes: Uint8Array): Ev[] {
    const view = new DataView(bytes.buffer, bytes.byteOffset, COMMAND_SIZE_BYTES);
    const seq = this.engine.seqLast + 1;
    const before = this.allBalances();
    this.engine.applyRecord(view, 0);
    return this.collect(seq, before);
  }

  private allBalances(): Map<string, string> {
    const out = new Map<string, string>();
    const l = this.engine.state.ledger;
    l.assets.forEach((a, assetId) => {
      for (let id = 0; id < l.accountCount; id++) out.set(`${id}/${assetId}`, `${a.available[id]}/${a.reserved[id]}`);
    });
    return out;
  }

  private checkBalanceChanges(before: Map<string, string>): void {
    const reported = new Set<string>();
    for (const e of this.balanceChanges) {
      const key = `${e['accountId']}/${e['assetId']}`;
      const now = balanceOf(this.engine.state, e['accountId'] as number, e['assetId'] as number);
      assert.deepEqual([e['availableAmount'], e['reservedAmount']], [now.availableAmount, now.reservedAmount], `BALANCE_CHANGED ${key} reports the balance as it is`);
      assert.ok(!reported.has(key), `BALANCE_CHANGED ${key} reported once per command`);
      reported.add(key);
    }
    for (const [key, value] of this.allBalances()) {
      if (before.get(key) !== undefined && before.get(key) !== value) assert.ok(reported.has(key), `the changed balance ${key} is reported`);
    }
  }

  private collect(seq: number, before: Map<string, string>): Ev[] {
    const w = this.engine.events;
    const bytes = w.written();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: Ev[] = [];
    for (let i = 0; i < w.count; i++) {
      const offset = i * EVENT_SIZE_BYTES;
      const type = view.getUint8(offset);
      const layout = eventLayout(type);
      if (layout === undefined) throw new Error(`event of unknown type ${type}`);
      const { type: _type, seq: eventSeq, timeUs, ...fields } = decodeRecord(layout, view, offset);
      assert.equal(eventSeq, seq, 'every event carries the seq of the command it answers');
      assert.equal(timeUs, this.nowUs, 'every event carries the time of the command it answers');
      out.push({ event: eventNameByType.get(type) ?? `TYPE_${type}`, ...fields });
    }
    w.clear();
    this.engine.verify();
    this.balanceChanges = out.filter((e) => e['event'] === 'BALANCE_CHANGED');
    this.checkBalanceChanges(before);
    return out.filter((e) => e['event'] !== 'BALANCE_CHANGED');
  }

  // ---- admin -------------------------------------------------------------------------------

  addAsset(name: string, scale = 2): Ev[] {
    return this.apply({ type: CommandType.ADD_ASSET, name, scale });
  }

  createAccount(name: string): Ev[] {
    return this.apply({ type: CommandType.CREATE_ACCOUNT, name });
  }

  addSymbol(params: Partial<SymbolParams> = {}): Ev[] {
    const p = { ...DEFAULT_SYMBOL, ...params };
    const events = this.apply({ type: CommandType.ADD_SYMBOL, ...p });
    const added = events.find((e) => e['event'] === 'SYMBOL_ADDED');
    if (added !== undefined) this.quoteUnitsBySymbol[added['symbolId'] as number] = p.quoteUnitsPerTickLot;
    return events;
  }

  deposit(accountId: number, assetId: number, amount: number): Ev[] {
    return this.apply({ type: CommandType.DEPOSIT, accountId, assetId, amount });
  }

  withdraw(accountId: number, assetId: number, amount: number): Ev[] {
    return this.apply({ type: CommandType.WITHDRAW, accountId, assetId, amount });
  }

  halt(symbolId = this.symbolId): Ev[] {
    return this.apply({ type: CommandType.HALT_SYMBOL, symbolId });
  }

  resume(referencePriceTicks = 0, symbolId = this.symbolId): Ev[] {
    return this.apply({ type: CommandType.RESUME_SYMBOL, symbolId, referencePriceTicks });
  }

  close(symbolId = this.symbolId): Ev[] {
    return this.apply({ type: CommandType.CLOSE_SYMBOL, symbolId });
  }

  /** A CLOCK command at `timeUs` (GTD expiry is evaluated against each command's time). */
  clock(timeUs: number = this.nowUs): Ev[] {
    this.nowUs = timeUs;
    return this.apply({ type: CommandType.CLOCK });
  }

  // ---- orders ------------------------------------------------------------------------------

  /** The place command the harness would send for `input` (defaults as placeCommand, symbol = harness default). */
  placeParams(input: PlaceInput): PlaceParams {
    const { type: _type, seq: _seq, timeUs: _timeUs, ...rest } = placeCommand({ symbolId: this.symbolId, ...input, seq: 0, timeUs: 0 });
    return rest;
  }

  place(input: PlaceInput): Ev[] {
    const params = this.placeParams(input);
    const events = this.apply({ type: CommandType.PLACE, ...params });
    // Accepted orders define the id; a rejected attempt only fills in an unknown id, so that an
    // expectation built for it still compares (and fails) against the actual events.
    const accepted = events.some((e) => e['event'] === 'ORDER_ACCEPTED' && e['orderId'] === params.orderId);
    const info = { symbolId: params.symbolId, accountId: params.accountId, side: params.side, stopPriceTicks: params.stopPriceTicks, clientOrderId: params.clientOrderId };
    for (const id of params.linkedOrderId !== 0 ? [params.orderId, params.linkedOrderId] : [params.orderId]) {
      if (accepted || !this.orders.has(id)) this.orders.set(id, info);
    }
    if (accepted || !this.places.has(params.orderId)) this.places.set(params.orderId, params);
    return events;
  }

  /** A limit order (GTC unless `extra` says otherwise). */
  limit(accountId: number, orderId: number, side: number, priceTicks: number, qtyLots: number, extra: Partial<PlaceParams> = {}): Ev[] {
    return this.place({ ...extra, accountId, orderId, side, priceTicks, qtyLots });
  }

  cancel(accountId: number, orderId: number, symbolId = this.symbolId): Ev[] {
    return this.apply({ type: CommandType.CANCEL, symbolId, accountId, orderId, clientOrderId: 0 });
  }

  replace(accountId: number, orderId: number, priceTicks: number, qtyLots: number, flags = 0, symbolId = this.symbolId): Ev[] {
    return this.apply({ type: CommandType.REPLACE, symbolId, accountId, orderId, clientOrderId: 0, priceTicks, qtyLots, flags });
  }

  massCancel(accountId: number, symbolId: number, side: number, sessionId = 0): Ev[] {
    return this.apply({ type: CommandType.MASS_CANCEL, accountId, symbolId, side, sessionId });
  }

  // ---- queries -----------------------------------------------------------------------------

  bids(symbolId = this.symbolId): BookOrder[] {
    return bookOrders(this.engine.state, symbolId, BUY);
  }

  asks(symbolId = this.symbolId): BookOrder[] {
    return bookOrders(this.engine.state, symbolId, SELL);
  }

  /** Ids of the resting orders of one side, best first, queue order within a price. */
  ids(side: number, symbolId = this.symbolId): number[] {
    return bookOrders(this.engine.state, symbolId, side).map((o) => o.orderId);
  }

  levels(side: number, symbolId = this.symbolId): BookLevel[] {
    return bookLevels(this.engine.state, symbolId, side);
  }

  balance(accountId: number, assetId: number): Balance {
    return balanceOf(this.engine.state, accountId, assetId);
  }

  /** [available, reserved] of one account and asset: short to assert. */
  bal(accountId: number, assetId: number): [number, number] {
    const b = this.balance(accountId, assetId);
    return [b.availableAmount, b.reservedAmount];
  }

  feesCollected(assetId: number): number {
    const a = this.engine.state.ledger.assets[assetId];
    if (a === undefined) throw new Error(`no asset ${assetId}`);
    return a.feesCollected;
  }

  lastPrice(symbolId = this.symbolId): number {
    const sym = this.engine.state.symbols[symbolId];
    if (sym === undefined) throw new Error(`no symbol ${symbolId}`);
    return sym.lastPriceTicks;
  }

  // ---- expected events ---------------------------------------------------------------------

  private info(orderId: number): OrderInfo {
    const info = this.orders.get(orderId);
    if (info === undefined) throw new Error(`harness knows no order ${orderId}`);
    return info;
  }

  /** ORDER_ACCEPTED echoing the place command of `orderId` as the harness sent it. */
  accepted(orderId: number): Ev {
    const p = this.places.get(orderId);
    if (p === undefined) throw new Error(`harness placed no order ${orderId}`);
    return {
      event: 'ORDER_ACCEPTED', symbolId: p.symbolId, accountId: p.accountId, orderId: p.orderId, side: p.side, orderType: p.orderType,
      tif: p.tif, flags: p.flags, stp: p.stp, priceTicks: p.priceTicks, qtyLots: p.qtyLots, stopPriceTicks: p.stopPriceTicks,
      displayQtyLots: p.displayQtyLots, expireTimeUs: p.expireTimeUs, linkedOrderId: p.linkedOrderId, quoteBudget: p.quoteBudget,
      linkedPriceTicks: p.linkedPriceTicks, clientOrderId: p.clientOrderId,
    };
  }

  rested(orderId: number, priceTicks: number, openQtyLots: number, visibleQtyLots = openQtyLots): Ev {
    const i = this.info(orderId);
    return { event: 'ORDER_RESTED', symbolId: i.symbolId, accountId: i.accountId, orderId, side: i.side, priceTicks, openQtyLots, visibleQtyLots, clientOrderId: i.clientOrderId };
  }

  cancelled(orderId: number, code: number, priceTicks: number, cancelledQtyLots: number, visibleQtyLots = 0, leavesQtyLots = 0): Ev {
    const i = this.info(orderId);
    return {
      event: 'ORDER_CANCELLED', symbolId: i.symbolId, accountId: i.accountId, orderId, side: i.side, code, priceTicks,
      cancelledQtyLots, visibleQtyLots, leavesQtyLots, clientOrderId: i.clientOrderId,
    };
  }

  trade(t: { taker: number; maker: number; px: number; qty: number; takerLeaves: number; makerLeaves: number; takerFee?: number; makerFee?: number }): Ev {
    const taker = this.info(t.taker);
    const maker = this.info(t.maker);
    const unit = this.quoteUnitsBySymbol[taker.symbolId] ?? 1;
    return {
      event: 'TRADE', symbolId: taker.symbolId, takerSide: taker.side, takerAccountId: taker.accountId, makerAccountId: maker.accountId,
      takerOrderId: t.taker, makerOrderId: t.maker, priceTicks: t.px, qtyLots: t.qty, takerLeavesQtyLots: t.takerLeaves,
      makerLeavesQtyLots: t.makerLeaves, takerFee: t.takerFee ?? 0, makerFee: t.makerFee ?? 0, quoteAmount: t.px * t.qty * unit,
      takerClientOrderId: taker.clientOrderId, makerClientOrderId: maker.clientOrderId,
    };
  }

  triggered(orderId: number, lastPriceTicks: number): Ev {
    const i = this.info(orderId);
    return {
      event: 'ORDER_TRIGGERED', symbolId: i.symbolId, accountId: i.accountId, orderId, side: i.side, stopPriceTicks: i.stopPriceTicks, lastPriceTicks,
      clientOrderId: i.clientOrderId,
    };
  }

  refilled(orderId: number, priceTicks: number, visibleQtyLots: number, openQtyLots: number): Ev {
    const i = this.info(orderId);
    return { event: 'ORDER_REFILLED', symbolId: i.symbolId, accountId: i.accountId, orderId, side: i.side, priceTicks, visibleQtyLots, openQtyLots, clientOrderId: i.clientOrderId };
  }

  replaced(orderId: number, r: { kept: boolean; oldPx: number; oldQty: number; oldVisible: number; px: number; qty: number; visible: number }): Ev {
    const i = this.info(orderId);
    return {
      event: 'ORDER_REPLACED', symbolId: i.symbolId, accountId: i.accountId, orderId, side: i.side, priorityKept: r.kept ? 1 : 0,
      oldPriceTicks: r.oldPx, oldQtyLots: r.oldQty, oldVisibleQtyLots: r.oldVisible, priceTicks: r.px, qtyLots: r.qty, visibleQtyLots: r.visible,
      clientOrderId: i.clientOrderId,
    };
  }
}

/** REJECTED of a command; symbol, account and order default to 0 as the engine writes them for admin commands. */
export function rejected(commandType: number, code: number, ids: { symbolId?: number; accountId?: number; orderId?: number; clientOrderId?: number } = {}): Ev {
  return {
    event: 'REJECTED', commandType, code, symbolId: ids.symbolId ?? 0, accountId: ids.accountId ?? 0, orderId: ids.orderId ?? 0,
    clientOrderId: ids.clientOrderId ?? 0,
  };
}

/** The summary ending every accepted mass cancel. */
export function massCancelDone(accountId: number, symbolId: number, side: number, cancelledCount: number, sessionId = 0): Ev {
  return { event: 'MASS_CANCEL_DONE', accountId, symbolId, side, sessionId, cancelledCount };
}

export function balanceChanged(accountId: number, assetId: number, commandType: number, amount: number, availableAmount: number, reservedAmount: number): Ev {
  return { event: 'BALANCE_CHANGED', accountId, assetId, commandType, amount, availableAmount, reservedAmount };
}

export function symbolStatus(symbolId: number, status: number, referencePriceTicks: number): Ev {
  return { event: 'SYMBOL_STATUS', symbolId, status, referencePriceTicks };
}

/** Names of the events, for the rare assertion about order alone. */
export function names(events: readonly Ev[]): string[] {
  return events.map((e) => e['event'] as string);
}

export interface MarketOptions {
  config?: Partial<EngineConfig>;
  symbol?: Partial<SymbolParams>;
  /** Number of trading accounts (ids 0..n-1, named a0, a1, ...). */
  accounts?: number;
  /** Deposited to every account: base (asset 0) and quote (asset 1). */
  base?: number;
  quote?: number;
}

export const BASE = 0;
export const QUOTE = 1;
/** Account ids of a standard market. */
export const A = 0;
export const B = 1;
export const C = 2;

/**
 * A ready venue: assets BASE (0) and QUOTE (1), `accounts` accounts funded with `base` and `quote`,
 * and one symbol (id 0) with DEFAULT_SYMBOL overridden by `symbol`.
 */
export function market(opts: MarketOptions = {}): Harness {
  const h = new Harness(opts.config ?? {});
  h.addAsset('BASE', 0);
  h.addAsset('QUOTE', 0);
  const accounts = opts.accounts ?? 3;
  for (let i = 0; i < accounts; i++) h.createAccount(`a${i}`);
  const base = opts.base ?? 1_000_000;
  const quote = opts.quote ?? 1_000_000;
  for (let i = 0; i < accounts; i++) {
    if (base > 0) h.deposit(i, BASE, base);
    if (quote > 0) h.deposit(i, QUOTE, quote);
  }
  const added = h.addSymbol(opts.symbol ?? {});
  assert.equal(added[0]?.['event'], 'SYMBOL_ADDED', `fixture symbol rejected: ${JSON.stringify(added)}`);
  return h;
}
