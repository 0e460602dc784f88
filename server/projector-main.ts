// The projector: a child process the server starts when PG_URL or REDIS_URL is set, so that a slow
// or absent database shares nothing with matching but the disk it reads the event log from. It
// runs one loop per store over the on-disk event log (durable events only: the server keeps it
// told of the journal's durable seq), reports positions and lag every STATUS_INTERVAL_MS, drains on
// request, and exits when the server goes away (the next server starts a new one).
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { createPgPool } from '../projections/pg-pool.ts';
import { PgProjection } from '../projections/pg-projection.ts';
import { createRedis } from '../projections/redis-client.ts';
import { redisKeys } from '../projections/redis-keys.ts';
import { RedisProjection } from '../projections/redis-projection.ts';
import type { ProjectionStore } from '../projections/store.ts';
import { hotStartFromSnapshot } from './projector-books.ts';
import { LogEnd } from './projector-log-end.ts';
import { ProjectionLoop } from './projector-loop.ts';
import type { FromProjector, ProjectorConfig, ToProjector } from './projector-protocol.ts';

const STATUS_INTERVAL_MS = 100;
/** How often a caught-up loop looks at the log again. */
const POLL_INTERVAL_MS = 5;
/** Events per PostgreSQL transaction at most (a batch is a few statements whatever its size). */
const PG_BATCH_EVENTS_MAX = 16_384;
/** Events per Redis MULTI at most. */
const REDIS_BATCH_EVENTS_MAX = 16_384;
/** How long events may wait to fill a batch: history can be 50 ms late; hot state should not be. */
const PG_LINGER_MS = 50;
const REDIS_LINGER_MS = 5;

const nowMs = (): number => performance.now();
const readPem = (path: string | undefined): string | undefined => (path === undefined ? undefined : readFileSync(path, 'utf8'));

interface StoreSetup {
  readonly store: ProjectionStore;
  readonly batchEventsMax: number;
  readonly lingerMs: number;
}

function storesOf(config: ProjectorConfig): StoreSetup[] {
  const stores: StoreSetup[] = [];
  if (config.pgUrl !== undefined) {
    const pool = createPgPool({ url: config.pgUrl, tlsCaPem: readPem(config.pgTlsCaFile) });
    stores.push({ store: new PgProjection(pool, { migrateOnStart: config.pgMigrateOnStart }), batchEventsMax: PG_BATCH_EVENTS_MAX, lingerMs: PG_LINGER_MS });
  }
  if (config.redisUrl !== undefined) {
    const redis = createRedis({ url: config.redisUrl, tlsCaPem: readPem(config.redisTlsCaFile) });
    const projection = new RedisProjection(redis, redisKeys(config.redisKeyPrefix), { start: () => hotStartFromSnapshot(config.dataDir), nowMs: Date.now });
    stores.push({ store: projection, batchEventsMax: REDIS_BATCH_EVENTS_MAX, lingerMs: REDIS_LINGER_MS });
  }
  return stores;
}

async function run(start: Extract<ToProjector, { kind: 'start' }>): Promise<void> {
  const config = start.config;
  const log = pino({ level: config.logLevel, base: { service: 'projector' } });
  let seqDurable = start.seqDurable;
  const loops = storesOf(config).map(({ store, batchEventsMax, lingerMs }) => new ProjectionLoop(store, {
    dataDir: config.dataDir, batchEventsMax, lingerMs, pollIntervalMs: POLL_INTERVAL_MS, durableSeq: () => seqDurable, nowMs,
    onFailure: (name, error, attempt) => log.warn({ store: name, attempt, error: error instanceof Error ? error.message : String(error) }, 'projection write failed; retrying'),
  }));
  const logEnd = new LogEnd(config.dataDir, nowMs);
  const report = (): void => {
    const end = logEnd.read();
    const message: FromProjector = {
      kind: 'status', logEventIndexNext: end,
      stores: loops.map((loop) => {
        const s = loop.status();
        return { ...s, lagEvents: Math.max(0, end - s.eventIndexStored) };
      }),
    };
    process.send?.(message);
  };
  process.on('message', (m: ToProjector) => {
    if (m.kind === 'durable') seqDurable = Math.max(seqDurable, m.seqDurable);
    if (m.kind === 'drain') {
      seqDurable = Math.max(seqDurable, m.seqDurable);
      for (const loop of loops) loop.stop(nowMs() + m.timeoutMs);
    }
  });
  const timer = setInterval(report, STATUS_INTERVAL_MS);
  log.info({ stores: loops.map((l) => l.status().store), seqDurable }, 'projector started');
  await Promise.all(loops.map((loop) => loop.run()));
  clearInterval(timer);
  report();
  logEnd.close();
  log.info({ stores: loops.map((l) => l.status()) }, 'projector drained');
}

if (process.send === undefined) {
  console.error('the projector is started by the server (npm start with PG_URL or REDIS_URL), not on its own');
  process.exit(2);
}
// The server's end of the channel closing means it is gone: a new server starts a new projector.
process.on('disconnect', () => process.exit(0));
process.once('message', (m: ToProjector) => {
  if (m.kind !== 'start') return;
  run(m).then(() => process.disconnect(), (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
