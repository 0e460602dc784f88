// The last trades of each symbol, as the Redis projection keeps them in memory: what its capped
// stream holds, so that a Redis that lost its data (restart, FLUSHALL) gets them back at once.
/** Entries each symbol's trade stream keeps (XADD MAXLEN ~). */
export const TRADES_STREAM_LENGTH_MAX = 1_000;

export interface RecentTrade {
  readonly eventIndex: number;
  readonly seq: number;
  readonly timeUs: number;
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly takerSide: number;
}

export class RecentTrades {
  private readonly bySymbol: RecentTrade[][] = [];

  add(symbolId: number, trade: RecentTrade): void {
    let trades = this.bySymbol[symbolId];
    if (trades === undefined) {
      trades = [];
      this.bySymbol[symbolId] = trades;
    }
    trades.push(trade);
    // Trimmed in steps rather than per trade, so the cost per trade stays constant.
    if (trades.length >= 2 * TRADES_STREAM_LENGTH_MAX) trades.splice(0, trades.length - TRADES_STREAM_LENGTH_MAX);
  }

  /** The symbol's last TRADES_STREAM_LENGTH_MAX trades, oldest first. */
  of(symbolId: number): readonly RecentTrade[] {
    const trades = this.bySymbol[symbolId] ?? [];
    return trades.length > TRADES_STREAM_LENGTH_MAX ? trades.slice(trades.length - TRADES_STREAM_LENGTH_MAX) : trades;
  }
}
