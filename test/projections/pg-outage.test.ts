// Proves a PostgreSQL outage does not touch matching: with the projector's database cut off (a TCP proxy resetting every connection), the server keeps acknowledging every order (latency before and during is reported as a diagnostic: comparing it is a benchmark's job, `npm run bench:projections`), /readyz and /metrics show the projection falling behind, and when the database returns the projector catches up from the event log until every table equals the engine.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { ExchangeClient } from '../../client/exchange-client.ts';
import { removeDir, startServer, token, type RunningServer } from '../server/server-process.ts';
import { PG_HOST, PG_PORT, freshSchema, servicesMissing, type TestSchema } from './services.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { assertPgEqualsEngine } from './truth.ts';
import { caughtUp, recoveredTruth, waitForProjections } from './projector-status.ts';
import { SYMBOLS, cents, setUpVenue } from './workload.ts';

const ORDERS_PER_PHASE = 400;
const CATCH_UP_TIMEOUT_MS = 20_000;
/** The projector retries with backoff up to RETRY_DELAY_MS_MAX (5 s) after the database returns. */
const RECOVERY_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 120_000;

let missing: string | undefined;
let schema: TestSchema;
let proxy: TcpProxy;
let server: RunningServer;
before(async () => {
  missing = await servicesMissing();
  if (missing !== undefined) return;
  proxy = await startTcpProxy(PG_HOST, PG_PORT);
  schema = await freshSchema(PG_HOST, proxy.port);
  server = await startServer({ env: { PG_URL: schema.url } });
});
after(async () => {
  if (missing !== undefined) return;
  if (server.child.exitCode === null) await server.stop();
  removeDir(server.dataDir);
  await proxy.close();
  await schema.drop();
});

/** Places resting orders one at a time; returns each acknowledgement's latency in ms, sorted. */
async function placeResting(client: ExchangeClient, count: number, priceCents: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const report = await client.place({ symbol: SYMBOLS[0], side: 'buy', orderType: 'limit', timeInForce: 'GTC', price: cents(priceCents - (i % 50)), qty: '0.001' });
    latencies.push(performance.now() - started);
    assert.equal(report.kind, 'accepted', 'acknowledged');
  }
  return latencies.sort((a, b) => a - b);
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

test('matching keeps acknowledging every order while PostgreSQL is unreachable; the projection catches up after', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  if (missing !== undefined) return t.skip(missing);
  await setUpVenue(server, ['alice']);
  const client = new ExchangeClient({ requestTimeoutMs: 5_000 });
  await client.connect(server.wsUrl, { token: await token('alice', ['trader']) });
  await placeResting(client, ORDERS_PER_PHASE / 4, 9_000);
  const before = await placeResting(client, ORDERS_PER_PHASE, 9_000);
  const live = await waitForProjections(server, 'the projection to catch up', CATCH_UP_TIMEOUT_MS, caughtUp(['postgres']));

  proxy.cut();
  const during = await placeResting(client, ORDERS_PER_PHASE, 8_000);
  const behind = await waitForProjections(server, 'the lag to show', CATCH_UP_TIMEOUT_MS, (p) => p.postgres?.state === 'retrying' && p.postgres.lagEvents > 0);
  assert.equal(behind.postgres?.eventIndexStored, live.postgres?.eventIndexStored, 'nothing was written while the database was away');
  const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const lag = Number(/exchange_projection_lag_events\{store="postgres"\} (\d+)/.exec(metrics)?.[1]);
  assert.ok(lag >= ORDERS_PER_PHASE, `the metric shows the lag (${lag} events)`);
  // Reported, not asserted: a timing bound would fail on a busy machine for reasons unrelated to the database.
  const [p50Before, p99Before, p50During, p99During] = [quantile(before, 0.5), quantile(before, 0.99), quantile(during, 0.5), quantile(during, 0.99)];
  t.diagnostic(`ack latency before / during the outage: p50 ${p50Before.toFixed(2)} / ${p50During.toFixed(2)} ms, p99 ${p99Before.toFixed(2)} / ${p99During.toFixed(2)} ms`);

  proxy.restore();
  await waitForProjections(server, 'the projection to catch up after the outage', RECOVERY_TIMEOUT_MS, caughtUp(['postgres']));
  await client.close();
  assert.equal(await server.stop(), 0);
  const { engine, totals } = recoveredTruth(server.dataDir);
  const pool = new pg.Pool({ connectionString: schema.url, max: 1 });
  await assertPgEqualsEngine(pool, engine, totals);
  await pool.end();
});
