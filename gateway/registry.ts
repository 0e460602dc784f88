// The edge's view of the venue's names and units: assets, accounts and symbols by name and id, each
// symbol's tick and lot size as decimals, and the exact conversions between decimal strings and the
// core's integers. Built from the core's catalog at startup, kept current by the admin events.
import { Side, SymbolStatus } from '../engine/commands.ts';
import { fromUnits, tickAndLotSizes, toMinorUnits, toUnits, type Converted } from '../engine/decimal.ts';
import type { Catalog } from '../engine/queries.ts';
import { decodeRecord, eventLayout, EventType, type RecordLayout } from '../engine/schema.ts';
import type { SymbolSpec } from '../engine/core-state.ts';
import type { PublicTrade } from './market-data.ts';
import type { PriceLevel, TradeMessage } from './protocol/messages.ts';

export interface AssetInfo {
  readonly id: number;
  readonly name: string;
  readonly scale: number;
  /** One minor unit as a decimal ("0.01" for scale 2). */
  readonly unit: string;
}

export interface SymbolInfo {
  readonly id: number;
  readonly name: string;
  readonly spec: SymbolSpec;
  readonly base: AssetInfo;
  readonly quote: AssetInfo;
  readonly tickSize: string;
  readonly lotSize: string;
  status: number;
}

const STATUS_NAMES: Record<number, string> = { [SymbolStatus.TRADING]: 'trading', [SymbolStatus.HALTED]: 'halted', [SymbolStatus.CLOSED]: 'closed' };

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `status-${status}`;
}

function unitOf(scale: number): string {
  return scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`;
}

export class Registry {
  readonly assets: AssetInfo[] = [];
  readonly assetByName = new Map<string, AssetInfo>();
  readonly accountNames: string[] = [];
  readonly accountIdByName = new Map<string, number>();
  readonly symbols: SymbolInfo[] = [];
  readonly symbolByName = new Map<string, SymbolInfo>();

  constructor(catalog: Catalog) {
    for (const a of catalog.assets) this.addAsset(a.name, a.scale);
    for (const name of catalog.accounts) this.addAccount(name);
    for (const s of catalog.symbols) this.addSymbol(s.spec).status = s.status;
  }

  private addAsset(name: string, scale: number): void {
    const asset = { id: this.assets.length, name, scale, unit: unitOf(scale) };
    this.assets.push(asset);
    this.assetByName.set(name, asset);
  }

  private addAccount(name: string): void {
    this.accountIdByName.set(name, this.accountNames.length);
    this.accountNames.push(name);
  }

  private addSymbol(spec: SymbolSpec): SymbolInfo {
    const base = this.assets[spec.baseAssetId] as AssetInfo;
    const quote = this.assets[spec.quoteAssetId] as AssetInfo;
    const sizes = tickAndLotSizes(spec.baseUnitsPerLot, spec.quoteUnitsPerTickLot, base.scale, quote.scale);
    const info: SymbolInfo = { id: this.symbols.length, name: spec.name, spec, base, quote, ...sizes, status: SymbolStatus.TRADING };
    this.symbols.push(info);
    this.symbolByName.set(spec.name, info);
    return info;
  }

  /** Keeps the registry current with one event record (only the admin kinds change it). */
  applyEvent(view: DataView, offset: number): void {
    const type = view.getUint8(offset);
    if (type < EventType.ASSET_ADDED || type > EventType.SYMBOL_STATUS) return;
    const e = decodeRecord(eventLayout(type) as RecordLayout, view, offset);
    if (type === EventType.ASSET_ADDED) this.addAsset(e['name'] as string, e['scale'] as number);
    else if (type === EventType.ACCOUNT_CREATED) this.addAccount(e['name'] as string);
    else if (type === EventType.SYMBOL_ADDED) this.addSymbol(e as unknown as SymbolSpec);
    else {
      const sym = this.symbols[e['symbolId'] as number];
      if (sym !== undefined) sym.status = e['status'] as number;
    }
  }

  priceToTicks(sym: SymbolInfo, price: string): Converted {
    return toUnits(price, sym.tickSize);
  }

  qtyToLots(sym: SymbolInfo, qty: string): Converted {
    return toUnits(qty, sym.lotSize);
  }

  amountToUnits(asset: AssetInfo, amount: string): Converted {
    return toMinorUnits(amount, asset.scale);
  }

  price(sym: SymbolInfo, ticks: number): string {
    return fromUnits(ticks, sym.tickSize);
  }

  qty(sym: SymbolInfo, lots: number): string {
    return fromUnits(lots, sym.lotSize);
  }

  /** Book levels [priceTicks, qtyLots] as the [price, qty] decimals clients read. */
  levels(sym: SymbolInfo, levels: readonly (readonly [number, number])[]): PriceLevel[] {
    return levels.map(([priceTicks, qtyLots]) => [this.price(sym, priceTicks), this.qty(sym, qtyLots)]);
  }

  /** A public trade as clients read it, over WebSocket and REST alike. */
  trade(sym: SymbolInfo, t: PublicTrade): Omit<TradeMessage, 'type' | 'symbol'> {
    return { seq: t.seq, price: this.price(sym, t.priceTicks), qty: this.qty(sym, t.qtyLots), takerSide: t.takerSide === Side.BUY ? 'buy' : 'sell', timeMs: Math.floor(t.timeUs / 1_000) };
  }

  amount(asset: AssetInfo, units: number): string {
    return fromUnits(units, asset.unit);
  }
}
