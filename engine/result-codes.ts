// Every business outcome of the core as one stable numeric table. Codes are grouped in ranges,
// never renumbered and never reused; docs/result-codes.md documents each (a test checks both).
//   0        success
//   1000s    malformed command (a field out of its domain)
//   2000s    reference to something unknown, or the wrong state of a symbol or order
//   3000s    order rules (time in force, post-only, bands, quantities, stops)
//   4000s    risk (balances and reservations)
//   5000s    capacity limits
//   6000s    why a live order ended without filling (cancel and expiry reasons)
export const ResultCode = {
  OK: 0,

  UNKNOWN_COMMAND: 1001,
  BAD_SIDE: 1002,
  BAD_ORDER_TYPE: 1003,
  BAD_TIME_IN_FORCE: 1004,
  BAD_STP_MODE: 1005,
  BAD_FLAGS: 1006,
  QTY_NOT_POSITIVE: 1007,
  PRICE_NOT_POSITIVE: 1008,
  NOT_SAFE_INTEGER: 1009,
  BAD_NAME: 1010,
  BAD_SCALE: 1011,
  BAD_SYMBOL_PARAMS: 1012,
  AMOUNT_NOT_POSITIVE: 1013,
  BAD_DISPLAY_QTY: 1014,
  BAD_EXPIRE_TIME: 1015,
  BAD_STOP_PRICE: 1016,
  BAD_OCO: 1017,
  BAD_DECIMAL: 1018,
  BAD_ORDER_ID: 1019,
  UNUSED_FIELD_SET: 1020,

  UNKNOWN_SYMBOL: 2001,
  UNKNOWN_ACCOUNT: 2002,
  UNKNOWN_ASSET: 2003,
  UNKNOWN_ORDER: 2004,
  DUPLICATE_ORDER_ID: 2005,
  NOT_ORDER_OWNER: 2006,
  SYMBOL_HALTED: 2007,
  SYMBOL_CLOSED: 2008,
  SYMBOL_NOT_HALTED: 2009,
  NAME_TAKEN: 2010,
  ORDER_NOT_RESTING: 2011,
  SAME_ASSET: 2012,
  OCO_NOT_REPLACEABLE: 2013,
  DUPLICATE_CLIENT_ORDER_ID: 2014,

  FOK_NOT_FILLABLE: 3001,
  POST_ONLY_WOULD_CROSS: 3002,
  PRICE_OUT_OF_BAND: 3003,
  QTY_BELOW_MIN: 3004,
  QTY_ABOVE_MAX: 3005,
  PRICE_ABOVE_MAX: 3006,
  EXPIRE_TIME_PASSED: 3007,
  STOP_WOULD_TRIGGER: 3008,
  MARKET_NOT_ALLOWED_TIF: 3009,
  TICK_LOT_NOT_REPRESENTABLE: 3011,

  INSUFFICIENT_BALANCE: 4001,
  MARKET_BUY_NEEDS_BUDGET: 4002,
  BALANCE_OVERFLOW: 4003,

  ORDERS_MAX: 5001,
  ORDERS_PER_ACCOUNT_MAX: 5002,
  LEVELS_MAX: 5003,
  SYMBOLS_MAX: 5004,
  ACCOUNTS_MAX: 5005,
  ASSETS_MAX: 5006,
  STOPS_MAX: 5007,

  CANCELLED_BY_OWNER: 6001,
  CANCELLED_BY_MASS_CANCEL: 6002,
  UNFILLED_IOC: 6003,
  UNFILLED_MARKET: 6004,
  STP_CANCEL_NEWEST: 6005,
  STP_CANCEL_OLDEST: 6006,
  STP_CANCEL_BOTH: 6007,
  STP_DECREMENT: 6008,
  OCO_SIBLING_DONE: 6009,
  SYMBOL_CLOSING: 6010,
  EXPIRED: 6011,
  PROTECTION_BAND_REACHED: 6012,
  BUDGET_EXHAUSTED: 6013,
  MATCHES_PER_COMMAND_MAX: 6014,
  TRIGGERED_OUT_OF_BAND: 6015,
  CANCELLED_ON_DISCONNECT: 6016,
} as const;

export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];

const nameByCode = new Map<number, string>(Object.entries(ResultCode).map(([name, code]) => [code, name]));

/** The table's name for a code, or `UNKNOWN_<n>` for a number outside the table. */
export function resultCodeName(code: number): string {
  return nameByCode.get(code) ?? `UNKNOWN_${code}`;
}
