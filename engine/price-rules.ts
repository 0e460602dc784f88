// The price and quantity rules a symbol imposes on every order that could rest or trade.
import type { CoreState, SymbolBook } from './core-state.ts';
import { BPS_PER_UNIT } from './limits.ts';
import { ownSide } from './book-ops.ts';
import { NIL } from './order-store.ts';
import { ResultCode } from './result-codes.ts';

/** OK, or why a limit price is not acceptable on this symbol now. */
export function checkLimitPrice(sym: SymbolBook, priceTicks: number): number {
  if (!Number.isSafeInteger(priceTicks)) return ResultCode.NOT_SAFE_INTEGER;
  if (priceTicks < 1) return ResultCode.PRICE_NOT_POSITIVE;
  if (priceTicks > sym.spec.priceTicksMax) return ResultCode.PRICE_ABOVE_MAX;
  // The centre is the reference price: the last trade's, or the one set at creation or resume; 0 = no band yet.
  const centre = sym.referencePriceTicks;
  const bps = sym.spec.bandBps;
  if (bps === 0 || centre === 0) return ResultCode.OK;
  const low = Math.ceil((centre * (BPS_PER_UNIT - bps)) / BPS_PER_UNIT);
  const high = Math.floor((centre * (BPS_PER_UNIT + bps)) / BPS_PER_UNIT);
  return priceTicks < low || priceTicks > high ? ResultCode.PRICE_OUT_OF_BAND : ResultCode.OK;
}

/** OK, or why an order quantity is not acceptable on this symbol. */
export function checkQty(sym: SymbolBook, qtyLots: number): number {
  if (!Number.isSafeInteger(qtyLots)) return ResultCode.NOT_SAFE_INTEGER;
  if (qtyLots < 1) return ResultCode.QTY_NOT_POSITIVE;
  if (qtyLots < sym.spec.minQtyLots) return ResultCode.QTY_BELOW_MIN;
  if (qtyLots > sym.spec.maxQtyLots) return ResultCode.QTY_ABOVE_MAX;
  return ResultCode.OK;
}

/** OK, or LEVELS_MAX when resting at `priceTicks` would need a level the side has no room for. */
export function checkLevelRoom(s: CoreState, sym: SymbolBook, side: number, priceTicks: number): number {
  const ladder = ownSide(sym, side);
  if (ladder.count < s.config.levelsPerSideMax) return ResultCode.OK;
  return ladder.levelAt(priceTicks) !== NIL ? ResultCode.OK : ResultCode.LEVELS_MAX;
}
