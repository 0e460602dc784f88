// The market the load generator trades in: its symbols, accounts, deposits and the prices and
// quantities its orders use. Setup (admin REST) and the order flow read the same definitions, so the
// orders always fit the symbols' tick and lot sizes and the accounts can always pay for them.

export const QUOTE_ASSET = 'USD';
export const TICK_SIZE = '0.01';
export const LOT_SIZE = '0.001';
const TICKS_PER_UNIT = 100;
const LOTS_PER_UNIT = 1_000;
export const MAKER_FEE_BPS = 1;
export const TAKER_FEE_BPS = 2;
/** Every symbol trades around 100.00: passive orders rest on their own side of it and never cross. */
export const MID_PRICE_TICKS = 10_000;
/** Passive orders rest 1..this many ticks from the mid, so at or near the touch. */
export const PASSIVE_OFFSET_TICKS_MAX = 10;
/** Marketable orders are IOC limits this far through the mid: they take the nearest levels of the other side. */
export const MARKETABLE_OFFSET_TICKS = 5;
/** Order sizes are 1..this many lots (0.001 .. 0.1). */
export const QTY_LOTS_MAX = 100;
/**
 * Deposited once per account (decimal strings, as the admin API takes them): far more than 200 resting
 * orders reserve, while the venue-wide sum of an asset's deposits (at most 256 accounts at the default
 * scale of 8) stays below 2^53 minor units, the core's limit.
 */
export const QUOTE_DEPOSIT = '100000';
export const BASE_DEPOSIT = '1000';

export interface BenchSymbol {
  readonly name: string;
  readonly base: string;
}

export function benchSymbols(count: number): BenchSymbol[] {
  return Array.from({ length: count }, (_, i) => ({ name: `LG${i}-${QUOTE_ASSET}`, base: `LG${i}` }));
}

export function accountName(index: number): string {
  return `lg-${index}`;
}

function decimalOf(units: number, perUnit: number, digits: number): string {
  return `${Math.floor(units / perUnit)}.${String(units % perUnit).padStart(digits, '0')}`;
}

/** Price and quantity texts, built once so that no request formats a decimal. */
export const PRICE_TEXT_BY_OFFSET: ReadonlyMap<number, string> = new Map(
  Array.from({ length: 2 * PASSIVE_OFFSET_TICKS_MAX + 1 }, (_, i) => i - PASSIVE_OFFSET_TICKS_MAX).map((offset) => [offset, decimalOf(MID_PRICE_TICKS + offset, TICKS_PER_UNIT, 2)]),
);
export const QTY_TEXT_BY_LOTS: readonly string[] = Array.from({ length: QTY_LOTS_MAX + 1 }, (_, lots) => decimalOf(lots, LOTS_PER_UNIT, 3));
