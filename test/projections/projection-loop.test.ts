// Proves the projector's loop hands a store only durable events (a command's events wait until the journal's durable seq reaches it), coalesces a trickle into batches (linger), resumes a failed store from what it says it holds, and refuses a store whose last event the log holds with another command seq.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EVENT_SIZE_BYTES, readU64, writeU64 } from '../../engine/schema.ts';
import { EVENT_RECORD_LAYOUT } from '../../journal/core-records.ts';
import { recoverEventLog } from '../../journal/event-log-recovery.ts';
import { EventLogWriter } from '../../journal/event-log-writer.ts';
import type { EventBatch } from '../../projections/event-batch.ts';
import type { ProjectionStore, ResumePoint } from '../../projections/store.ts';
import { ProjectionLoop } from '../../server/projector-loop.ts';

const TIME_US_BASE = 1_767_225_600_000_000;
const EVENTS_PER_COMMAND = 3;
const COMMANDS = 40;
const WAIT_MS_MAX = 5_000;

const root = mkdtempSync(join(tmpdir(), 'projection-loop-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A log of COMMANDS commands with EVENTS_PER_COMMAND events each (command seq = 1 + index / 3). */
function writeLog(dir: string): void {
  const writer = EventLogWriter.open({ dir, layout: EVENT_RECORD_LAYOUT, recovered: recoverEventLog(dir, { layout: EVENT_RECORD_LAYOUT, commandSeqRecovered: Number.MAX_SAFE_INTEGER }) });
  const bytes = new Uint8Array(COMMANDS * EVENTS_PER_COMMAND * EVENT_SIZE_BYTES);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < COMMANDS * EVENTS_PER_COMMAND; i++) {
    const seq = 1 + Math.floor(i / EVENTS_PER_COMMAND);
    view.setUint8(i * EVENT_SIZE_BYTES, 3);
    writeU64(view, i * EVENT_SIZE_BYTES + 8, seq);
    writeU64(view, i * EVENT_SIZE_BYTES + 16, TIME_US_BASE + seq);
  }
  writer.append(bytes, COMMANDS * EVENTS_PER_COMMAND);
  writer.close();
}

/** An in-memory store: records the command seq of every event it is given; can fail its next apply. */
class MemoryStore implements ProjectionStore {
  readonly name = 'memory';
  readonly seqs: number[] = [];
  failNext = false;
  resumes = 0;
  constructor(private readonly lastSeqClaimed?: number) {}
  get eventIndexStored(): number {
    return this.seqs.length;
  }
  async resume(): Promise<ResumePoint> {
    this.resumes++;
    const n = this.seqs.length;
    return { eventIndexNext: n, last: n === 0 ? null : { eventIndex: n - 1, commandSeq: this.lastSeqClaimed ?? (this.seqs[n - 1] as number) } };
  }
  async apply(batch: EventBatch): Promise<void> {
    assert.equal(batch.eventIndexFirst, this.seqs.length, 'batches follow each other');
    if (this.failNext) {
      this.failNext = false;
      throw new Error('store down');
    }
    for (let i = 0; i < batch.count; i++) this.seqs.push(readU64(batch.view, i * EVENT_SIZE_BYTES + 8));
  }
  async idle(): Promise<void> {}
  async close(): Promise<void> {}
}

async function until(what: string, predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS_MAX;
  while (!predicate()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('only durable events reach the store; a failed store resumes where it stands', async () => {
  const dir = join(root, 'durable');
  writeLog(dir);
  let seqDurable = 10;
  const failures: string[] = [];
  const store = new MemoryStore();
  const loop = new ProjectionLoop(store, {
    dataDir: dir, batchEventsMax: 7, pollIntervalMs: 1, lingerMs: 0, durableSeq: () => seqDurable, nowMs: () => performance.now(),
    onFailure: (_name, error) => failures.push(String(error)),
  });
  const running = loop.run();
  await until('the durable events', () => store.seqs.length === 10 * EVENTS_PER_COMMAND);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(store.seqs.length, 10 * EVENTS_PER_COMMAND, 'events of commands after the durable seq wait');
  store.failNext = true;
  seqDurable = 25;
  await until('the events up to seq 25', () => store.seqs.length === 25 * EVENTS_PER_COMMAND);
  assert.deepEqual(failures, ['Error: store down']);
  assert.equal(store.resumes, 2, 'the failure made the loop resume the store');
  seqDurable = COMMANDS;
  loop.stop(performance.now() + WAIT_MS_MAX);
  await running;
  assert.deepEqual(store.seqs, Array.from({ length: COMMANDS * EVENTS_PER_COMMAND }, (_, i) => 1 + Math.floor(i / EVENTS_PER_COMMAND)), 'every event once, in order');
  assert.equal(loop.status().state, 'stopped');
});

test('a store whose last event the log holds with another command seq is refused', async () => {
  const dir = join(root, 'mismatch');
  writeLog(dir);
  const store = new MemoryStore(999);
  store.seqs.push(1, 1, 1, 2);
  const failures: string[] = [];
  const loop = new ProjectionLoop(store, {
    dataDir: dir, batchEventsMax: 100, pollIntervalMs: 1, lingerMs: 0, durableSeq: () => COMMANDS, nowMs: () => performance.now(),
    onFailure: (_name, error) => failures.push(String(error)),
  });
  const running = loop.run();
  await until('the refusal', () => failures.length > 0);
  loop.stop(performance.now());
  await running;
  assert.match(failures[0] as string, /holds event 3 of command 999; the event log has command 2 there/);
  assert.equal(store.seqs.length, 4, 'nothing was applied');
});

test('a partial batch waits up to lingerMs for more events, then goes', async () => {
  const dir = join(root, 'linger');
  writeLog(dir);
  const lingerMs = 300;
  const store = new MemoryStore();
  const loop = new ProjectionLoop(store, {
    dataDir: dir, batchEventsMax: 1_000, pollIntervalMs: 1, lingerMs, durableSeq: () => COMMANDS, nowMs: () => performance.now(), onFailure: () => undefined,
  });
  const startedMs = performance.now();
  const running = loop.run();
  await until('the lingering batch', () => store.seqs.length > 0);
  assert.ok(performance.now() - startedMs >= lingerMs, 'nothing was written before the linger was over');
  assert.equal(store.seqs.length, COMMANDS * EVENTS_PER_COMMAND, 'then everything in one batch');
  loop.stop(performance.now());
  await running;
});
