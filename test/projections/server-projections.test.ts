// Proves, through the real server with PG_URL and REDIS_URL set: after a seeded random workload every PostgreSQL table equals the engine recovered from the data dir (open orders, balances, fills, fees, ledger, symbols), Redis's best bid/offer and top-N snapshots equal the book, the lag is reported in /readyz and /metrics, and the hot state is rebuilt after FLUSHALL and after a Redis "restart" (connections reset through a proxy, data gone, trading going on meanwhile). Redis here is a redis-server of the test's own (private-redis.ts), so its FLUSHALL empties nothing but this test's keys; without redis-server the test is skipped loudly (a failure under REQUIRE_SERVICES=1).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { redisKeys } from '../../projections/redis-keys.ts';
import { REDIS_CHECK_INTERVAL_MS } from '../../projections/redis-projection.ts';
import { removeDir, startServer, type RunningServer } from '../server/server-process.ts';
import { privateRedisMissing, startPrivateRedis, type PrivateRedis } from './private-redis.ts';
import { freshRedisPrefix, freshSchema, servicesMissing, type TestKeys, type TestSchema } from './services.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { assertPgEqualsEngine, assertRedisEqualsEngine } from './truth.ts';
import { assertRedisEqualsServerBooks, caughtUp, eventually, recoveredTruth, waitForProjections } from './projector-status.ts';
import { runWorkload, setUpVenue } from './workload.ts';

const ACCOUNTS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const OPERATIONS = 1_500;
const CATCH_UP_TIMEOUT_MS = 20_000;
const SETTLE_TIMEOUT_MS = 5_000;
const TEST_TIMEOUT_MS = 120_000;
const OPERATIONS_WHILE_REDIS_DOWN = 300;

let missing: string | undefined;
let schema: TestSchema;
let keys: TestKeys;
let server: RunningServer;
let redisProxy: TcpProxy;
let redis: PrivateRedis | undefined;
before(async () => {
  missing = (await servicesMissing()) ?? privateRedisMissing();
  if (missing !== undefined) return;
  redis = await startPrivateRedis();
  schema = await freshSchema();
  keys = await freshRedisPrefix(redis.url);
  redisProxy = await startTcpProxy(redis.host, redis.port);
  server = await startServer({ env: { PG_URL: schema.url, REDIS_URL: `redis://${redis.host}:${redisProxy.port}`, REDIS_KEY_PREFIX: keys.prefix } });
});
after(async () => {
  try {
    // Undefined when before() skipped or failed part way.
    if ((server as RunningServer | undefined) === undefined) return;
    if (server.child.exitCode === null) await server.stop();
    removeDir(server.dataDir);
    await redisProxy.close();
    await schema.drop();
    await keys.drop();
  } finally {
    await redis?.stop();
  }
});

test('a workload through the server: tables and Redis equal the engine; rebuilt after FLUSHALL and after a Redis restart', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  if (missing !== undefined) return t.skip(missing);
  await setUpVenue(server, ACCOUNTS);
  const workload = await runWorkload(server, ACCOUNTS, { seed: 11, operations: OPERATIONS, inFlight: 4 });
  const settled = await waitForProjections(server, 'both stores to catch up', CATCH_UP_TIMEOUT_MS, caughtUp(['postgres', 'redis']));
  assert.equal(settled.postgres?.eventIndexStored, settled.redis?.eventIndexStored, 'both stores at the same event');
  const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
  assert.match(metrics, /exchange_projection_lag_events\{store="postgres"\} 0/);
  assert.match(metrics, /exchange_projection_lag_events\{store="redis"\} 0/);
  await assertRedisEqualsServerBooks(server, keys.redis, keys.prefix);

  const cursorKey = redisKeys(keys.prefix).cursor;
  const cursorBefore = await keys.redis.hget(cursorKey, 'lastEventIndex');
  await keys.redis.flushall();
  const deadline = Date.now() + 5 * REDIS_CHECK_INTERVAL_MS;
  while ((await keys.redis.hget(cursorKey, 'lastEventIndex')) !== cursorBefore) {
    assert.ok(Date.now() < deadline, 'the projector rebuilt Redis after FLUSHALL');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await assertRedisEqualsServerBooks(server, keys.redis, keys.prefix);

  const admin = new pg.Pool({ connectionString: schema.url, max: 1 });
  const fillsStored = async () => Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM fills')).rows[0]?.n);
  await eventually(SETTLE_TIMEOUT_MS, async () => assert.equal(await fillsStored(), workload.takerFills(), 'PostgreSQL holds every fill the clients saw as takers'));
  await workload.close();
  const fillsBefore = workload.takerFills();

  // A restart: every connection reset, the data gone, trading going on until Redis is back.
  redisProxy.cut();
  await keys.redis.flushall();
  const during = await runWorkload(server, ACCOUNTS, { seed: 12, operations: OPERATIONS_WHILE_REDIS_DOWN, inFlight: 2 });
  await waitForProjections(server, 'Redis to fall behind', SETTLE_TIMEOUT_MS, (p) => (p.redis?.lagEvents ?? 0) > 0 && p.redis?.state === 'retrying');
  redisProxy.restore();
  await waitForProjections(server, 'both stores to catch up after the restart', CATCH_UP_TIMEOUT_MS, caughtUp(['postgres', 'redis']));
  await assertRedisEqualsServerBooks(server, keys.redis, keys.prefix);
  await eventually(SETTLE_TIMEOUT_MS, async () => assert.equal(await fillsStored(), fillsBefore + during.takerFills(), 'and every fill since'));
  await during.close();

  assert.equal(await server.stop(), 0);
  const { engine, totals } = recoveredTruth(server.dataDir);
  assert.ok(totals.trades > 200, `the workload traded (${totals.trades} fills of ${workload.requests} requests)`);
  await assertPgEqualsEngine(admin, engine, totals);
  await assertRedisEqualsEngine(keys.redis, keys.prefix, engine, totals);
  await admin.end();
});
