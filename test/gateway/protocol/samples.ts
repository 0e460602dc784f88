// Sample messages of every type: each with every optional field present, each with every optional
// field absent, and edge values (limits, zero, the largest ids, the longest names and decimals).
// Shared by the round-trip tests and the fuzzer's seed corpus.
import {
  BOOK_DEPTH_MAX, BOOK_UPDATE_LEVELS_MAX, CODE_NAME_LENGTH_MAX, DECIMAL_LENGTH_MAX, ERROR_TEXT_LENGTH_MAX, EXPIRE_TIME_MS_MAX,
  NAME_LENGTH_MAX, REQUEST_ID_MAX, ROLES_COUNT_MAX, U32_MAX, U53_MAX,
} from '../../../gateway/protocol/messages.ts';
import type { ClientMessage, PriceLevel, ServerMessage } from '../../../gateway/protocol/messages.ts';

const LONG_NAME = 'A'.repeat(NAME_LENGTH_MAX - 4) + '._:@';
const LONG_DECIMAL = `${'9'.repeat(20)}.${'1'.repeat(DECIMAL_LENGTH_MAX - 21)}`;
const levels = (count: number, qty = '1.5'): PriceLevel[] => Array.from({ length: count }, (_, i) => [`${i + 1}.25`, qty]);

export const CLIENT_SAMPLES: readonly ClientMessage[] = [
  { type: 'login', requestId: 1, token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl' },
  { type: 'login', requestId: REQUEST_ID_MAX, token: '!~' },
  {
    type: 'place', requestId: 0, symbol: 'BTC-USD', side: 'buy', orderType: 'oco', timeInForce: 'GTD', qty: '1.5', price: '100.25',
    stopPrice: '90', stopLimitPrice: '89.5', displayQty: '0.5', expireTimeMs: EXPIRE_TIME_MS_MAX, postOnly: true, stp: 'decrement_and_cancel',
    quoteBudget: '1000', clientOrderId: U53_MAX, cancelOnDisconnect: false,
  },
  { type: 'place', requestId: 2, symbol: LONG_NAME, side: 'sell', orderType: 'market', timeInForce: 'IOC', qty: LONG_DECIMAL },
  { type: 'place', requestId: 3, symbol: 'ETH-USD', side: 'sell', orderType: 'stop_limit', timeInForce: 'FOK', qty: '0', stp: 'none', postOnly: false, expireTimeMs: 0 },
  { type: 'place', requestId: 4, symbol: 'X', side: 'buy', orderType: 'stop_market', timeInForce: 'GTC', qty: '1', stp: 'cancel_both', clientOrderId: 1, cancelOnDisconnect: true },
  { type: 'place', requestId: 5, symbol: 'X', side: 'buy', orderType: 'limit', timeInForce: 'GTC', qty: '1', price: '0.000001', stp: 'cancel_newest' },
  { type: 'place', requestId: 6, symbol: 'X', side: 'buy', orderType: 'limit', timeInForce: 'GTC', qty: '1', price: '1', stp: 'cancel_oldest' },
  { type: 'cancel', requestId: 7, symbol: 'BTC-USD', orderId: U53_MAX },
  { type: 'cancel', requestId: 8, symbol: 'BTC-USD', clientOrderId: 1 },
  { type: 'replace', requestId: 9, symbol: 'BTC-USD', orderId: 1, price: '101', qty: '2', postOnly: true },
  { type: 'replace', requestId: 10, symbol: 'BTC-USD', clientOrderId: 42, price: '101', qty: '2' },
  { type: 'massCancel', requestId: 11 },
  { type: 'massCancel', requestId: 12, symbol: 'BTC-USD', side: 'sell' },
  { type: 'subscribe', requestId: 13, channel: 'book', symbol: 'BTC-USD', depth: BOOK_DEPTH_MAX },
  { type: 'subscribe', requestId: 14, channel: 'book', symbol: 'BTC-USD', depth: 1 },
  { type: 'subscribe', requestId: 15, channel: 'trades', symbol: 'BTC-USD' },
  { type: 'subscribe', requestId: 16, channel: 'bbo', symbol: 'BTC-USD' },
  { type: 'unsubscribe', requestId: 17, channel: 'bbo', symbol: 'BTC-USD' },
  { type: 'ping', requestId: 18 },
  { type: 'ping', requestId: 19, timeMs: 1_700_000_000_000 },
];

export const SERVER_SAMPLES: readonly ServerMessage[] = [
  { type: 'loginAccepted', requestId: 1, account: 'alice', roles: ['trader', 'market_data'], sessionId: U32_MAX },
  { type: 'loginAccepted', requestId: 2, account: LONG_NAME, roles: [], sessionId: 0 },
  { type: 'loginAccepted', requestId: 3, account: 'bob', roles: Array.from({ length: ROLES_COUNT_MAX }, (_, i) => `role${i}`), sessionId: 7 },
  { type: 'error', requestId: REQUEST_ID_MAX, code: 9004, name: 'BAD_FIELD', message: 'place.qty must be ...' },
  { type: 'error', code: 65_535, name: 'Z'.repeat(CODE_NAME_LENGTH_MAX), message: `é€𝄞 ${'x'.repeat(ERROR_TEXT_LENGTH_MAX - 6)}` },
  { type: 'error', code: 0, name: 'A', message: '' },
  {
    type: 'executionReport', requestId: 5, kind: 'partially_filled', symbol: 'BTC-USD', orderId: U53_MAX, clientOrderId: 17, side: 'buy',
    price: '100.5', qty: '2', leavesQty: '1.5', lastPrice: '100.25', lastQty: '0.5', fee: '0.0005', feeAsset: 'BTC', liquidity: 'taker',
    code: 0, reason: 'OK', seq: U53_MAX, timeMs: U53_MAX,
  },
  { type: 'executionReport', kind: 'accepted', symbol: 'X', seq: 0, timeMs: 0 },
  { type: 'executionReport', kind: 'rejected', symbol: 'X', requestId: 0, code: 3002, reason: 'POST_ONLY_WOULD_CROSS', clientOrderId: 3, seq: 9, timeMs: 10 },
  { type: 'executionReport', kind: 'filled', symbol: 'X', orderId: 1, side: 'sell', lastPrice: '1', lastQty: '1', leavesQty: '0', liquidity: 'maker', seq: 9, timeMs: 10 },
  { type: 'executionReport', kind: 'cancelled', symbol: 'X', orderId: 1, code: 6001, reason: 'CANCELLED_BY_OWNER', leavesQty: '0', seq: 9, timeMs: 10 },
  { type: 'executionReport', kind: 'replaced', symbol: 'X', orderId: 1, price: '2', qty: '3', seq: 9, timeMs: 10 },
  { type: 'executionReport', kind: 'triggered', symbol: 'X', orderId: 1, lastPrice: '2', seq: 9, timeMs: 10 },
  { type: 'executionReport', kind: 'expired', symbol: 'X', orderId: 1, code: 6011, reason: 'EXPIRED', seq: 9, timeMs: 10 },
  { type: 'massCancelDone', requestId: 4, symbol: 'BTC-USD', side: 'buy', cancelledCount: U32_MAX, seq: 100, timeMs: 1_700_000_000_000 },
  { type: 'massCancelDone', cancelledCount: 0, seq: 1, timeMs: 0 },
  { type: 'balance', asset: 'USD', available: '1000.5', reserved: '0', seq: 3 },
  { type: 'bookSnapshot', symbol: 'BTC-USD', seq: 0, bids: [], asks: [] },
  { type: 'bookSnapshot', symbol: 'BTC-USD', seq: 12, bids: [['100', '1'], ['99.5', LONG_DECIMAL]], asks: [['101', '0.001']] },
  { type: 'bookSnapshot', symbol: 'BTC-USD', seq: U53_MAX, bids: levels(BOOK_DEPTH_MAX), asks: levels(BOOK_DEPTH_MAX) },
  { type: 'bookUpdate', symbol: 'BTC-USD', seq: 13, bids: [['100', '0']], asks: [] },
  { type: 'bookUpdate', symbol: 'BTC-USD', seq: 14, bids: levels(BOOK_UPDATE_LEVELS_MAX, '0'), asks: levels(1) },
  { type: 'trade', symbol: 'BTC-USD', seq: 1, price: '100.5', qty: '0.25', takerSide: 'sell', timeMs: 1_700_000_000_123 },
  { type: 'bbo', symbol: 'BTC-USD', seq: 13 },
  { type: 'bbo', symbol: 'BTC-USD', seq: 14, bidPrice: '100', bidQty: '1' },
  { type: 'bbo', symbol: 'BTC-USD', seq: 15, bidPrice: '100', bidQty: '1', askPrice: '101', askQty: '2.5' },
  { type: 'subscribed', requestId: 13, channel: 'book', symbol: 'BTC-USD' },
  { type: 'subscribed', requestId: 15, channel: 'trades', symbol: 'BTC-USD' },
  { type: 'unsubscribed', requestId: 17, channel: 'bbo', symbol: 'BTC-USD' },
  { type: 'pong', requestId: 18, serverTimeMs: 1_700_000_000_001 },
  { type: 'pong', requestId: 19, timeMs: 1_700_000_000_000, serverTimeMs: 1_700_000_000_001 },
];
