// Every capacity of the core, named in one place. The engine is built from an EngineConfig;
// exceeding any limit is answered with a result code, never with growth past it.

/** Largest integer every price, quantity and amount must stay below (2^53 - 1). */
export const SAFE_INTEGER_MAX = Number.MAX_SAFE_INTEGER;
/** Prices above this are refused at symbol creation so that band arithmetic (price * 20,000) stays exact. */
export const PRICE_TICKS_LIMIT = 100_000_000_000;
/** Basis points in one whole. */
export const BPS_PER_UNIT = 10_000;
/** Names of assets, accounts and symbols are printable ASCII of at most this many bytes. */
export const NAME_LENGTH_MAX = 32;
/** Decimal places an asset's minor unit may have. */
export const ASSET_SCALE_MAX = 18;

export interface EngineConfig {
  /** Balances, reservations and fees are enforced; off only for the order-flow format's no-risk mode. */
  readonly riskEnabled: boolean;
  readonly symbolsMax: number;
  readonly assetsMax: number;
  readonly accountsMax: number;
  /** Live orders (resting and pending stops) across all symbols. */
  readonly ordersMax: number;
  readonly ordersPerAccountMax: number;
  /** Distinct price levels on one side of one book. */
  readonly levelsPerSideMax: number;
  /** Pending stop orders on one side of one book. */
  readonly stopsPerSideMax: number;
  /** Fills a single command may produce (including triggered stops); the rest of the taker is cancelled. */
  readonly matchesPerCommandMax: number;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  riskEnabled: true,
  symbolsMax: 1_024,
  assetsMax: 256,
  accountsMax: 1_000_000,
  ordersMax: 4_000_000,
  ordersPerAccountMax: 10_000,
  levelsPerSideMax: 100_000,
  stopsPerSideMax: 100_000,
  matchesPerCommandMax: 100_000,
};

/** Checks a configuration at construction; a bad one is a programming error, not a business outcome. */
export function validateEngineConfig(config: EngineConfig): void {
  for (const [name, value] of Object.entries(config)) {
    if (name === 'riskEnabled') continue;
    if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > 0x7fff_ffff) {
      throw new RangeError(`engine config ${name} must be an integer in 1..2^31-1, got ${String(value)}`);
    }
  }
}
