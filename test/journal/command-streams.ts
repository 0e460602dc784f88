// Deterministic command streams for the durable-core tests, and the live in-memory run they are
// compared with. The risk-on stream is a pure function of (seed, seq), so a process killed at any
// point restarts and continues it from seqLast + 1; the clock jitters backwards on purpose, so the
// sequencer's max(previous, clock) rule is exercised on every run.

import { execFileSync } from 'node:child_process';
import { mulberry32 } from '../../bench/mulberry32.ts';
import { Engine } from '../../engine/engine.ts';
import {
  ALL_SYMBOLS,
  BOTH_SIDES,
  OrderFlag,
  OrderType,
  Side,
  StpMode,
  TimeInForce,
  encodeCommand,
  placeCommand,
  type Command,
} from '../../engine/commands.ts';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../../engine/limits.ts';
import { compileFlow } from '../../engine/orderflow.ts';
import { CommandType, COMMAND_SIZE_BYTES } from '../../engine/schema.ts';
import { Sequencer, type ClockUs } from '../../journal/sequencer.ts';

/** shared/ sits beside the repository (on developer machines and in CI). */
export const GENFLOW_PATH = new URL('../../../shared/orderflow/genflow.mjs', import.meta.url).pathname;
export const REFRUN_PATH = new URL('../../../shared/orderflow/refrun.mjs', import.meta.url).pathname;
/** 2026-01-01T00:00:00Z in microseconds. */
const TIME_US_BASE = 1_767_225_600_000_000;
const TIME_US_PER_SEQ = 250;
/** Wider than TIME_US_PER_SEQ, so consecutive clock readings sometimes go backwards. */
const TIME_JITTER_US = 1_000;

/** The engine configuration of the risk-on stream: the default one (risk enabled). */
export const RISK_ENGINE_CONFIG: EngineConfig = DEFAULT_ENGINE_CONFIG;

/**
 * A command with only the fields this stream sets. encodeCommand writes every field the schema
 * lists and absent ones as 0, each field's neutral value, so the stream keeps working as the
 * engine adds fields; the core only ever sees the encoded record.
 */
function command(fields: { readonly type: number; readonly seq: number; readonly timeUs: number; readonly [name: string]: number | string }): Command {
  return fields as unknown as Command;
}

/** A uniform generator in [0, 1) seeded by (seed, seq): mulberry32 over a mixed key. */
export function randomFor(seed: number, seq: number): () => number {
  return mulberry32(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(seq, 0x85ebca6b));
}

export function streamTimeUs(seed: number, seq: number): number {
  return TIME_US_BASE + seq * TIME_US_PER_SEQ + Math.floor(randomFor(seed ^ 0x7f4a7c15, seq)() * TIME_JITTER_US);
}

/** A clock whose n-th reading is streamTimeUs(seed, seqFirst + n): the sequencer reads it once per command. */
export function streamClockUs(seed: number, seqFirst: number): ClockUs {
  let seq = seqFirst;
  return () => streamTimeUs(seed, seq++);
}

const ASSET_NAMES = ['BTC', 'USD', 'ETH'] as const;
const ACCOUNT_COUNT = 8;
const DEPOSIT_AMOUNT = 1_000_000_000_000;
const SYMBOLS = [
  { name: 'BTC-USD', baseAssetId: 0, quoteAssetId: 1 },
  { name: 'ETH-USD', baseAssetId: 2, quoteAssetId: 1 },
] as const;
const SEQ_DEPOSITS_FIRST = ASSET_NAMES.length + ACCOUNT_COUNT + 1;
const SEQ_SYMBOLS_FIRST = SEQ_DEPOSITS_FIRST + ACCOUNT_COUNT * ASSET_NAMES.length;
/** Commands 1..RISK_SETUP_COMMANDS create assets, accounts, deposits and symbols. */
const RISK_SETUP_COMMANDS = SEQ_SYMBOLS_FIRST + SYMBOLS.length - 1;
/** OCO stop legs get ids far above any seq. */
const LINKED_ORDER_ID_OFFSET = 2 ** 40;

function setupCommand(seq: number): Command {
  const header = { seq, timeUs: 0 };
  if (seq <= ASSET_NAMES.length) return command({ type: CommandType.ADD_ASSET, ...header, name: ASSET_NAMES[seq - 1]!, scale: 2 });
  if (seq < SEQ_DEPOSITS_FIRST) return command({ type: CommandType.CREATE_ACCOUNT, ...header, name: `acct-${seq - ASSET_NAMES.length - 1}` });
  if (seq < SEQ_SYMBOLS_FIRST) {
    const index = seq - SEQ_DEPOSITS_FIRST;
    return command({ type: CommandType.DEPOSIT, ...header, accountId: Math.floor(index / ASSET_NAMES.length), assetId: index % ASSET_NAMES.length, amount: DEPOSIT_AMOUNT });
  }
  const symbol = SYMBOLS[seq - SEQ_SYMBOLS_FIRST]!;
  return command({
    type: CommandType.ADD_SYMBOL, ...header, ...symbol, baseUnitsPerLot: 100, quoteUnitsPerTickLot: 1, minQtyLots: 1, maxQtyLots: 1_000_000,
    priceTicksMax: 1_000_000, referencePriceTicks: 1_000, bandBps: 2_000, makerFeeBps: 5, takerFeeBps: 10, protectionBps: 500,
  });
}

/** The symbol and account command `seq` would use if it places an order: its first two draws. */
function ownerOf(seed: number, seq: number): { symbolId: number; accountId: number } {
  const random = randomFor(seed, seq);
  return { symbolId: Math.floor(random() * SYMBOLS.length), accountId: Math.floor(random() * ACCOUNT_COUNT) };
}

/** Command `seq` of the risk-on stream for `seed`: setup first, then every order type, amendments, transfers, halts and clock ticks. */
export function riskCommand(seed: number, seq: number): Command {
  if (seq <= RISK_SETUP_COMMANDS) return setupCommand(seq);
  const random = randomFor(seed, seq);
  const pick = (count: number): number => Math.floor(random() * count);
  const header = { seq, timeUs: 0 };
  const symbolId = pick(SYMBOLS.length);
  const accountId = pick(ACCOUNT_COUNT);
  const earlierOrderId = Math.max(RISK_SETUP_COMMANDS + 1, seq - 1 - pick(300));
  const earlierOwner = ownerOf(seed, earlierOrderId);
  const mid = 1_000 + Math.round(20 * Math.sin(seq / 300 + symbolId));
  const side = random() < 0.5 ? Side.BUY : Side.SELL;
  const away = side === Side.BUY ? -1 : 1;
  const qtyLots = 1 + (random() < 0.9 ? pick(20) : pick(400));
  const passivePrice = mid + away * (1 + pick(12));
  const aggressivePrice = mid - away * pick(6);
  const stopPrice = mid - away * (3 + pick(15));
  const order = { ...header, symbolId, accountId, orderId: seq, side, qtyLots, stp: pick(5) as StpMode };
  const roll = random();
  if (roll < 0.3) return placeCommand({ ...order, priceTicks: random() < 0.15 ? aggressivePrice : passivePrice });
  if (roll < 0.35) return placeCommand({ ...order, priceTicks: aggressivePrice, tif: TimeInForce.IOC });
  if (roll < 0.38) return placeCommand({ ...order, priceTicks: aggressivePrice, tif: TimeInForce.FOK });
  if (roll < 0.42) return placeCommand({ ...order, priceTicks: passivePrice, tif: TimeInForce.GTD, expireTimeUs: streamTimeUs(seed, seq) + 2_000 + pick(100_000) });
  if (roll < 0.46) return placeCommand({ ...order, priceTicks: mid + away * pick(4), flags: OrderFlag.POST_ONLY });
  if (roll < 0.5) return placeCommand({ ...order, orderType: OrderType.MARKET, tif: TimeInForce.IOC, quoteBudget: qtyLots * (mid + 60) * 2 });
  if (roll < 0.53) return placeCommand({ ...order, orderType: OrderType.STOP_LIMIT, stopPriceTicks: stopPrice, priceTicks: stopPrice - away * 2 });
  if (roll < 0.56) return placeCommand({ ...order, orderType: OrderType.STOP_MARKET, stopPriceTicks: stopPrice, quoteBudget: qtyLots * (mid + 60) * 2 });
  if (roll < 0.59) {
    return placeCommand({
      ...order, orderType: OrderType.OCO, priceTicks: passivePrice, stopPriceTicks: stopPrice, linkedOrderId: LINKED_ORDER_ID_OFFSET + seq,
      linkedPriceTicks: random() < 0.5 ? 0 : stopPrice - away * 2, quoteBudget: qtyLots * (mid + 60) * 2,
    });
  }
  if (roll < 0.63) return placeCommand({ ...order, priceTicks: passivePrice, qtyLots: qtyLots + 10, displayQtyLots: 1 + pick(5) });
  if (roll < 0.78) return command({ type: CommandType.CANCEL, ...header, ...earlierOwner, orderId: earlierOrderId });
  if (roll < 0.87) {
    const priceTicks = random() < 0.5 ? passivePrice : aggressivePrice;
    return command({ type: CommandType.REPLACE, ...header, ...earlierOwner, orderId: earlierOrderId, priceTicks, qtyLots, flags: 0 });
  }
  if (roll < 0.885) {
    return command({ type: CommandType.MASS_CANCEL, ...header, accountId, symbolId: random() < 0.5 ? ALL_SYMBOLS : symbolId, side: random() < 0.5 ? BOTH_SIDES : side });
  }
  if (roll < 0.92) return command({ type: CommandType.DEPOSIT, ...header, accountId, assetId: pick(ASSET_NAMES.length), amount: 1 + pick(1_000_000) });
  if (roll < 0.93) return command({ type: CommandType.WITHDRAW, ...header, accountId, assetId: pick(ASSET_NAMES.length), amount: 1 + pick(1_000_000) });
  if (roll < 0.931) return command({ type: CommandType.HALT_SYMBOL, ...header, symbolId });
  if (roll < 0.945) return command({ type: CommandType.RESUME_SYMBOL, ...header, symbolId, referencePriceTicks: random() < 0.5 ? 0 : mid });
  if (roll < 0.96) return command({ type: CommandType.CLOCK, ...header });
  return placeCommand({ ...order, priceTicks: passivePrice });
}

export function riskCommands(seed: number, count: number): Command[] {
  return Array.from({ length: count }, (_, index) => riskCommand(seed, index + 1));
}

/** The commands of a generated order flow (setup included), as `npm run journal -- ingest` journals them. */
export function flowCommands(genflowArgs: readonly string[]): Command[] {
  const program = compileFlow(execFileSync(process.execPath, [GENFLOW_PATH, ...genflowArgs], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 }));
  return [...program.setup, ...program.orders];
}

export interface LiveRun {
  readonly engine: Engine;
  /** Every event of the run, in order. */
  readonly events: Buffer;
  /** State hash after each seq in `hashSeqs`. */
  readonly hashAt: ReadonlyMap<number, string>;
}

/** The reference: the same commands through a sequencer on `clockUs` and an engine, in memory, one at a time. */
export function liveRun(config: EngineConfig, commands: readonly Command[], clockUs: ClockUs, hashSeqs: readonly number[] = []): LiveRun {
  const engine = new Engine(config);
  const sequencer = new Sequencer(clockUs, 0, 0);
  const slot = new Uint8Array(COMMAND_SIZE_BYTES);
  const view = new DataView(slot.buffer);
  const chunks: Buffer[] = [];
  const wanted = new Set(hashSeqs);
  const hashAt = new Map<number, string>();
  for (const command of commands) {
    encodeCommand(command, view, 0);
    const seq = sequencer.stamp(slot, 0);
    engine.applyRecord(view, 0);
    chunks.push(Buffer.from(engine.events.written()));
    engine.events.clear();
    if (wanted.has(seq)) hashAt.set(seq, engine.stateHash());
  }
  return { engine, events: Buffer.concat(chunks), hashAt };
}
