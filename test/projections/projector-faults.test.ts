// Proves exactly-once projection under faults through the real server: while a seeded workload runs, the projector process is SIGKILLed and its PostgreSQL connections are terminated (pg_terminate_backend) at random moments; afterwards Redis equals the server's books, and no fill is missing or doubled: every table equals the engine recovered from the data dir.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { removeDir, startServer, type RunningServer } from '../server/server-process.ts';
import { seededRandom } from '../engine/random-commands.ts';
import { REDIS_URL, freshRedisPrefix, freshSchema, servicesMissing, type TestKeys, type TestSchema } from './services.ts';
import { assertPgEqualsEngine } from './truth.ts';
import { assertRedisEqualsServerBooks, caughtUp, eventually, projectionsOf, recoveredTruth, waitForProjections } from './projector-status.ts';
import { runWorkload, setUpVenue } from './workload.ts';

const ACCOUNTS = ['alice', 'bob', 'carol', 'dave'];
/** The workload runs until this many of each fault happened, for WORKLOAD_MS_MAX at most. */
const FAULTS_EACH = 3;
const WORKLOAD_MS_MAX = 40_000;
const OPERATIONS_MAX = 10_000_000;
const SEED = 7;
/** Between two faults: long enough for a restarted projector to be writing again. */
const FAULT_GAP_MS_MIN = 200;
const FAULT_GAP_MS_SPREAD = 800;
const CATCH_UP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 150_000;
const CONNECTION_WAIT_MS = 3_000;
const CONNECTION_POLL_MS = 20;
/** Long enough for the projector to notice and rebuild a Redis that another test emptied. */
const REDIS_SETTLE_MS = 3_000;

let missing: string | undefined;
let schema: TestSchema;
let keys: TestKeys;
let server: RunningServer;
before(async () => {
  missing = await servicesMissing();
  if (missing !== undefined) return;
  schema = await freshSchema();
  keys = await freshRedisPrefix();
  server = await startServer({ env: { PG_URL: schema.url, REDIS_URL, REDIS_KEY_PREFIX: keys.prefix } });
});
after(async () => {
  if (missing !== undefined) return;
  if (server.child.exitCode === null) await server.stop();
  removeDir(server.dataDir);
  await schema.drop();
  await keys.drop();
});

test('projector killed and PostgreSQL connections terminated mid-workload: no fill missing or doubled', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  if (missing !== undefined) return t.skip(missing);
  await setUpVenue(server, ACCOUNTS);
  const random = seededRandom(SEED);
  let running = true;
  let kills = 0;
  let terminations = 0;
  const deadline = Date.now() + WORKLOAD_MS_MAX;
  const until = () => (kills >= FAULTS_EACH && terminations >= FAULTS_EACH) || Date.now() > deadline;
  const workload = runWorkload(server, ACCOUNTS, { seed: SEED, operations: OPERATIONS_MAX, inFlight: 4, until })
    .finally(() => {
      running = false;
    });
  for (let fault = 0; running; fault++) {
    await new Promise((resolve) => setTimeout(resolve, FAULT_GAP_MS_MIN + random() * FAULT_GAP_MS_SPREAD));
    if (fault % 2 === 0) {
      const pid = (await projectionsOf(server)).projector.pid;
      if (pid === null || !running) continue;
      process.kill(pid, 'SIGKILL');
      kills++;
      continue;
    }
    // The projector holds a connection once it has started again.
    const waitUntil = Date.now() + CONNECTION_WAIT_MS;
    while (running && Date.now() < waitUntil) {
      const result = await schema.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [schema.applicationName]);
      if ((result.rowCount ?? 0) === 0) {
        await new Promise((resolve) => setTimeout(resolve, CONNECTION_POLL_MS));
        continue;
      }
      terminations++;
      break;
    }
  }
  const report = await workload;
  await report.close();
  assert.ok(kills >= FAULTS_EACH && terminations >= FAULTS_EACH, `faults happened during the workload (${kills} kills, ${terminations} terminations)`);
  const settled = await waitForProjections(server, 'both stores to catch up', CATCH_UP_TIMEOUT_MS, caughtUp(['postgres', 'redis']));
  assert.ok(settled.projector.restarts >= kills, `the server restarted the projector (${settled.projector.restarts} restarts)`);
  // Checked while the server runs, whose projector would rebuild Redis if anything emptied it.
  await eventually(REDIS_SETTLE_MS, () => assertRedisEqualsServerBooks(server, keys.redis, keys.prefix));
  assert.equal(await server.stop(), 0);
  const { engine, totals } = recoveredTruth(server.dataDir);
  assert.ok(totals.trades > 500, `the workload traded (${totals.trades} fills)`);
  const pool = new pg.Pool({ connectionString: schema.url, max: 1 });
  await assertPgEqualsEngine(pool, engine, totals);
  await pool.end();
});
