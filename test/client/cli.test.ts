// Proves the CLI against a scripted server: place prints the order's reports until done or rested, cancel and book print their answers, watch streams until stopped, and every wrong invocation is a usage error with exit code 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, test } from 'node:test';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, runCli } from '../../client/cli-run.ts';
import type { ClientMessage, ExecutionReportMessage } from '../../gateway/protocol/messages.ts';
import { ScriptedServer, answerPlainly } from './scripted-server.ts';
import type { Connection } from './scripted-server.ts';

const TEST = { timeout: 10_000 };

interface Captured {
  readonly out: string[];
  readonly err: string[];
  readonly stop: AbortController;
}

let server: ScriptedServer;

beforeEach(async () => {
  server = await ScriptedServer.start();
});

afterEach(async () => {
  await server.close();
});

function start(argv: readonly string[]): { captured: Captured; exit: Promise<number> } {
  const captured: Captured = { out: [], err: [], stop: new AbortController() };
  const exit = runCli(argv, { out: (line) => captured.out.push(line), err: (line) => captured.err.push(line), stop: captured.stop.signal });
  return { captured, exit };
}

async function run(argv: readonly string[]): Promise<{ code: number } & Captured> {
  const { captured, exit } = start(argv);
  return { code: await exit, ...captured };
}

async function until(condition: () => boolean): Promise<void> {
  const deadlineMs = performance.now() + 2_000;
  while (!condition()) {
    if (performance.now() > deadlineMs) throw new Error('condition not reached within 2000 ms');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Limit orders rest after a partial fill; market orders fill; qty 0 is rejected; cancels work. */
function exchange(m: ClientMessage, c: Connection): void {
  answerPlainly(m, c);
  const report = (r: Omit<ExecutionReportMessage, 'type' | 'symbol' | 'seq' | 'timeMs'>): void =>
    c.send({ type: 'executionReport', symbol: 'BTC-USD', seq: 20, timeMs: 1, ...r });
  if (m.type === 'place') {
    if (m.qty === '0') return report({ requestId: m.requestId, kind: 'rejected', code: 1007, reason: 'QTY_NOT_POSITIVE' });
    report({ requestId: m.requestId, kind: 'accepted', orderId: 900, side: m.side, qty: m.qty, leavesQty: m.qty });
    report({ kind: 'filled', orderId: 901, lastPrice: '5', lastQty: '1' });
    report({ requestId: m.requestId, kind: m.orderType === 'market' ? 'filled' : 'partially_filled', orderId: 900, lastPrice: '100', lastQty: '0.5' });
  }
  if (m.type === 'cancel') report({ requestId: m.requestId, kind: m.orderId === 900 ? 'cancelled' : 'rejected', orderId: m.orderId ?? 0 });
  if (m.type === 'subscribe' && m.channel === 'book') {
    c.send({ type: 'bookSnapshot', symbol: m.symbol, seq: 3, bids: [['99.5', '2'], ['99', '10']], asks: [['100.25', '1']] });
  }
}

const placeArgs = (...extra: string[]): string[] => ['place', '--url', server.url, '--token', 'T', '--symbol', 'BTC-USD', '--side', 'buy', ...extra];

test('place prints its own reports as JSON lines and stops once the order has rested', TEST, async () => {
  server.script = exchange;
  const startedMs = performance.now();
  const r = await run(placeArgs('--type', 'limit', '--price', '100', '--qty', '1', '--settle-ms', '150', '--client-order-id', '4'));
  assert.equal(r.code, EXIT_OK, r.err.join('\n'));
  assert.deepEqual(r.out.map((line) => (JSON.parse(line) as ExecutionReportMessage).kind), ['accepted', 'partially_filled']);
  assert.ok(performance.now() - startedMs >= 150);
  assert.deepEqual(server.received.find((m) => m.type === 'place'), {
    type: 'place', requestId: 2, symbol: 'BTC-USD', side: 'buy', orderType: 'limit', timeInForce: 'GTC', qty: '1', price: '100', clientOrderId: 4,
  });
});

test('place of a market order stops at its fill without waiting to settle, in FlatBuffers too', TEST, async () => {
  server.script = exchange;
  const startedMs = performance.now();
  const r = await run(placeArgs('--type', 'market', '--qty', '1', '--quote-budget', '500', '--settle-ms', '5000', '--encoding', 'flatbuffers'));
  assert.equal(r.code, EXIT_OK, r.err.join('\n'));
  assert.deepEqual(r.out.map((line) => (JSON.parse(line) as ExecutionReportMessage).kind), ['accepted', 'filled']);
  assert.ok(performance.now() - startedMs < 2_000);
  assert.equal(server.latest.encoding, 'flatbuffers');
  assert.equal(server.received.find((m) => m.type === 'place' && m.timeInForce === 'IOC') !== undefined, true);
});

test('a rejected place prints the rejection and exits 1', TEST, async () => {
  server.script = exchange;
  const r = await run(placeArgs('--type', 'limit', '--price', '1', '--qty', '0'));
  assert.equal(r.code, EXIT_FAILED);
  assert.equal((JSON.parse(r.out[0] ?? '{}') as ExecutionReportMessage).reason, 'QTY_NOT_POSITIVE');
});

test('cancel prints its report: exit 0 when cancelled, 1 when rejected', TEST, async () => {
  server.script = exchange;
  const ok = await run(['cancel', '--url', server.url, '--token', 'T', '--symbol', 'BTC-USD', '--order-id', '900']);
  assert.equal(ok.code, EXIT_OK);
  assert.equal((JSON.parse(ok.out[0] ?? '{}') as ExecutionReportMessage).kind, 'cancelled');
  const refused = await run(['cancel', '--url', server.url, '--token', 'T', '--symbol', 'BTC-USD', '--order-id', '5']);
  assert.equal(refused.code, EXIT_FAILED);
});

test('book subscribes without logging in and prints the snapshot as a ladder, or as JSON', TEST, async () => {
  server.script = exchange;
  const r = await run(['book', '--url', server.url, '--symbol', 'BTC-USD', '--depth', '2']);
  assert.equal(r.code, EXIT_OK, r.err.join('\n'));
  assert.deepEqual(r.out, ['BTC-USD  book seq 3', 'ask  100.25  1', '----------------', 'bid    99.5  2', 'bid      99  10']);
  assert.deepEqual(server.received.map((m) => m.type), ['subscribe']);
  const json = await run(['book', '--url', server.url, '--symbol', 'BTC-USD', '--json']);
  assert.deepEqual(JSON.parse(json.out[0] ?? '{}'), { type: 'bookSnapshot', symbol: 'BTC-USD', seq: 3, bids: [['99.5', '2'], ['99', '10']], asks: [['100.25', '1']] });
});

test('book of a symbol the server does not know is exit 1 with the server error, at once', TEST, async () => {
  server.script = (m, c) => {
    if (m.type === 'subscribe') c.send({ type: 'error', requestId: m.requestId, code: 9010, name: 'UNKNOWN_SYMBOL', message: 'no symbol "X"' });
  };
  const r = await run(['book', '--url', server.url, '--symbol', 'X', '--timeout-ms', '60000']);
  assert.equal(r.code, EXIT_FAILED);
  assert.match(r.err[0] ?? '', /UNKNOWN_SYMBOL/);
});

test('watch streams market data and execution reports as JSON lines until stopped', TEST, async () => {
  server.script = exchange;
  const { captured, exit } = start(['watch', '--url', server.url, '--symbol', 'BTC-USD', '--token', 'T']);
  await until(() => server.received.length === 4);
  server.latest.send({ type: 'trade', symbol: 'BTC-USD', seq: 1, price: '100', qty: '1', takerSide: 'sell', timeMs: 5 });
  server.latest.send({ type: 'executionReport', kind: 'filled', symbol: 'BTC-USD', orderId: 1, seq: 2, timeMs: 5 });
  await until(() => captured.out.length === 3);
  captured.stop.abort();
  assert.equal(await exit, EXIT_OK);
  assert.deepEqual(captured.out.map((line) => (JSON.parse(line) as { type: string }).type), ['bookSnapshot', 'trade', 'executionReport']);
  assert.deepEqual(server.received.map((m) => (m.type === 'subscribe' ? m.channel : m.type)), ['login', 'book', 'trades', 'bbo']);
});

const USAGE_CASES: readonly [why: string, argv: readonly string[], mentions: string][] = [
  ['no --url', ['book', '--symbol', 'X'], '--url is required'],
  ['an http URL', ['book', '--url', 'http://x', '--symbol', 'X'], 'ws://'],
  ['an unknown command', ['buy'], 'unknown command'],
  ['a command named like an object property', ['constructor'], 'unknown command'],
  ['an unknown option', ['book', '--url', 'ws://x', '--symbol', 'X', '--side', 'buy'], "'--side'"],
  ['a side that is not buy or sell', ['place', '--url', 'ws://x', '--token', 'T', '--symbol', 'X', '--side', 'long', '--type', 'limit', '--qty', '1', '--price', '1'], '--side must be buy|sell'],
  ['a limit order without a price', ['place', '--url', 'ws://x', '--token', 'T', '--symbol', 'X', '--side', 'buy', '--type', 'limit', '--qty', '1'], '--price is required'],
  ['a market order with a price', ['place', '--url', 'ws://x', '--token', 'T', '--symbol', 'X', '--side', 'buy', '--type', 'market', '--qty', '1', '--price', '1'], 'takes no --price'],
  ['a non-canonical quantity', ['place', '--url', 'ws://x', '--token', 'T', '--symbol', 'X', '--side', 'buy', '--type', 'market', '--qty', '1e3'], '--qty must be a decimal'],
  ['no token', ['place', '--url', 'ws://x', '--symbol', 'X', '--side', 'buy', '--type', 'market', '--qty', '1'], '--token is required'],
  ['a client order id of 0', ['place', '--url', 'ws://x', '--token', 'T', '--symbol', 'X', '--side', 'buy', '--type', 'market', '--qty', '1', '--client-order-id', '0'], '--client-order-id must be an integer'],
  ['cancel naming two orders', ['cancel', '--url', 'ws://x', '--token', 'T', '--symbol', 'X', '--order-id', '1', '--client-order-id', '2'], 'exactly one'],
  ['a depth past 500', ['book', '--url', 'ws://x', '--symbol', 'X', '--depth', '501'], '--depth must be an integer in 1..500'],
  ['a symbol with a space', ['watch', '--url', 'ws://x', '--symbol', 'A B'], '--symbol must be'],
  ['an unknown encoding', ['book', '--url', 'ws://x', '--symbol', 'X', '--encoding', 'json'], '--encoding must be msgpack|flatbuffers'],
];

for (const [why, argv, mentions] of USAGE_CASES) {
  test(`usage error, exit 2: ${why}`, async () => {
    const r = await run(argv);
    assert.equal(r.code, EXIT_USAGE);
    assert.ok(r.err[0]?.includes(mentions), `${r.err[0]} mentions ${mentions}`);
    assert.match(r.err[1] ?? '', /^usage:/);
  });
}

test('a server that cannot be reached is exit 1 with the reason', TEST, async () => {
  await server.close();
  const r = await run(['book', '--url', server.url, '--symbol', 'X']);
  assert.equal(r.code, EXIT_FAILED);
  assert.match(r.err[0] ?? '', /^error: .*ECONNREFUSED/);
  server = await ScriptedServer.start();
});

test('the npm run client entry point exits with the code runCli returns', TEST, () => {
  const cli = fileURLToPath(new URL('../../client/cli.ts', import.meta.url));
  const usage = spawnSync(process.execPath, ['--import', 'tsx', cli, 'book', '--symbol', 'X'], { encoding: 'utf8' });
  assert.equal(usage.status, EXIT_USAGE, usage.stderr);
  assert.match(usage.stderr, /--url is required/);
});
