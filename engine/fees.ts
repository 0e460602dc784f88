// Fee arithmetic. A fee is charged in the asset its payer receives (base for the buyer, quote for
// the seller), so reservations never have to cover fees. Rounding: UP to the next minor unit, in
// the venue's favour, computed exactly in integers (never through a float product).
import { BPS_PER_UNIT } from './limits.ts';

/** ceil(amount * bps / 10,000) for a safe-integer amount and bps in 0..10,000, exact. */
export function feeOf(amount: number, bps: number): number {
  if (bps === 0) return 0;
  const whole = Math.floor(amount / BPS_PER_UNIT);
  const rest = amount - whole * BPS_PER_UNIT;
  return whole * bps + Math.floor((rest * bps + BPS_PER_UNIT - 1) / BPS_PER_UNIT);
}
