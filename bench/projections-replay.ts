// Replay throughput of one projection store: the projector's own loop (tail, durable gate, batches)
// fed an event log that is already on disk, timed from start until the store holds every event.
import type { ProjectionStore } from '../projections/store.ts';
import { ProjectionLoop } from '../server/projector-loop.ts';

/** Events per store write, as the projector uses (server/projector-main.ts). */
export const REPLAY_BATCH_EVENTS_MAX = 16_384;
const POLL_INTERVAL_MS = 1;
const PROGRESS_CHECK_MS = 10;

export interface ReplayResult {
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

export async function replayInto(store: ProjectionStore, dataDir: string, events: number): Promise<ReplayResult> {
  const failures: unknown[] = [];
  const loop = new ProjectionLoop(store, {
    dataDir, batchEventsMax: REPLAY_BATCH_EVENTS_MAX, pollIntervalMs: POLL_INTERVAL_MS, lingerMs: 0, durableSeq: () => Number.MAX_SAFE_INTEGER,
    nowMs: () => performance.now(), onFailure: (_store, error) => failures.push(error),
  });
  const startedMs = performance.now();
  const running = loop.run();
  while (store.eventIndexStored < events && failures.length === 0) await new Promise((resolve) => setTimeout(resolve, PROGRESS_CHECK_MS));
  const seconds = (performance.now() - startedMs) / 1_000;
  loop.stop(performance.now());
  await running;
  if (failures.length > 0) throw new Error(`${store.name} failed during the replay: ${String(failures[0])}`);
  return { seconds, eventsPerSecond: events / seconds };
}
