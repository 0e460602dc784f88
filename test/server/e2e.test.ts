// Proves the real server process, through the client library in both encodings: orders, fills across two
// accounts, cancels, replaces, mass cancel, balances, and market data (snapshot + updates) rebuilding the server's book.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ExchangeClient } from '../../client/exchange-client.ts';
import { ENCODINGS } from '../../gateway/protocol/codec.ts';
import type { BalanceMessage, ExecutionReportMessage, MassCancelDoneMessage } from '../../gateway/protocol/messages.ts';
import { getJson, removeDir, setUpMarket, startServer, token, type RunningServer } from './server-process.ts';

const SYMBOL = 'BTC-USD';
const SETTLE_MS = 2_000;

/** Waits until `predicate` holds over what the client received, or fails after SETTLE_MS. */
async function eventually(what: string, predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Trader {
  readonly client: ExchangeClient;
  readonly reports: ExecutionReportMessage[];
  readonly balances: BalanceMessage[];
  readonly massCancels: MassCancelDoneMessage[];
}

async function trader(server: RunningServer, account: string, encoding: (typeof ENCODINGS)[number]): Promise<Trader> {
  const client = new ExchangeClient({ requestTimeoutMs: 5_000 });
  const t: Trader = { client, reports: [], balances: [], massCancels: [] };
  client.on('executionReport', (r) => t.reports.push(r));
  client.on('balance', (b) => t.balances.push(b));
  client.on('massCancelDone', (m) => t.massCancels.push(m));
  await client.connect(server.wsUrl, { encoding, token: await token(account, ['trader']) });
  return t;
}

describe('end to end through the server process', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
    await setUpMarket(server, ['alice', 'bob', 'carol', 'dave']);
  });
  after(async () => {
    assert.equal(await server.stop(), 0, 'the server drains and exits 0 on SIGTERM');
    removeDir(server.dataDir);
  });

  test('cancel-on-disconnect: a session\'s flagged orders are cancelled by a journaled command when it ends; others stay', async () => {
    const t = await trader(server, 'alice', 'msgpack');
    await t.client.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: '150.25', qty: '1', cancelOnDisconnect: true });
    await t.client.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: '150.5', qty: '1' });
    const bidsOf = async () => ((await getJson(server, `/v1/book/${SYMBOL}?depth=50`)).body['bids'] as [string, string][]).map(([p]) => p);
    assert.ok((await bidsOf()).includes('150.25'));
    await t.client.close();
    const deadline = Date.now() + SETTLE_MS;
    while ((await bidsOf()).includes('150.25') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const bids = await bidsOf();
    assert.ok(!bids.includes('150.25'), 'the cancel-on-disconnect order is gone');
    assert.ok(bids.includes('150.5'), 'the other order of the same account stays');
    const cleanup = await trader(server, 'alice', 'msgpack');
    await cleanup.client.massCancel({ symbol: SYMBOL });
    await cleanup.client.close();
  });

  for (const [i, encoding] of ENCODINGS.entries()) {
    test(`${encoding}: place, fill across two accounts, cancel, replace, mass cancel, balances, market data`, async () => {
      const [sellerName, buyerName] = i === 0 ? ['alice', 'bob'] : ['carol', 'dave'];
      const seller = await trader(server, sellerName, encoding);
      const buyer = await trader(server, buyerName, encoding);
      const watcher = new ExchangeClient();
      await watcher.connect(server.wsUrl, { encoding });
      await watcher.subscribe('book', SYMBOL, 20);
      const trades: string[] = [];
      watcher.on('trade', (t) => trades.push(`${t.price}x${t.qty}`));
      await watcher.subscribe('trades', SYMBOL);
      try {
        const base = 200 + i * 10;
        const accepted = await seller.client.place({ symbol: SYMBOL, side: 'sell', orderType: 'limit', timeInForce: 'GTC', price: `${base}.5`, qty: '2', clientOrderId: 7 });
        assert.equal(accepted.kind, 'accepted');
        assert.equal(accepted.clientOrderId, 7);
        const sellId = accepted.orderId as number;
        const buy = await buyer.client.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'IOC', price: `${base + 1}`, qty: '0.75' });
        assert.equal(buy.kind, 'accepted');
        await eventually('the fill reports', () => buyer.reports.some((r) => r.kind === 'filled') && seller.reports.some((r) => r.kind === 'partially_filled'));
        const fill = buyer.reports.find((r) => r.kind === 'filled');
        assert.deepEqual([fill?.lastPrice, fill?.lastQty, fill?.liquidity, fill?.feeAsset], [`${base}.5`, '0.75', 'taker', 'BTC'], 'a taker buy pays its fee in base, at the maker price');
        const makerFill = seller.reports.find((r) => r.kind === 'partially_filled');
        assert.deepEqual([makerFill?.orderId, makerFill?.leavesQty, makerFill?.liquidity, makerFill?.clientOrderId], [sellId, '1.25', 'maker', 7]);
        await eventually('balances after the fill', () => buyer.balances.some((b) => b.asset === 'BTC'));

        const duplicate = await seller.client.place({ symbol: SYMBOL, side: 'sell', orderType: 'limit', timeInForce: 'GTC', price: `${base + 5}`, qty: '1', clientOrderId: 7 });
        assert.deepEqual([duplicate.kind, duplicate.reason], ['rejected', 'DUPLICATE_CLIENT_ORDER_ID'], 'a retried client order id is refused while the first is live');

        const bid = await buyer.client.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: `${base - 3}`, qty: '1' });
        const cancelled = await buyer.client.cancel({ symbol: SYMBOL, orderId: bid.orderId as number });
        assert.deepEqual([cancelled.kind, cancelled.reason], ['cancelled', 'CANCELLED_BY_OWNER']);
        const stolen = await buyer.client.cancel({ symbol: SYMBOL, orderId: sellId });
        assert.deepEqual([stolen.kind, stolen.reason], ['rejected', 'NOT_ORDER_OWNER'], 'nobody touches another account\'s orders');

        const replaced = await seller.client.replace({ symbol: SYMBOL, clientOrderId: 7, price: `${base + 2}`, qty: '1.25' });
        assert.deepEqual([replaced.kind, replaced.price, replaced.qty], ['replaced', `${base + 2}`, '1.25']);
        await seller.client.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: `${base - 10}`, qty: '3' });

        const rest = await getJson(server, `/v1/book/${SYMBOL}?depth=20`);
        await eventually('market data to catch up', () => JSON.stringify(watcher.book(SYMBOL)?.bids) === JSON.stringify(rest.body['bids']) && JSON.stringify(watcher.book(SYMBOL)?.asks) === JSON.stringify(rest.body['asks']));
        assert.ok(trades.includes(`${base}.5x0.75`), 'the trade is published');

        const done = await seller.client.massCancel({ symbol: SYMBOL });
        assert.equal(done.cancelledCount, 2);
        const after = await getJson(server, `/v1/book/${SYMBOL}?depth=20`);
        await eventually('the mass cancel in market data', () => JSON.stringify(watcher.book(SYMBOL)?.asks) === JSON.stringify(after.body['asks']));
      } finally {
        await Promise.all([seller.client.close(), buyer.client.close(), watcher.close()]);
      }
    });
  }
});
