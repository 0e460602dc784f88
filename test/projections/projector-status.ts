// What the server says about its projections (/readyz detail) and about the engine it ran
// (recovered read-only from a copy of its data dir, with the totals of its event log).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import type { Engine } from '../../engine/engine.ts';
import { recoverCore } from '../../journal/core-recovery.ts';
import { readEventLog } from '../../journal/event-log-reader.ts';
import { nodeFsOps } from '../../journal/fs-ops.ts';
import { getJson, type RunningServer } from '../server/server-process.ts';
import { redisKeys } from '../../projections/redis-keys.ts';
import { EventTotals } from './truth.ts';
import { SYMBOLS } from './workload.ts';

const POLL_INTERVAL_MS = 50;

export interface StoreReport {
  readonly state: string;
  readonly eventIndexStored: number;
  readonly lagEvents: number;
  readonly failures: number;
}

export interface ProjectionsReport {
  readonly projector: { readonly pid: number | null; readonly running: boolean; readonly restarts: number };
  readonly postgres?: StoreReport;
  readonly redis?: StoreReport;
}

export async function projectionsOf(server: RunningServer): Promise<ProjectionsReport> {
  return (await getJson(server, '/readyz')).body['projections'] as ProjectionsReport;
}

/** Waits until `predicate` holds for the /readyz projections detail; fails after `timeoutMs` with the last one seen. */
export async function waitForProjections(server: RunningServer, what: string, timeoutMs: number, predicate: (p: ProjectionsReport) => boolean): Promise<ProjectionsReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await projectionsOf(server);
    if (predicate(report)) return report;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(report)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** Every listed store has written everything in the log. */
export function caughtUp(stores: readonly ('postgres' | 'redis')[]): (p: ProjectionsReport) => boolean {
  return (p) => p.projector.running && stores.every((s) => p[s]?.lagEvents === 0 && p[s]?.state === 'live');
}

/** The engine a stopped server left behind and the totals of its event log, from a copy of its data dir. */
export function recoveredTruth(dataDir: string): { engine: Engine; totals: EventTotals } {
  const copy = mkdtempSync(join(tmpdir(), 'projection-truth-'));
  try {
    cpSync(dataDir, copy, { recursive: true });
    const recovered = recoverCore({ dir: copy, engineConfig: undefined, durability: 'fsync', segmentSizeBytesMax: undefined, fsOps: nodeFsOps });
    recovered.writer.close();
    recovered.eventLog.close();
    const totals = new EventTotals();
    readEventLog(copy, (bytes, offset) => totals.add(bytes, offset));
    return { engine: recovered.engine, totals };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Runs `check` until it passes; after `timeoutMs` its last failure is the test's. */
export async function eventually(timeoutMs: number, check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
}

/** Redis's snapshot and best bid/offer of each symbol equal the running server's own market data (REST). */
export async function assertRedisEqualsServerBooks(server: RunningServer, redis: Redis, prefix: string): Promise<void> {
  const keys = redisKeys(prefix);
  for (const symbol of SYMBOLS) {
    const rest = (await getJson(server, `/v1/book/${symbol}?depth=50`)).body as { bids: string[][]; asks: string[][] };
    const book = JSON.parse((await redis.get(keys.book(symbol))) ?? 'null') as { bids: string[][]; asks: string[][] } | null;
    assert.deepEqual({ bids: book?.bids, asks: book?.asks }, { bids: rest.bids, asks: rest.asks }, `${symbol}: Redis snapshot = the server's book`);
    const bbo = await redis.hgetall(keys.bbo(symbol));
    assert.deepEqual([bbo['bid'], bbo['ask']], [rest.bids[0]?.[0] ?? '', rest.asks[0]?.[0] ?? ''], `${symbol}: best bid and offer`);
  }
}
