// The Redis keyspace of the projection (docs/projections.md describes each key for readers).
// Every key starts with a prefix (REDIS_KEY_PREFIX, default `exchange:`) so that several venues,
// or several tests, can share one Redis.

export const REDIS_KEY_PREFIX_DEFAULT = 'exchange:';

export interface RedisKeys {
  /** Hash: best bid and offer of a symbol (decimals) and the event it reflects. */
  bbo(symbol: string): string;
  /** String: JSON of the L2 top-N snapshot of a symbol and the event it reflects. */
  book(symbol: string): string;
  /** Stream: the symbol's recent trades, capped; entry id `<command seq>-<event index>`. */
  trades(symbol: string): string;
  /** Hash: the last event the hot state reflects (`lastEventIndex`, `lastCommandSeq`, `timeUs`). */
  readonly cursor: string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    bbo: (symbol) => `${prefix}bbo:${symbol}`,
    book: (symbol) => `${prefix}book:${symbol}`,
    trades: (symbol) => `${prefix}trades:${symbol}`,
    cursor: `${prefix}cursor`,
  };
}
