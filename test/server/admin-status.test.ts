// Proves the admin lifecycle calls through the server process: halt, resume (with an optional new reference price,
// exact in ticks), close (every live order of the symbol cancelled with SYMBOL_CLOSING), and their bad requests.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminPost, getJson, removeDir, reportingClient, reportWhere, setUpMarket, startServer, type RunningServer } from './server-process.ts';

const SYMBOL = 'BTC-USD';

async function statusOf(server: RunningServer): Promise<unknown> {
  const symbols = (await getJson(server, '/v1/symbols')).body['symbols'] as { symbol: string; status: string }[];
  return symbols.find((s) => s.symbol === SYMBOL)?.status;
}

describe('symbol lifecycle over the admin API', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
    await setUpMarket(server, ['alice']);
  });
  after(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });

  test('halt, resume with a reference price, and bad requests', async () => {
    assert.deepEqual(await adminPost(server, `/v1/admin/symbols/${SYMBOL}/halt`, {}), { status: 200, body: { symbol: SYMBOL, status: 'halted' } });
    assert.equal(await statusOf(server), 'halted');
    assert.equal((await adminPost(server, `/v1/admin/symbols/${SYMBOL}/halt`, { referencePrice: '100' })).status, 400, 'referencePrice is for resume only');
    assert.equal((await adminPost(server, `/v1/admin/symbols/${SYMBOL}/resume`, { referencePrice: '100.001' })).status, 400, 'not a whole tick');
    assert.deepEqual(await adminPost(server, `/v1/admin/symbols/${SYMBOL}/resume`, { referencePrice: '100.25' }), { status: 200, body: { symbol: SYMBOL, status: 'trading' } });
    assert.equal(await statusOf(server), 'trading');
    assert.equal((await adminPost(server, '/v1/admin/symbols/NOPE-USD/close', {})).status, 404);
  });

  test('close cancels the live orders of the symbol and ends trading in it', async () => {
    const { client, reports } = await reportingClient(server, 'alice');
    try {
      const accepted = await client.place({ symbol: SYMBOL, side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: '100', qty: '1' });
      assert.equal(accepted.kind, 'accepted');
      assert.deepEqual(await adminPost(server, `/v1/admin/symbols/${SYMBOL}/close`, {}), { status: 200, body: { symbol: SYMBOL, status: 'closed' } });
      const cancelled = await reportWhere(reports, (r) => r.kind === 'cancelled');
      assert.equal(cancelled.orderId, accepted.orderId);
      assert.equal(cancelled.reason, 'SYMBOL_CLOSING');
      assert.equal(await statusOf(server), 'closed');
      assert.equal((await adminPost(server, `/v1/admin/symbols/${SYMBOL}/resume`, {})).status, 409, 'a closed symbol stays closed');
    } finally {
      client.close();
    }
  });
});
