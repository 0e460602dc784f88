// Decimals exist only at the edge: prices, quantities and amounts arrive as decimal strings and are
// converted exactly (BigInt, never floats) into integer ticks, lots and minor units, using each
// symbol's tick size and lot size and each asset's scale. Anything not exactly representable is
// refused with a result code rather than rounded.
import { SAFE_INTEGER_MAX } from './limits.ts';
import { ResultCode } from './result-codes.ts';

/** A converted value, or the code saying why it could not be converted. */
export type Converted = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly code: number };

interface Decimal {
  /** The digits without the point. */
  readonly mantissa: bigint;
  /** Digits after the point. */
  readonly scale: number;
}

const DECIMAL_PATTERN = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;
const DIGITS_MAX = 40;

function parse(text: string): Decimal | undefined {
  if (text.length > DIGITS_MAX) return undefined;
  const m = DECIMAL_PATTERN.exec(text);
  if (m === null) return undefined;
  const fraction = m[2] ?? '';
  return { mantissa: BigInt((m[1] as string) + fraction), scale: fraction.length };
}

/** a / b as an exact integer, or undefined when b does not divide a. */
function divideExactly(a: Decimal, b: Decimal): bigint | undefined {
  if (b.mantissa === 0n) return undefined;
  // a.m / 10^a.s divided by b.m / 10^b.s = (a.m * 10^b.s) / (b.m * 10^a.s)
  const numerator = a.mantissa * 10n ** BigInt(b.scale);
  const denominator = b.mantissa * 10n ** BigInt(a.scale);
  return numerator % denominator === 0n ? numerator / denominator : undefined;
}

function safe(value: bigint | undefined, code: number): Converted {
  if (value === undefined || value < 0n || value > BigInt(SAFE_INTEGER_MAX)) return { ok: false, code };
  return { ok: true, value: Number(value) };
}

/** `text` in multiples of `unitText` (a price in ticks of the tick size, a quantity in lots). */
export function toUnits(text: string, unitText: string): Converted {
  const value = parse(text);
  const unit = parse(unitText);
  if (value === undefined || unit === undefined) return { ok: false, code: ResultCode.BAD_DECIMAL };
  return safe(divideExactly(value, unit), ResultCode.BAD_DECIMAL);
}

/** An amount of an asset with `scale` decimal places, in its minor units. */
export function toMinorUnits(text: string, scale: number): Converted {
  return toUnits(text, scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`);
}

/** `units` multiples of `unitText` as a decimal string without trailing zeros. */
export function fromUnits(units: number, unitText: string): string {
  const unit = parse(unitText);
  if (unit === undefined || !Number.isSafeInteger(units)) throw new RangeError(`cannot format ${units} x ${unitText}`);
  const digits = (BigInt(units) * unit.mantissa).toString().padStart(unit.scale + 1, '0');
  const whole = digits.slice(0, digits.length - unit.scale);
  const fraction = digits.slice(digits.length - unit.scale).replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

export interface SymbolUnits {
  readonly baseUnitsPerLot: number;
  readonly quoteUnitsPerTickLot: number;
}

/**
 * The integers a symbol trades in: base minor units in one lot, and quote minor units paid for one
 * lot at one tick. Both must be whole numbers, else TICK_LOT_NOT_REPRESENTABLE (choose a finer
 * asset scale or a coarser tick or lot).
 */
export function symbolUnits(tickSize: string, lotSize: string, baseScale: number, quoteScale: number):
  { readonly ok: true; readonly value: SymbolUnits } | { readonly ok: false; readonly code: number } {
  const tick = parse(tickSize);
  const lot = parse(lotSize);
  if (tick === undefined || lot === undefined || tick.mantissa === 0n || lot.mantissa === 0n) return { ok: false, code: ResultCode.BAD_DECIMAL };
  const base = safe(divideExactly(lot, { mantissa: 1n, scale: baseScale }), ResultCode.TICK_LOT_NOT_REPRESENTABLE);
  const tickLot = { mantissa: tick.mantissa * lot.mantissa, scale: tick.scale + lot.scale };
  const quote = safe(divideExactly(tickLot, { mantissa: 1n, scale: quoteScale }), ResultCode.TICK_LOT_NOT_REPRESENTABLE);
  if (!base.ok) return base;
  if (!quote.ok) return quote;
  return { ok: true, value: { baseUnitsPerLot: base.value, quoteUnitsPerTickLot: quote.value } };
}

function decimalOfRatio(numerator: bigint, denominator: bigint): string | undefined {
  for (let scale = 0; scale <= DIGITS_MAX; scale++) {
    const scaled = numerator * 10n ** BigInt(scale);
    if (scaled % denominator === 0n) return fromUnits(Number(scaled / denominator), scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`);
  }
  return undefined;
}

/** The inverse of symbolUnits: the tick size and lot size (decimal strings) a symbol's integers stand for. */
export function tickAndLotSizes(baseUnitsPerLot: number, quoteUnitsPerTickLot: number, baseScale: number, quoteScale: number): { tickSize: string; lotSize: string } {
  const lotSize = decimalOfRatio(BigInt(baseUnitsPerLot), 10n ** BigInt(baseScale));
  const tickSize = decimalOfRatio(BigInt(quoteUnitsPerTickLot) * 10n ** BigInt(baseScale), BigInt(baseUnitsPerLot) * 10n ** BigInt(quoteScale));
  if (lotSize === undefined || tickSize === undefined) throw new RangeError(`units ${baseUnitsPerLot}/${quoteUnitsPerTickLot} at scales ${baseScale}/${quoteScale} are not decimal`);
  return { tickSize, lotSize };
}
