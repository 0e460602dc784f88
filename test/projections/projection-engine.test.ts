// Proves the PostgreSQL and Redis projections equal the engine (every order type, STP, icebergs, stops, OCO, expiries, halts, transfers) at several points of a seeded stream fed in random batch sizes, two PostgreSQL batches in flight at times, while statements fail before or after reaching the database (COMMIT included), projectors restart, Redis loses its keys, and a stale projector tries to write again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Command } from '../../engine/commands.ts';
import { Engine } from '../../engine/engine.ts';
import { DEFAULT_ENGINE_CONFIG } from '../../engine/limits.ts';
import { EVENT_SIZE_BYTES } from '../../engine/schema.ts';
import { MarketData } from '../../gateway/market-data.ts';
import { ProjectionCatalog } from '../../projections/catalog.ts';
import type { EventBatch } from '../../projections/event-batch.ts';
import { createPgPool } from '../../projections/pg-pool.ts';
import { PgProjection } from '../../projections/pg-projection.ts';
import { ProjectionConsistencyError } from '../../projections/pg-write.ts';
import { createRedis } from '../../projections/redis-client.ts';
import { redisKeys } from '../../projections/redis-keys.ts';
import { REDIS_CHECK_INTERVAL_MS, RedisProjection } from '../../projections/redis-projection.ts';
import { randomCommandStream, seededRandom } from '../engine/random-commands.ts';
import { faultyPool, InjectedFault, type Fault } from './faults.ts';
import { REDIS_URL, freshRedisPrefix, freshSchema, servicesMissing, type TestKeys, type TestSchema } from './services.ts';
import { EventTotals, assertPgEqualsEngine, assertRedisEqualsEngine } from './truth.ts';

const SEED = 20_260_601;
const COMMANDS = 3_000;
const CHUNK_COMMANDS_MAX = 60;
const BATCH_EVENTS_MAX = 400;
const CHECK_EVERY_CHUNKS = 25;
const FAULT_PROBABILITY = 0.05;
// Only a batch with nothing in flight can meet a stale projector, and an injected fault often ends the
// attempt before its stale write; tried this often, the refusals stay far above the bound checked below.
const STALE_PROBABILITY = 0.2;
const REDIS_CHECK_ATTEMPTS = 3;
const TEST_TIMEOUT_MS = 60_000;

let missing: string | undefined;
let schema: TestSchema;
let keys: TestKeys;
before(async () => {
  missing = await servicesMissing();
  if (missing !== undefined) return;
  schema = await freshSchema();
  keys = await freshRedisPrefix();
});
after(async () => {
  if (missing !== undefined) return;
  await schema.drop();
  await keys.drop();
});

/** Every event of the stream so far, back to back; batches are views into it. */
class EventStream {
  bytes = new Uint8Array(1 << 20);
  count = 0;

  /** Applies `commands` to `engine` and appends their events. */
  append(engine: Engine, commands: readonly Command[], totals: EventTotals): void {
    for (const command of commands) {
      engine.apply(command);
      const written = engine.events.written();
      if ((this.count * EVENT_SIZE_BYTES) + written.length > this.bytes.length) {
        const grown = new Uint8Array(2 * (this.bytes.length + written.length));
        grown.set(this.bytes.subarray(0, this.count * EVENT_SIZE_BYTES));
        this.bytes = grown;
      }
      this.bytes.set(written, this.count * EVENT_SIZE_BYTES);
      for (let at = 0; at < written.length; at += EVENT_SIZE_BYTES) totals.add(written, at);
      this.count += written.length / EVENT_SIZE_BYTES;
      engine.events.clear();
    }
  }

  batch(eventIndexFirst: number, count: number): EventBatch {
    return { eventIndexFirst, count, view: new DataView(this.bytes.buffer, eventIndexFirst * EVENT_SIZE_BYTES, count * EVENT_SIZE_BYTES) };
  }
}

test('both projections equal the engine through faults, restarts and lost Redis data', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  if (missing !== undefined) return t.skip(missing);
  const random = seededRandom(SEED);
  const int = (n: number) => Math.floor(random() * n);
  const commands = randomCommandStream(SEED, { accounts: 6, symbols: 2, commands: COMMANDS });
  const engine = new Engine(DEFAULT_ENGINE_CONFIG);
  const totals = new EventTotals();
  const pool = createPgPool({ url: schema.url, tlsCaPem: undefined });
  // Closed by t.after, so that a failing assertion does not leave the process waiting on open sockets.
  t.after(() => pool.end());
  const faulty = faultyPool(pool, (): Fault => (random() < FAULT_PROBABILITY ? (random() < 0.5 ? 'before' : 'after') : 'none'));
  let pg = new PgProjection(faulty, { migrateOnStart: true });
  let faults = 0;
  /** After a failure (or as a restarted projector): the cursor says where to go on. */
  const resumePg = async (): Promise<number> => {
    for (;;) {
      try {
        return (await pg.resume()).eventIndexNext;
      } catch (error) {
        if (!(error instanceof InjectedFault)) throw error;
        faults++;
      }
    }
  };
  let pgNext = await resumePg();
  const redis = createRedis({ url: REDIS_URL, tlsCaPem: undefined });
  const hot = { books: new MarketData([]), catalog: new ProjectionCatalog(), eventIndexNext: 0 };
  let clockMs = 0;
  const redisStore = new RedisProjection(redis, redisKeys(keys.prefix), { start: async () => hot, nowMs: () => clockMs });
  t.after(() => redisStore.close());
  // The stream below deletes this test's keys at random moments: the projector's own check (idle,
  // once per REDIS_CHECK_INTERVAL_MS of its clock) must notice and rebuild before the comparison.
  const assertRedis = async (): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      clockMs += REDIS_CHECK_INTERVAL_MS;
      await redisStore.idle();
      try {
        return await assertRedisEqualsEngine(keys.redis, keys.prefix, engine, totals);
      } catch (error) {
        if (attempt === REDIS_CHECK_ATTEMPTS) throw error;
      }
    }
  };
  let redisNext = (await redisStore.resume()).eventIndexNext;
  let staleRefusals = 0;
  const stream = new EventStream();
  /** Feeds PostgreSQL up to the stream's end, two batches in flight at times, until all of it is committed. */
  const catchUpPg = async (): Promise<void> => {
    while (pg.eventIndexStored < stream.count) {
      try {
        while (pgNext < stream.count) {
          const batch = stream.batch(pgNext, Math.min(1 + int(BATCH_EVENTS_MAX), stream.count - pgNext));
          // A projector that resumed here but lost the race to another must be refused, not apply twice.
          const stale = random() < STALE_PROBABILITY && pg.eventIndexStored === pgNext ? new PgProjection(pool, { migrateOnStart: false }) : undefined;
          await stale?.resume();
          await pg.apply(batch);
          pgNext += batch.count;
          if (stale === undefined && random() < 0.5) continue;
          await pg.idle();
          if (stale !== undefined) {
            await assert.rejects(async () => {
              await stale.apply(batch);
              await stale.idle();
            }, ProjectionConsistencyError);
            staleRefusals++;
          }
        }
        await pg.idle();
      } catch (error) {
        if (!(error instanceof InjectedFault)) throw error;
        faults++;
        if (random() < 0.3) pg = new PgProjection(faulty, { migrateOnStart: false });
        pgNext = await resumePg();
      }
    }
    await assert.rejects(pg.apply(stream.batch(stream.count - 1, 1)), RangeError, 'a batch already applied is refused');
  };
  for (let chunk = 0, done = 0; done < commands.length; chunk++) {
    const count = Math.min(1 + int(CHUNK_COMMANDS_MAX), commands.length - done);
    stream.append(engine, commands.slice(done, done + count), totals);
    done += count;
    await catchUpPg();
    while (redisNext < stream.count) {
      const redisKeysNow = await keys.redis.keys(`${keys.prefix}*`);
      if (random() < 0.03 && redisKeysNow.length > 0) await keys.redis.del(...redisKeysNow);
      const batch = stream.batch(redisNext, Math.min(1 + int(BATCH_EVENTS_MAX), stream.count - redisNext));
      await redisStore.apply(batch);
      redisNext += batch.count;
    }
    if (chunk % CHECK_EVERY_CHUNKS === 0 || done === commands.length) {
      await assertPgEqualsEngine(pool, engine, totals);
      await assertRedis();
    }
  }
  assert.ok(faults > 10 && staleRefusals > 3, `faults were injected (${faults}) and stale projectors refused (${staleRefusals})`);
  assert.ok(totals.trades > 500, `the stream traded (${totals.trades} fills)`);
});
