// The names and units a projection needs to write readable rows: assets (name, scale) and symbols
// (name, assets, tick and lot size as decimals). Seeded from the engine's catalog or from the rows a
// projection already holds, then kept current by the admin events in the stream.
import type { SymbolSpec } from '../engine/core-state.ts';
import { fromUnits, tickAndLotSizes } from '../engine/decimal.ts';
import type { Catalog } from '../engine/queries.ts';
import { EventType, decodeRecord, eventLayout, type RecordLayout } from '../engine/schema.ts';

export interface CatalogAsset {
  readonly name: string;
  readonly scale: number;
}

export interface CatalogSymbol {
  readonly name: string;
  readonly spec: SymbolSpec;
  readonly tickSize: string;
  readonly lotSize: string;
}

export class ProjectionCatalog {
  readonly assets: CatalogAsset[] = [];
  readonly symbols: CatalogSymbol[] = [];

  static of(catalog: Catalog): ProjectionCatalog {
    const c = new ProjectionCatalog();
    for (const asset of catalog.assets) c.addAsset(asset.name, asset.scale);
    for (const symbol of catalog.symbols) c.addSymbol(symbol.spec);
    return c;
  }

  addAsset(name: string, scale: number): void {
    this.assets.push({ name, scale });
  }

  addSymbol(spec: SymbolSpec): CatalogSymbol {
    const base = this.asset(spec.baseAssetId);
    const quote = this.asset(spec.quoteAssetId);
    const symbol = { name: spec.name, spec, ...tickAndLotSizes(spec.baseUnitsPerLot, spec.quoteUnitsPerTickLot, base.scale, quote.scale) };
    this.symbols.push(symbol);
    return symbol;
  }

  asset(assetId: number): CatalogAsset {
    const asset = this.assets[assetId];
    if (asset === undefined) throw new Error(`projection catalog: unknown asset ${assetId}`);
    return asset;
  }

  symbol(symbolId: number): CatalogSymbol {
    const symbol = this.symbols[symbolId];
    if (symbol === undefined) throw new Error(`projection catalog: unknown symbol ${symbolId}`);
    return symbol;
  }

  /** Follows ASSET_ADDED and SYMBOL_ADDED; returns the symbol an event added, if any. */
  applyEvent(view: DataView, at: number): CatalogSymbol | undefined {
    const type = view.getUint8(at);
    if (type !== EventType.ASSET_ADDED && type !== EventType.SYMBOL_ADDED) return undefined;
    const e = decodeRecord(eventLayout(type) as RecordLayout, view, at);
    if (type === EventType.ASSET_ADDED) {
      this.addAsset(e['name'] as string, e['scale'] as number);
      return undefined;
    }
    return this.addSymbol(e as unknown as SymbolSpec);
  }

  price(symbolId: number, ticks: number): string {
    return fromUnits(ticks, this.symbol(symbolId).tickSize);
  }

  qty(symbolId: number, lots: number): string {
    return fromUnits(lots, this.symbol(symbolId).lotSize);
  }
}
