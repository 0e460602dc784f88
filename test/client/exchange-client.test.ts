// Proves ExchangeClient against a scripted server in both encodings: login, place resolving with its first report, refusals, a local book built from snapshot and updates, resync on a sequence gap, reconnect with re-login and resubscribe after a dropped connection, and bounded, timed-out requests.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, beforeEach, test } from 'node:test';
import { ENCODINGS } from '../../gateway/protocol/codec.ts';
import type { ClientMessage } from '../../gateway/protocol/messages.ts';
import { ExchangeClient } from '../../client/exchange-client.ts';
import type { ExchangeClientEvents } from '../../client/client-types.ts';
import { ExchangeError, RequestError } from '../../client/errors.ts';
import { ScriptedServer, answerPlainly } from './scripted-server.ts';
import type { Connection } from './scripted-server.ts';

const WAIT_MS = 2_000;
const TEST = { timeout: 10_000 };

let server: ScriptedServer;
let client: ExchangeClient;

beforeEach(async () => {
  server = await ScriptedServer.start();
  client = new ExchangeClient({ requestTimeoutMs: 1_000 });
});

afterEach(async () => {
  await client.close();
  await server.close();
});

function next<K extends keyof ExchangeClientEvents>(event: K): Promise<ExchangeClientEvents[K]> {
  return once(client, event, { signal: AbortSignal.timeout(WAIT_MS) }) as Promise<ExchangeClientEvents[K]>;
}

/** The first book view of `seq`, whether it comes now or later; rejects after WAIT_MS. */
function bookAt(seq: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no book at seq ${seq} within ${WAIT_MS} ms`)), WAIT_MS);
    const listener = (view: { seq: number }): void => {
      if (view.seq !== seq) return;
      clearTimeout(timer);
      client.off('book', listener);
      resolve();
    };
    client.on('book', listener);
  });
}

/** Answers plainly, and a place with accepted then a fill of the same command. */
function trading(m: ClientMessage, c: Connection): void {
  answerPlainly(m, c);
  if (m.type !== 'place') return;
  const common = { symbol: m.symbol, orderId: 500, side: m.side, seq: 10, timeMs: 1_000 } as const;
  if (m.qty === '0') return c.send({ type: 'executionReport', requestId: m.requestId, kind: 'rejected', ...common, code: 1007, reason: 'QTY_NOT_POSITIVE' });
  c.send({ type: 'executionReport', requestId: m.requestId, kind: 'accepted', ...common, price: m.price ?? '0', qty: m.qty, leavesQty: m.qty });
  c.send({ type: 'executionReport', requestId: m.requestId, kind: 'filled', ...common, lastPrice: '100', lastQty: m.qty, leavesQty: '0', liquidity: 'taker' });
}

for (const encoding of ENCODINGS) {
  test(`${encoding}: connect logs in with the token, and place resolves with the accepted report while every report is an event`, TEST, async () => {
    server.script = trading;
    await client.connect(server.url, { encoding, token: 'T0KEN' });
    assert.deepEqual(server.received[0], { type: 'login', requestId: 1, token: 'T0KEN' });
    assert.equal(server.latest.encoding, encoding);
    const reports: string[] = [];
    client.on('executionReport', (r) => reports.push(r.kind));
    const filled = new Promise<void>((resolve) => client.on('executionReport', (r) => r.kind === 'filled' && resolve()));
    const accepted = await client.place({ symbol: 'BTC-USD', side: 'buy', orderType: 'limit', timeInForce: 'GTC', qty: '1.5', price: '100', clientOrderId: 7 });
    assert.equal(accepted.kind, 'accepted');
    assert.equal(accepted.orderId, 500);
    await filled;
    assert.deepEqual(reports, ['accepted', 'filled']);
    const rejected = await client.place({ symbol: 'BTC-USD', side: 'sell', orderType: 'limit', timeInForce: 'GTC', qty: '0', price: '1' });
    assert.equal(rejected.kind, 'rejected');
    assert.equal(rejected.reason, 'QTY_NOT_POSITIVE');
  });
}

test('a refused login rejects connect with the server error, and leaves the client closed', TEST, async () => {
  server.script = (m, c) => {
    if (m.type === 'login') c.send({ type: 'error', requestId: m.requestId, code: 9007, name: 'TOKEN_EXPIRED', message: 'expired' });
  };
  await assert.rejects(client.connect(server.url, { token: 'old' }), (e: unknown) => e instanceof ExchangeError && e.code === 9007 && e.errorName === 'TOKEN_EXPIRED');
  assert.equal(client.connected, false);
});

test('an invalid request is refused locally with the gateway code and never sent', TEST, async () => {
  await client.connect(server.url);
  await assert.rejects(client.place({ symbol: 'BTC-USD', side: 'buy', orderType: 'limit', timeInForce: 'GTC', qty: '01.5' }),
    (e: unknown) => e instanceof ExchangeError && e.errorName === 'BAD_DECIMAL' && e.message.includes('place.qty'));
  await assert.rejects(client.cancel({ symbol: 'BTC-USD', orderId: 0 }), (e: unknown) => e instanceof ExchangeError && e.errorName === 'BAD_FIELD');
  await client.ping();
  assert.deepEqual(server.received.map((m) => m.type), ['ping']);
});

test('an error frame rejects its request; one without a request id is a serverError event', TEST, async () => {
  server.script = (m, c) => {
    if (m.type === 'cancel') c.send({ type: 'error', requestId: m.requestId, code: 9010, name: 'UNKNOWN_SYMBOL', message: 'no symbol "NOPE"' });
  };
  await client.connect(server.url);
  await assert.rejects(client.cancel({ symbol: 'NOPE', clientOrderId: 3 }), (e: unknown) => e instanceof ExchangeError && e.code === 9010);
  const event = next('serverError');
  server.latest.send({ type: 'error', code: 9009, name: 'RATE_LIMITED', message: 'slow down' });
  const [error] = await event;
  assert.equal(error.name, 'RATE_LIMITED');
});

test('subscribe builds the local book from the snapshot and consecutive updates, showing only levels known exactly', TEST, async () => {
  await client.connect(server.url);
  await client.subscribe('book', 'BTC-USD', 2);
  const c = server.latest;
  c.send({ type: 'bookSnapshot', symbol: 'BTC-USD', seq: 40, bids: [['100', '1'], ['99', '2']], asks: [['101', '3']] });
  await next('book');
  assert.deepEqual(client.book('BTC-USD'), { symbol: 'BTC-USD', seq: 40, bids: [['100', '1'], ['99', '2']], asks: [['101', '3']] });
  const views: number[] = [];
  client.on('book', (v) => views.push(v.seq));
  const applied = bookAt(42);
  c.send({ type: 'bookUpdate', symbol: 'BTC-USD', seq: 40, bids: [['100', '9']], asks: [] });
  c.send({ type: 'bookUpdate', symbol: 'BTC-USD', seq: 41, bids: [['100.00', '0'], ['99.5', '4'], ['98', '5']], asks: [['102', '1']] });
  c.send({ type: 'bookUpdate', symbol: 'BTC-USD', seq: 42, bids: [], asks: [['101', '2.5']] });
  await applied;
  // Stale seq 40 changed nothing; 98 lies beyond the bids' horizon (99), so it is not shown; the asks side was complete.
  assert.deepEqual(views, [41, 42]);
  assert.deepEqual(client.book('BTC-USD'), { symbol: 'BTC-USD', seq: 42, bids: [['99.5', '4'], ['99', '2']], asks: [['101', '2.5'], ['102', '1']] });
});

test('a sequence gap drops the book, resyncs with unsubscribe and subscribe, and rebuilds from the new snapshot', TEST, async () => {
  await client.connect(server.url);
  await client.subscribe('book', 'ETH-USD', 5);
  const c = server.latest;
  c.send({ type: 'bookSnapshot', symbol: 'ETH-USD', seq: 7, bids: [['10', '1']], asks: [] });
  await next('book');
  const resync = next('resync');
  const unsubscribe = server.next('unsubscribe');
  const subscribe = server.next('subscribe');
  c.send({ type: 'bookUpdate', symbol: 'ETH-USD', seq: 9, bids: [['11', '1']], asks: [] });
  assert.deepEqual(await resync, ['ETH-USD']);
  assert.equal(client.book('ETH-USD'), undefined);
  assert.deepEqual(await unsubscribe, { type: 'unsubscribe', requestId: (await unsubscribe).requestId, channel: 'book', symbol: 'ETH-USD' });
  assert.equal((await subscribe).depth, 5);
  c.send({ type: 'bookUpdate', symbol: 'ETH-USD', seq: 10, bids: [['12', '1']], asks: [] });
  c.send({ type: 'bookSnapshot', symbol: 'ETH-USD', seq: 10, bids: [['11', '1'], ['10', '1']], asks: [['13', '2']] });
  await next('book');
  assert.deepEqual(client.book('ETH-USD'), { symbol: 'ETH-USD', seq: 10, bids: [['11', '1'], ['10', '1']], asks: [['13', '2']] });
  assert.deepEqual(server.received.map((m) => m.type), ['subscribe', 'unsubscribe', 'subscribe']);
});

test('after a dropped connection the client reconnects, logs in again and restores every subscription', TEST, async () => {
  await client.connect(server.url, { token: 'T', reconnect: { delayMsFirst: 20, delayMsMax: 100 } });
  await client.subscribe('book', 'BTC-USD', 3);
  await client.subscribe('trades', 'BTC-USD');
  server.latest.send({ type: 'bookSnapshot', symbol: 'BTC-USD', seq: 1, bids: [['1', '1']], asks: [] });
  await next('book');
  server.script = (m, c) => {
    if (m.type !== 'ping') answerPlainly(m, c);
  };
  const lost = assert.rejects(client.ping(), (e: unknown) => e instanceof RequestError && e.reason === 'disconnected');
  await server.next('ping');
  const reconnecting = next('reconnecting');
  const reconnected = next('reconnected');
  server.dropAll();
  assert.deepEqual(await reconnecting, [1, 20]);
  await lost;
  assert.equal(client.book('BTC-USD'), undefined);
  await reconnected;
  assert.equal(server.connections.length, 2);
  const again = server.received.slice(4).map((m) => (m.type === 'subscribe' ? `${m.type} ${m.channel} ${m.depth ?? '-'}` : m.type));
  assert.deepEqual(again.sort(), ['login', 'subscribe book 3', 'subscribe trades -']);
  server.latest.send({ type: 'bookSnapshot', symbol: 'BTC-USD', seq: 5, bids: [['2', '1']], asks: [] });
  await next('book');
  assert.equal(client.book('BTC-USD')?.seq, 5);
});

test('a reconnect that fails backs off exponentially up to the cap, and close() stops it', TEST, async () => {
  await client.connect(server.url, { reconnect: { delayMsFirst: 10, delayMsMax: 40 } });
  const delays: number[] = [];
  const fourAttempts = new Promise<void>((resolve) => client.on('reconnecting', (attempt, delayMs) => {
    delays.push(delayMs);
    if (attempt === 4) resolve();
  }));
  await server.close();
  await fourAttempts;
  assert.deepEqual(delays, [10, 20, 40, 40]);
  await client.close();
  const count = delays.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(delays.length, count);
  server = await ScriptedServer.start();
});

test('a request without an answer rejects after requestTimeoutMs; past pendingRequestsMax requests reject at once', TEST, async () => {
  await client.close();
  client = new ExchangeClient({ requestTimeoutMs: 150, pendingRequestsMax: 2 });
  server.script = () => undefined;
  await client.connect(server.url);
  const startedMs = performance.now();
  const first = client.ping();
  const second = client.ping();
  await assert.rejects(client.ping(), (e: unknown) => e instanceof RequestError && e.reason === 'pending_max');
  await assert.rejects(first, (e: unknown) => e instanceof RequestError && e.reason === 'timeout');
  await assert.rejects(second, (e: unknown) => e instanceof RequestError && e.reason === 'timeout');
  const elapsedMs = performance.now() - startedMs;
  assert.ok(elapsedMs >= 140 && elapsedMs < 1_000, `timed out after ${elapsedMs} ms`);
});

test('requests before connecting are refused, and a frame the client cannot decode is a failure event', TEST, async () => {
  await assert.rejects(client.ping(), (e: unknown) => e instanceof RequestError && e.reason === 'not_connected');
  await client.connect(server.url);
  const failure = next('failure');
  server.latest.socket.send(Buffer.from([0xc1]));
  const [error] = await failure;
  assert.ok(error instanceof ExchangeError && error.errorName === 'BAD_FRAME');
  await client.ping();
});
