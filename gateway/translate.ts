// Client requests into core commands: names to ids, decimals to ticks, lots and minor units (exactly,
// with each symbol's tick and lot size), enum words to the core's numbers. Anything that cannot be
// translated is a gateway error the client can act on; the core judges the rest.
import { ALL_SYMBOLS, BOTH_SIDES, OrderFlag, OrderType, placeCommand, Side, StpMode, TimeInForce, type Command } from '../engine/commands.ts';
import type { Converted } from '../engine/decimal.ts';
import { CommandType } from '../engine/schema.ts';
import { ProtocolError } from './protocol/errors.ts';
import type { CancelMessage, MassCancelMessage, PlaceMessage, ReplaceMessage } from './protocol/messages.ts';
import type { Registry, SymbolInfo } from './registry.ts';

export type Translated = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly error: ProtocolError };

/** Who sends: the session's account id and session id, and the order id the next command gets. */
export interface Sender {
  readonly accountId: number;
  readonly sessionId: number;
  /** The order id (and, for OCO, the stop leg's is one more) the command will carry. */
  readonly orderId: number;
}

const SIDE: Record<string, number> = { buy: Side.BUY, sell: Side.SELL };
const ORDER_TYPE: Record<string, number> = { limit: OrderType.LIMIT, market: OrderType.MARKET, stop_limit: OrderType.STOP_LIMIT, stop_market: OrderType.STOP_MARKET, oco: OrderType.OCO };
const TIF: Record<string, number> = { GTC: TimeInForce.GTC, IOC: TimeInForce.IOC, FOK: TimeInForce.FOK, GTD: TimeInForce.GTD };
const STP: Record<string, number> = { none: StpMode.NONE, cancel_newest: StpMode.CANCEL_NEWEST, cancel_oldest: StpMode.CANCEL_OLDEST, cancel_both: StpMode.CANCEL_BOTH, decrement_and_cancel: StpMode.DECREMENT_AND_CANCEL };
const US_PER_MS = 1_000;

function unitsOf(converted: Converted, field: string, text: string): number {
  if (!converted.ok) throw new ProtocolError('BAD_DECIMAL', `${field} ${JSON.stringify(text)} is not a whole number of the symbol's ${field === 'qty' || field === 'displayQty' ? 'lot' : field === 'quoteBudget' ? 'quote asset\'s unit' : 'tick'} size`);
  return converted.value;
}

function symbolOf(registry: Registry, name: string): SymbolInfo {
  const sym = registry.symbolByName.get(name);
  if (sym === undefined) throw new ProtocolError('UNKNOWN_SYMBOL', `no symbol ${JSON.stringify(name)}`);
  return sym;
}

/** Runs a translation; a ProtocolError it throws becomes the refusal, tagged with the request's id. */
function attempt(requestId: number, build: () => Command): Translated {
  try {
    return { ok: true, command: build() };
  } catch (e) {
    if (e instanceof ProtocolError) return { ok: false, error: new ProtocolError(e.name, e.message, requestId) };
    throw e;
  }
}

export function translatePlace(registry: Registry, m: PlaceMessage, sender: Sender): Translated {
  return attempt(m.requestId, () => {
    const sym = symbolOf(registry, m.symbol);
    const price = (field: 'price' | 'stopPrice' | 'stopLimitPrice', text: string | undefined) => (text === undefined ? 0 : unitsOf(registry.priceToTicks(sym, text), field, text));
    const oco = m.orderType === 'oco';
    return placeCommand({
      seq: 0, timeUs: 0, symbolId: sym.id, accountId: sender.accountId, orderId: sender.orderId,
      side: SIDE[m.side] as number, orderType: ORDER_TYPE[m.orderType] as number, tif: TIF[m.timeInForce] as number,
      flags: m.postOnly === true ? OrderFlag.POST_ONLY : 0, stp: STP[m.stp ?? 'none'] as number,
      qtyLots: unitsOf(registry.qtyToLots(sym, m.qty), 'qty', m.qty),
      priceTicks: price('price', m.price), stopPriceTicks: price('stopPrice', m.stopPrice),
      displayQtyLots: m.displayQty === undefined ? 0 : unitsOf(registry.qtyToLots(sym, m.displayQty), 'displayQty', m.displayQty),
      expireTimeUs: m.expireTimeMs === undefined ? 0 : m.expireTimeMs * US_PER_MS,
      quoteBudget: m.quoteBudget === undefined ? 0 : unitsOf(registry.amountToUnits(sym.quote, m.quoteBudget), 'quoteBudget', m.quoteBudget),
      linkedOrderId: oco ? sender.orderId + 1 : 0, linkedPriceTicks: oco ? price('stopLimitPrice', m.stopLimitPrice) : 0,
      clientOrderId: m.clientOrderId ?? 0, sessionId: m.cancelOnDisconnect === true ? sender.sessionId : 0,
    });
  });
}

export function translateCancel(registry: Registry, m: CancelMessage, sender: Sender): Translated {
  return attempt(m.requestId, () => ({
    type: CommandType.CANCEL, seq: 0, timeUs: 0, symbolId: symbolOf(registry, m.symbol).id, accountId: sender.accountId,
    orderId: m.orderId ?? 0, clientOrderId: m.clientOrderId ?? 0,
  }));
}

export function translateReplace(registry: Registry, m: ReplaceMessage, sender: Sender): Translated {
  return attempt(m.requestId, () => {
    const sym = symbolOf(registry, m.symbol);
    return {
      type: CommandType.REPLACE, seq: 0, timeUs: 0, symbolId: sym.id, accountId: sender.accountId, orderId: m.orderId ?? 0,
      clientOrderId: m.clientOrderId ?? 0, priceTicks: unitsOf(registry.priceToTicks(sym, m.price), 'price', m.price),
      qtyLots: unitsOf(registry.qtyToLots(sym, m.qty), 'qty', m.qty), flags: m.postOnly === true ? OrderFlag.POST_ONLY : 0,
    };
  });
}

export function translateMassCancel(registry: Registry, m: MassCancelMessage, sender: Sender): Translated {
  return attempt(m.requestId, () => ({
    type: CommandType.MASS_CANCEL, seq: 0, timeUs: 0, accountId: sender.accountId,
    symbolId: m.symbol === undefined ? ALL_SYMBOLS : symbolOf(registry, m.symbol).id, side: m.side === undefined ? BOTH_SIDES : (SIDE[m.side] as number), sessionId: 0,
  }));
}
