// The core's events as the private messages of the accounts they concern: execution reports, balance
// changes and mass-cancel summaries, with decimals rendered from each symbol's tick and lot size and
// each asset's scale. Events that only move public market data produce nothing here.
import { ALL_SYMBOLS, BOTH_SIDES, Side } from '../engine/commands.ts';
import { ResultCode, resultCodeName } from '../engine/result-codes.ts';
import { CommandType, decodeRecord, eventLayout, EventType, type DecodedRecord, type RecordLayout } from '../engine/schema.ts';
import type { BalanceMessage, ExecutionReportMessage, MassCancelDoneMessage, Side as WireSide } from './protocol/messages.ts';
import type { Registry, SymbolInfo } from './registry.ts';

export type PrivateMessage = ExecutionReportMessage | MassCancelDoneMessage | BalanceMessage;

export interface Addressed {
  readonly accountId: number;
  readonly message: PrivateMessage;
}

const ORDER_COMMANDS = new Set<number>([CommandType.PLACE, CommandType.CANCEL, CommandType.REPLACE, CommandType.MASS_CANCEL]);
const US_PER_MS = 1_000;

const sideName = (side: number): WireSide => (side === Side.BUY ? 'buy' : 'sell');
const num = (e: DecodedRecord, field: string) => e[field] as number;
/** Optional ids are absent when zero. */
const idIfSet = (id: number): { orderId?: number } => (id > 0 ? { orderId: id } : {});
const clientIdIfSet = (id: number): { clientOrderId?: number } => (id > 0 ? { clientOrderId: id } : {});

/** The private messages one event record produces (none for public-only events). */
export function privateMessagesOf(registry: Registry, view: DataView, offset: number): Addressed[] {
  const type = view.getUint8(offset);
  switch (type) {
    case EventType.ORDER_ACCEPTED:
    case EventType.REJECTED:
    case EventType.TRADE:
    case EventType.ORDER_CANCELLED:
    case EventType.ORDER_REPLACED:
    case EventType.ORDER_TRIGGERED:
    case EventType.MASS_CANCEL_DONE:
    case EventType.BALANCE_CHANGED:
      return messagesOf(registry, type, decodeRecord(eventLayout(type) as RecordLayout, view, offset));
    default:
      return [];
  }
}

function messagesOf(registry: Registry, type: number, e: DecodedRecord): Addressed[] {
  const seq = num(e, 'seq');
  const timeMs = Math.floor(num(e, 'timeUs') / US_PER_MS);
  const sym = registry.symbols[num(e, 'symbolId')];
  // Every order event names a symbol the gateway translated; a report without one cannot be addressed.
  if (sym === undefined && type !== EventType.MASS_CANCEL_DONE && type !== EventType.BALANCE_CHANGED) return [];
  const report = (accountId: number, fields: Omit<ExecutionReportMessage, 'type' | 'seq' | 'timeMs' | 'symbol'>): Addressed =>
    ({ accountId, message: { type: 'executionReport', symbol: (sym as SymbolInfo).name, ...fields, seq, timeMs } });
  switch (type) {
    case EventType.ORDER_ACCEPTED: {
      const s = sym as SymbolInfo;
      const qty = registry.qty(s, num(e, 'qtyLots'));
      const price = num(e, 'priceTicks');
      return [report(num(e, 'accountId'), {
        kind: 'accepted', orderId: num(e, 'orderId'), ...clientIdIfSet(num(e, 'clientOrderId')), side: sideName(num(e, 'side')),
        ...(price > 0 ? { price: registry.price(s, price) } : {}), qty, leavesQty: qty,
      })];
    }
    case EventType.REJECTED: {
      if (!ORDER_COMMANDS.has(num(e, 'commandType'))) return [];
      const code = num(e, 'code');
      return [report(num(e, 'accountId'), { kind: 'rejected', ...idIfSet(num(e, 'orderId')), ...clientIdIfSet(num(e, 'clientOrderId')), code, reason: resultCodeName(code) })];
    }
    case EventType.TRADE:
      return tradeReports(registry, sym as SymbolInfo, e, report);
    case EventType.ORDER_CANCELLED: {
      const s = sym as SymbolInfo;
      const code = num(e, 'code');
      const price = num(e, 'priceTicks');
      return [report(num(e, 'accountId'), {
        kind: code === ResultCode.EXPIRED ? 'expired' : 'cancelled', orderId: num(e, 'orderId'), ...clientIdIfSet(num(e, 'clientOrderId')),
        side: sideName(num(e, 'side')), ...(price > 0 ? { price: registry.price(s, price) } : {}),
        qty: registry.qty(s, num(e, 'cancelledQtyLots')), leavesQty: registry.qty(s, num(e, 'leavesQtyLots')), code, reason: resultCodeName(code),
      })];
    }
    case EventType.ORDER_REPLACED: {
      const s = sym as SymbolInfo;
      const qty = registry.qty(s, num(e, 'qtyLots'));
      return [report(num(e, 'accountId'), {
        kind: 'replaced', orderId: num(e, 'orderId'), ...clientIdIfSet(num(e, 'clientOrderId')), side: sideName(num(e, 'side')),
        price: registry.price(s, num(e, 'priceTicks')), qty, leavesQty: qty,
      })];
    }
    case EventType.ORDER_TRIGGERED: {
      const s = sym as SymbolInfo;
      return [report(num(e, 'accountId'), {
        kind: 'triggered', orderId: num(e, 'orderId'), ...clientIdIfSet(num(e, 'clientOrderId')), side: sideName(num(e, 'side')),
        price: registry.price(s, num(e, 'stopPriceTicks')), lastPrice: registry.price(s, num(e, 'lastPriceTicks')),
      })];
    }
    case EventType.MASS_CANCEL_DONE: {
      const symbolId = num(e, 'symbolId');
      const side = num(e, 'side');
      const message: MassCancelDoneMessage = {
        type: 'massCancelDone', ...(symbolId === ALL_SYMBOLS ? {} : { symbol: registry.symbols[symbolId]?.name ?? '' }),
        ...(side === BOTH_SIDES ? {} : { side: sideName(side) }), cancelledCount: num(e, 'cancelledCount'), seq, timeMs,
      };
      return [{ accountId: num(e, 'accountId'), message }];
    }
    default: {
      const asset = registry.assets[num(e, 'assetId')];
      if (asset === undefined) return [];
      const message: BalanceMessage = {
        type: 'balance', asset: asset.name, available: registry.amount(asset, num(e, 'availableAmount')), reserved: registry.amount(asset, num(e, 'reservedAmount')), seq,
      };
      return [{ accountId: num(e, 'accountId'), message }];
    }
  }
}

type Report = (accountId: number, fields: Omit<ExecutionReportMessage, 'type' | 'seq' | 'timeMs' | 'symbol'>) => Addressed;

/** One report per side of a fill; each pays its fee in the asset it receives. */
function tradeReports(registry: Registry, s: SymbolInfo, e: DecodedRecord, report: Report): Addressed[] {
  const takerSide = num(e, 'takerSide');
  const lastPrice = registry.price(s, num(e, 'priceTicks'));
  const lastQty = registry.qty(s, num(e, 'qtyLots'));
  const side = (buyer: boolean) => ({ side: sideName(buyer ? Side.BUY : Side.SELL), feeAsset: buyer ? s.base.name : s.quote.name });
  const fee = (buyer: boolean, units: number) => registry.amount(buyer ? s.base : s.quote, units);
  const takerBuys = takerSide === Side.BUY;
  const leg = (role: 'taker' | 'maker') => {
    const buyer = role === 'taker' ? takerBuys : !takerBuys;
    const leaves = num(e, `${role}LeavesQtyLots`);
    return report(num(e, `${role}AccountId`), {
      kind: leaves === 0 ? 'filled' : 'partially_filled', orderId: num(e, `${role}OrderId`), ...clientIdIfSet(num(e, `${role}ClientOrderId`)),
      ...side(buyer), lastPrice, lastQty, leavesQty: registry.qty(s, leaves), fee: fee(buyer, num(e, `${role}Fee`)), liquidity: role,
    });
  };
  return [leg('taker'), leg('maker')];
}
