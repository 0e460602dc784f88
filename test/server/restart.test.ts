// Proves a SIGKILL under load loses nothing acknowledged: after restart every order the client saw accepted is on the book, none twice, and nothing unacknowledged appears twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExchangeClient } from '../../client/exchange-client.ts';
import { getJson, removeDir, setUpMarket, startServer, tempDataDir, token } from './server-process.ts';

const SYMBOL = 'BTC-USD';
const IN_FLIGHT = 32;
const LOAD_MS = 1_500;

test('SIGKILL under load, restart: every acknowledged resting order is back, each once', async () => {
  const dataDir = tempDataDir();
  try {
    const first = await startServer({ dataDir });
    await setUpMarket(first, ['alice']);
    const client = new ExchangeClient({ requestTimeoutMs: 5_000, pendingRequestsMax: 4_096 });
    await client.connect(first.wsUrl, { token: await token('alice', ['trader']) });
    const acknowledged = new Map<number, string>();
    let sent = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const price = `${1_000 + (sent++ % 500)}.5`;
        try {
          const report = await client.place({ symbol: SYMBOL, side: 'sell', orderType: 'limit', timeInForce: 'GTC', price, qty: '0.001', clientOrderId: sent });
          if (report.kind === 'accepted') acknowledged.set(report.orderId as number, price);
        } catch {
          return;
        }
      }
    };
    const workers = Array.from({ length: IN_FLIGHT }, worker);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    await first.kill();
    stop = true;
    await Promise.allSettled(workers);
    await client.close();
    assert.ok(acknowledged.size > 100, `load was applied (${acknowledged.size} acknowledged of ${sent} sent)`);

    const second = await startServer({ dataDir });
    try {
      const book = await getJson(second, `/v1/book/${SYMBOL}?depth=500`);
      const asks = book.body['asks'] as [string, string][];
      const restingLots = asks.reduce((sum, [, qty]) => sum + Math.round(Number(qty) * 1_000), 0);
      assert.ok(restingLots >= acknowledged.size, `every acknowledged order rests (${restingLots} lots on the book, ${acknowledged.size} acknowledged)`);
      assert.ok(restingLots <= sent, 'nothing appears twice: no more orders rest than were sent');
      const byPrice = new Map<string, number>();
      for (const price of acknowledged.values()) byPrice.set(price, (byPrice.get(price) ?? 0) + 1);
      const shown = new Map(asks.map(([price, qty]) => [price, Math.round(Number(qty) * 1_000)]));
      for (const [price, count] of byPrice) assert.ok((shown.get(price) ?? 0) >= count, `price ${price}: ${count} acknowledged, ${shown.get(price) ?? 0} resting`);
      const recovered = second.logs.find((l) => l['msg'] === 'recovered');
      assert.ok(recovered !== undefined && (recovered['replayed'] as number) > 0, 'the restart replayed the journal');
      const retry = new ExchangeClient({ requestTimeoutMs: 5_000 });
      await retry.connect(second.wsUrl, { token: await token('alice', ['trader']) });
      const duplicate = await retry.place({ symbol: SYMBOL, side: 'sell', orderType: 'limit', timeInForce: 'GTC', price: '1000.5', qty: '0.001', clientOrderId: 1 });
      assert.equal(duplicate.reason, 'DUPLICATE_CLIENT_ORDER_ID', 'a client retrying after the crash learns its order was kept');
      await retry.close();
    } finally {
      assert.equal(await second.stop(), 0);
    }
  } finally {
    removeDir(dataDir);
  }
});
