// Proves a standby (VENUE_ROLE=standby) recovers but refuses orders, WebSocket upgrades and admin calls, fails
// /healthz/leader and starts no projector even with a store configured, while a leader passes: two hosts behind one
// load balancer can never both take orders.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminPost, getJson, openSocket, removeDir, startServer, type RunningServer } from './server-process.ts';

/** An address nothing listens on: a projector started with it could only fail, and a standby must not start one. */
const UNREACHABLE_PG_URL = 'postgres://127.0.0.1:1/none';

/** The HTTP status of a WebSocket upgrade: 101 when it opens (the socket is closed again). */
async function upgradeStatus(server: RunningServer): Promise<number> {
  const result = await openSocket(server);
  if (typeof result === 'number') return result;
  result.close();
  return 101;
}

async function metric(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
}

describe('leader and standby roles', () => {
  let leader: RunningServer;
  let standby: RunningServer;
  before(async () => {
    [leader, standby] = await Promise.all([startServer(), startServer({ args: ['--role', 'standby'], env: { PG_URL: UNREACHABLE_PG_URL } })]);
  });
  after(async () => {
    for (const s of [leader, standby]) {
      await s.stop();
      removeDir(s.dataDir);
    }
  });

  test('only the leader passes /healthz/leader; both are alive and recovered', async () => {
    const [leaderCheck, standbyCheck] = await Promise.all([getJson(leader, '/healthz/leader'), getJson(standby, '/healthz/leader')]);
    assert.equal(leaderCheck.status, 200);
    assert.equal(leaderCheck.body['role'], 'leader');
    assert.equal(standbyCheck.status, 503);
    assert.equal(standbyCheck.body['role'], 'standby');
    assert.equal(standbyCheck.body['ready'], false);
    assert.equal((await getJson(standby, '/readyz')).status, 503);
    assert.equal((await fetch(`${standby.httpUrl}/healthz`)).status, 200);
    assert.deepEqual([await metric(leader, 'exchange_leader'), await metric(standby, 'exchange_leader')], [1, 0]);
    assert.deepEqual([await metric(leader, 'exchange_ready'), await metric(standby, 'exchange_ready')], [1, 1]);
    assert.ok(standby.logs.some((l) => String(l['msg']).startsWith('STANDBY')), 'the standby says loudly what it is');
  });

  test('the standby refuses WebSocket upgrades and admin calls with 503; the leader accepts them', async () => {
    assert.equal(await upgradeStatus(standby), 503);
    assert.deepEqual(await adminPost(standby, '/v1/admin/accounts', { account: 'alice' }), { status: 503, body: { error: 'NOT_READY' } });
    assert.equal(await upgradeStatus(leader), 101);
    assert.equal((await adminPost(leader, '/v1/admin/accounts', { account: 'alice' })).status, 200);
  });

  test('the standby starts no projector although a store is configured', async () => {
    const readiness = await getJson(standby, '/readyz');
    assert.equal('projections' in readiness.body, false, JSON.stringify(readiness.body));
    assert.equal(standby.logs.some((l) => /projector/i.test(JSON.stringify(l))), false);
  });
});
