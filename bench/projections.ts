// `npm run bench:projections -- [--fills N] [--runs K] [--rate R] [--duration S] [--parts replay,load]`
//
// Projection throughput and lag, against the machine's PostgreSQL and Redis (PG_URL-style access as
// in the tests: postgres@127.0.0.1/test, redis://127.0.0.1:6379; each run in a fresh schema / key
// prefix, removed after).
//   replay: a fill-heavy event log of N fills written by the engine (bench/projections-log.ts) is
//           projected from event 0 through the projector's loop into PostgreSQL and into Redis, K
//           runs each; events/s and fills/s, median of the runs.
//   load:   the server with both stores under an open-loop load of R orders/s for S s
//           (bench/projections-load.ts): each store's lag while it runs and the time to catch up.
// The last line printed is one JSON object with every figure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MarketData } from '../gateway/market-data.ts';
import { ProjectionCatalog } from '../projections/catalog.ts';
import { createPgPool } from '../projections/pg-pool.ts';
import { PgProjection } from '../projections/pg-projection.ts';
import { createRedis } from '../projections/redis-client.ts';
import { redisKeys } from '../projections/redis-keys.ts';
import { RedisProjection } from '../projections/redis-projection.ts';
import { REDIS_URL, freshRedisPrefix, freshSchema } from '../test/projections/services.ts';
import { measureLoad } from './projections-load.ts';
import { writeBenchLog } from './projections-log.ts';
import { replayInto, type ReplayResult } from './projections-replay.ts';
import { median, setupLine } from './report.ts';

const { values } = parseArgs({
  options: {
    fills: { type: 'string', default: '200000' }, runs: { type: 'string', default: '3' }, rate: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, parts: { type: 'string', default: 'replay,load' }, seed: { type: 'string', default: '1' },
  },
});
const fillsTarget = Number(values.fills);
const runs = Number(values.runs);
const parts = new Set(values.parts.split(','));
const log = (line: string): void => console.log(line);

async function replayPart(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'projections-bench-'));
  try {
    const builtMs = performance.now();
    const flow = writeBenchLog(dir, fillsTarget, Number(values.seed));
    log(`# log: ${flow.commands} commands, ${flow.events} events, ${flow.fills} fills (${(flow.events / flow.fills).toFixed(2)} events per fill), written in ${((performance.now() - builtMs) / 1_000).toFixed(1)} s`);
    const pg: ReplayResult[] = [];
    const redis: ReplayResult[] = [];
    for (let run = 0; run < runs; run++) {
      const schema = await freshSchema();
      try {
        pg.push(await replayInto(new PgProjection(createPgPool({ url: schema.url, tlsCaPem: undefined }), { migrateOnStart: true }), dir, flow.events));
      } finally {
        await schema.drop();
      }
      const keys = await freshRedisPrefix();
      try {
        const start = async () => ({ books: new MarketData([]), catalog: new ProjectionCatalog(), eventIndexNext: 0 });
        redis.push(await replayInto(new RedisProjection(createRedis({ url: REDIS_URL, tlsCaPem: undefined }), redisKeys(keys.prefix), { start, nowMs: Date.now }), dir, flow.events));
      } finally {
        await keys.drop();
      }
      log(`run ${run + 1}: postgres ${pg[run]?.seconds.toFixed(2)} s, redis ${redis[run]?.seconds.toFixed(2)} s (load average ${loadavg()[0]?.toFixed(2)})`);
    }
    const figures = (results: ReplayResult[]) => {
      const eventsPerSecond = median(results.map((r) => r.eventsPerSecond));
      return { eventsPerSecond: Math.round(eventsPerSecond), fillsPerSecond: Math.round((eventsPerSecond * flow.fills) / flow.events), seconds: results.map((r) => Number(r.seconds.toFixed(2))) };
    };
    const result = { events: flow.events, fills: flow.fills, postgres: figures(pg), redis: figures(redis) };
    log(`postgres: ${result.postgres.eventsPerSecond} events/s = ${result.postgres.fillsPerSecond} fills/s (median of ${runs})`);
    log(`redis:    ${result.redis.eventsPerSecond} events/s = ${result.redis.fillsPerSecond} fills/s (median of ${runs})`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

log(setupLine('projection benchmark'));
const result: Record<string, unknown> = { loadAverageAtStart: loadavg()[0] };
if (parts.has('replay')) result['replay'] = await replayPart();
if (parts.has('load')) {
  const load = await measureLoad({ rateHz: Number(values.rate), durationSeconds: Number(values.duration), warmupSeconds: Number(values.warmup) }, log);
  log(`lag under ${values.rate} orders/s offered (events behind the log): postgres p50 ${load.lagEvents.postgres.p50} p99 ${load.lagEvents.postgres.p99} max ${load.lagEvents.postgres.max}; ` +
    `redis p50 ${load.lagEvents.redis.p50} p99 ${load.lagEvents.redis.p99} max ${load.lagEvents.redis.max}; caught up ${load.catchUpSeconds.toFixed(2)} s after the load`);
  result['load'] = load;
}
console.log(JSON.stringify(result));
