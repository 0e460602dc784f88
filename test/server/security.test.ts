// Proves hostile and broken input is refused cleanly: bad tokens and roles, rate limits, oversize and text frames,
// 100,000 fuzzed frames over live sessions (after which a well-behaved client is served and memory is bounded), a slow consumer cut off alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { ExchangeClient } from '../../client/exchange-client.ts';
import { encodeClientMessage, SUBPROTOCOL_MSGPACK } from '../../gateway/protocol/codec.ts';
import { seededRandom } from '../engine/random-commands.ts';
import { adminPost, getJson, removeDir, setUpMarket, startServer, token, type RunningServer } from './server-process.ts';

const SYMBOL = 'BTC-USD';
const FUZZ_FRAMES = 100_000;
const FUZZ_CONNECTIONS = 4;

function rawSocket(server: RunningServer, protocol = SUBPROTOCOL_MSGPACK): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.wsUrl, protocol);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

async function rssBytes(server: RunningServer): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1]);
}

describe('security and hostile input', () => {
  let server: RunningServer;
  let strict: RunningServer;
  before(async () => {
    [server, strict] = await Promise.all([startServer({ args: ['--backpressure-bytes', '65536'] }), startServer({ args: ['--rate-session', '200'] })]);
    await Promise.all([setUpMarket(server, ['alice', 'bob']), setUpMarket(strict, ['alice'])]);
  });
  after(async () => {
    for (const s of [server, strict]) {
      await s.stop();
      removeDir(s.dataDir);
    }
  });

  test('tokens: missing, forged, expired, unknown account and wrong role are refused', async () => {
    const client = new ExchangeClient({ requestTimeoutMs: 3_000 });
    await client.connect(server.wsUrl, {});
    try {
      await assert.rejects(client.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: '1', qty: '1' }), /NOT_LOGGED_IN/);
      await assert.rejects(client.login(await token('alice', ['trader'], { secret: 'x'.repeat(40) })), /AUTH_FAILED/);
      await assert.rejects(client.login(await token('alice', ['trader'], { expiresInSeconds: -120 })), /TOKEN_EXPIRED/);
      await assert.rejects(client.login(await token('mallory', ['trader'])), /AUTH_FAILED/);
      await assert.rejects(client.login('not.a.jwt'), /AUTH_FAILED/);
    } finally {
      await client.close();
    }
    const viewer = new ExchangeClient({ requestTimeoutMs: 3_000 });
    await viewer.connect(server.wsUrl, { token: await token('alice', ['market_data']) });
    try {
      await assert.rejects(viewer.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: '1', qty: '1' }), /FORBIDDEN/);
      await viewer.subscribe('book', SYMBOL);
    } finally {
      await viewer.close();
    }
  });

  test('the admin API needs its key', async () => {
    const r = await adminPost(server, '/v1/admin/accounts', { account: 'eve' }, 'wrong-key-0123456789');
    assert.equal(r.status, 401);
    assert.equal((await adminPost(server, '/v1/admin/accounts', { account: 'bad name!' })).status, 422);
    assert.equal((await adminPost(server, '/v1/admin/deposits', { account: 'nobody', asset: 'USD', amount: '1' })).status, 404);
    assert.equal((await adminPost(server, '/v1/admin/deposits', { account: 'alice', asset: 'USD', amount: '0.000000001' })).status, 400, 'finer than the asset scale');
  });

  test('a session over its message rate gets RATE_LIMITED and stays connected', async () => {
    const client = new ExchangeClient({ requestTimeoutMs: 3_000, pendingRequestsMax: 4_096 });
    await client.connect(strict.wsUrl, { token: await token('alice', ['trader']) });
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 1_000 }, () => client.ping()));
      const limited = outcomes.filter((o) => o.status === 'rejected' && /RATE_LIMITED/.test(String(o.reason))).length;
      assert.ok(limited >= 500, `the burst is limited (${limited} refused), each refusal naming its request`);
      assert.equal(outcomes.filter((o) => o.status === 'rejected' && !/RATE_LIMITED/.test(String(o.reason))).length, 0, 'every other ping is answered');
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      await client.ping();
    } finally {
      await client.close();
    }
  });

  test('a session that sends nothing but garbage is closed with 1008', async () => {
    const ws = await rawSocket(server);
    const code = closed(ws);
    for (let i = 0; i < 200; i++) ws.send(Buffer.from([0xc1, i]));
    assert.equal(await code, 1008);
  });

  test('oversize frames close the connection; text frames and garbage get error frames', async () => {
    const big = await rawSocket(server);
    const bigClosed = closed(big);
    big.send(Buffer.alloc(70 * 1024, 1));
    assert.ok((await bigClosed) >= 1000, 'an oversize frame closes the socket');
    const ws = await rawSocket(server);
    const frames: Buffer[] = [];
    ws.on('message', (data) => frames.push(data as Buffer));
    ws.send('hello', { binary: false });
    ws.send(Buffer.from([0xc1, 0xff, 0x00]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(frames.length, 2, 'one error frame each');
    ws.close();
  });

  test(`${FUZZ_FRAMES} random and mutated frames over live sessions: the server still serves and its memory is bounded`, async () => {
    const random = seededRandom(4242);
    const rssBefore = await rssBytes(server);
    const valid = [
      encodeClientMessage('msgpack', { type: 'ping', requestId: 1 }),
      encodeClientMessage('msgpack', { type: 'place', requestId: 2, symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: '100', qty: '1' }),
      encodeClientMessage('msgpack', { type: 'subscribe', requestId: 3, channel: 'book', symbol: SYMBOL }),
      encodeClientMessage('msgpack', { type: 'login', requestId: 4, token: 'x' }),
    ];
    let received = 0;
    let reconnects = 0;
    const connect = async () => {
      const ws = await rawSocket(server);
      ws.on('message', () => received++);
      return ws;
    };
    const sockets = await Promise.all(Array.from({ length: FUZZ_CONNECTIONS }, connect));
    const ping = encodeClientMessage('msgpack', { type: 'ping', requestId: 9 });
    for (let i = 0; i < FUZZ_FRAMES; i++) {
      const index = i % FUZZ_CONNECTIONS;
      let ws = sockets[index] as WebSocket;
      if (ws.readyState !== WebSocket.OPEN) {
        // A session that keeps sending garbage is closed by the server (1008); a hostile client comes back.
        ws = await connect();
        sockets[index] = ws;
        reconnects++;
      }
      let frame: Uint8Array;
      if (random() < 0.5) {
        frame = new Uint8Array(1 + Math.floor(random() * 200)).map(() => Math.floor(random() * 256));
      } else {
        frame = Uint8Array.from(valid[Math.floor(random() * valid.length)] as Uint8Array);
        for (let k = 0; k < 1 + Math.floor(random() * 4); k++) frame[Math.floor(random() * frame.length)] = Math.floor(random() * 256);
      }
      // A valid frame now and then, as a careless (not hostile) client would send: its session stays open.
      ws.send(Math.floor(i / FUZZ_CONNECTIONS) % 25 === 0 ? ping : frame);
      if (i % 2_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // Answers trail the frames; wait until they stop coming.
    for (let seen = -1; seen !== received;) {
      seen = received;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    for (const ws of sockets) ws.terminate();
    assert.ok(received >= FUZZ_FRAMES * 0.99, `the server answered the fuzzed frames (${received} answers for ${FUZZ_FRAMES} frames, ${reconnects} sessions closed)`);
    assert.equal((await getJson(server, '/readyz')).status, 200, 'still ready');
    const client = new ExchangeClient({ requestTimeoutMs: 5_000 });
    await client.connect(server.wsUrl, { token: await token('bob', ['trader']) });
    try {
      const report = await client.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: '50', qty: '1' });
      assert.equal(report.kind, 'accepted', 'a well-behaved client is served');
    } finally {
      await client.close();
    }
    const rssAfter = await rssBytes(server);
    assert.ok(rssAfter < rssBefore * 1.5 + 64 * 1024 * 1024, `resident memory bounded: ${rssBefore} -> ${rssAfter} bytes`);
  });

  test('a consumer that stops reading is disconnected; the others stay served', async () => {
    const maker = new ExchangeClient({ requestTimeoutMs: 5_000 });
    await maker.connect(server.wsUrl, { token: await token('bob', ['trader']) });
    const healthy = new ExchangeClient({ requestTimeoutMs: 5_000 });
    await healthy.connect(server.wsUrl, { token: await token('alice', ['trader']) });
    const slow = await rawSocket(server);
    try {
      for (let i = 0; i < 500; i++) await maker.place({ symbol: SYMBOL, side: 'sell', orderType: 'limit', timeInForce: 'GTC', price: `${2_000 + i}.25`, qty: '0.001' });
      // The reader stops reading (it would not even see the server close it): only the server can tell.
      (slow as unknown as { _socket: { pause(): void } })._socket.pause();
      const metric = async (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(await (await fetch(`${server.httpUrl}/metrics`)).text())?.[1]);
      const connectionsBefore = await metric('exchange_connections');
      // Each subscribe answers with a 500-level snapshot the reader never takes: its buffers fill.
      const subscribe = encodeClientMessage('msgpack', { type: 'subscribe', requestId: 1, channel: 'book', symbol: SYMBOL, depth: 500 });
      let dropped = 0;
      for (let i = 0; i < 3_000 && dropped === 0; i++) {
        slow.send(subscribe);
        if (i % 100 === 99) dropped = await metric('exchange_backpressure_drops_total');
      }
      assert.ok(dropped >= 1, 'the slow consumer overflowed its backpressure limit');
      assert.equal(await metric('exchange_connections'), connectionsBefore - 1, 'and was disconnected');
      const report = await healthy.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'IOC', price: '2000.25', qty: '0.001' });
      assert.equal(report.kind, 'accepted', 'the others are still served');
    } finally {
      slow.terminate();
      await Promise.all([healthy.close(), maker.close()]);
    }
  });
});
