// The core worker: recovers the engine from the newest valid snapshot and the journal, hands the main
// thread what it needs to start serving, then applies every command the main thread publishes (in
// parallel with the journal worker making it durable) and publishes the events to the event ring.
// It also appends the derived event log, and takes snapshots only at a durable point.
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_ENGINE_CONFIG } from '../engine/limits.ts';
import { catalogOf, type Catalog } from '../engine/queries.ts';
import { COMMAND_SIZE_BYTES, EVENT_SIZE_BYTES } from '../engine/schema.ts';
import type { Engine } from '../engine/engine.ts';
import { recoverCore } from '../journal/core-recovery.ts';
import { captureSnapshot } from '../journal/core-snapshot.ts';
import type { EventLogWriter } from '../journal/event-log-writer.ts';
import { nodeFsOps } from '../journal/fs-ops.ts';
import type { JournalScanReport } from '../journal/journal-scan.ts';
import { RetentionRunner } from '../journal/retention-runner.ts';
import { SnapshotSchedule } from '../journal/snapshot-schedule.ts';
import { writeSnapshot } from '../journal/snapshot-store.ts';
import type { Durability } from './config.ts';
import { CORE_CONSUMER, MAIN_CONSUMER, Signal, StatsBuffer, seqDurableOf, wake, type PipelineMemory } from './pipeline-memory.ts';
import { Ring } from './ring.ts';

export interface CoreWorkerData {
  readonly memory: PipelineMemory;
  readonly dataDir: string;
  readonly durability: Durability;
  readonly segmentSizeBytes: number;
  readonly snapshotEveryCommands: number;
  readonly snapshotEverySeconds: number;
  readonly snapshotsKept: number;
  /** Most commands applied before their events are handed on. */
  readonly batchCommandsMax: number;
}

export interface Recovered {
  readonly kind: 'recovered';
  readonly scan: JournalScanReport;
  readonly seqLast: number;
  readonly timeUsLast: number;
  readonly catalog: Catalog;
  readonly snapshotSeq: number;
  readonly commandsReplayed: number;
  readonly truncatedBytes: number;
  readonly stateHash: string;
}

const IDLE_WAIT_MS = 50;
const DURABLE_WAIT_MS = 1;
const KEEP_ALIVE_INTERVAL_MS = 1 << 30;

class CoreLoop {
  private readonly commands: Ring;
  private readonly events: Ring;
  private readonly signals: Int32Array;
  private readonly durable: BigInt64Array;
  private commandPosition: number;
  private eventPosition: number;
  private applied = 0;
  /** Seq of the newest snapshot on disk. */
  snapshotSeq: number;

  constructor(private readonly data: CoreWorkerData, private readonly engine: Engine, private readonly eventLog: EventLogWriter,
    private readonly schedule: SnapshotSchedule, private readonly retention: RetentionRunner, private timeUsLast: number, snapshotSeq: number) {
    this.snapshotSeq = snapshotSeq;
    this.commands = new Ring(data.memory.commands, COMMAND_SIZE_BYTES);
    this.events = new Ring(data.memory.events, EVENT_SIZE_BYTES);
    this.signals = new Int32Array(data.memory.signals);
    this.durable = new BigInt64Array(data.memory.durable);
    this.commandPosition = this.commands.consumed(CORE_CONSUMER);
    this.eventPosition = this.events.published();
  }

  /** Runs until the main thread asks to stop and every published command is applied. */
  async run(): Promise<void> {
    for (;;) {
      const available = this.commands.available(CORE_CONSUMER);
      if (available === 0) {
        this.stats.flush();
        if (Atomics.load(this.signals, Signal.STOP) === 1) return;
        await this.commands.waitForPublishedAsync(this.commands.published(), IDLE_WAIT_MS);
        continue;
      }
      await this.applyBatch(Math.min(available, this.data.batchCommandsMax));
      if (this.schedule.due(this.engine.seqLast, this.timeUsLast)) await this.snapshot();
    }
  }

  private readonly stats = new StatsBuffer((engineSeconds) => parentPort?.postMessage({ kind: 'stats', engineSeconds }));

  private async applyBatch(count: number): Promise<void> {
    const engine = this.engine;
    const startedMs = performance.now();
    engine.events.clear();
    for (let i = 0; i < count; i++) {
      const offset = this.commands.offsetOf(this.commandPosition + i);
      engine.applyRecord(this.commands.view, offset);
    }
    this.stats.add((performance.now() - startedMs) / 1_000, count);
    this.timeUsLast = engine.state.timeUsLast;
    this.commandPosition = (this.commandPosition + count) | 0;
    this.commands.release(CORE_CONSUMER, this.commandPosition);
    this.applied = (this.applied + count) | 0;
    Atomics.store(this.signals, Signal.CORE_APPLIED, this.applied);
    const bytes = engine.events.written();
    this.eventLog.append(bytes, engine.events.count);
    await this.publishEvents(bytes);
    wake(this.signals);
  }

  /**
   * Copies events into the event ring, waiting for the main thread to make room when it is full.
   * Room is counted from this worker's own write position, which runs ahead of the published cursor
   * while a batch is copied: counting from the published cursor would overwrite unreleased events.
   */
  private async publishEvents(bytes: Uint8Array): Promise<void> {
    const total = bytes.length / EVENT_SIZE_BYTES;
    let done = 0;
    while (done < total) {
      const room = this.events.freeAfter(this.eventPosition);
      if (room === 0) {
        this.events.publish(this.eventPosition);
        wake(this.signals);
        await this.events.waitForConsumerAsync(MAIN_CONSUMER, this.events.consumed(MAIN_CONSUMER), IDLE_WAIT_MS);
        continue;
      }
      const n = Math.min(room, total - done);
      this.copyIntoRing(bytes.subarray(done * EVENT_SIZE_BYTES, (done + n) * EVENT_SIZE_BYTES));
      this.eventPosition = (this.eventPosition + n) | 0;
      done += n;
    }
    this.events.publish(this.eventPosition);
  }

  /** Copies whole events into the ring from this worker's write position: one run up to the ring's end, the rest from its start. */
  private copyIntoRing(events: Uint8Array): void {
    const ring = this.events.bytes;
    const at = this.events.offsetOf(this.eventPosition);
    const firstRunBytes = Math.min(events.length, ring.length - at);
    ring.set(events.subarray(0, firstRunBytes), at);
    if (firstRunBytes < events.length) ring.set(events.subarray(firstRunBytes), 0);
  }

  /** A snapshot may only hold durable commands: it waits for the journal to reach the engine's seq. */
  async snapshot(): Promise<void> {
    const seq = this.engine.seqLast;
    while (seqDurableOf(this.durable) < seq) await new Promise((resolve) => setTimeout(resolve, DURABLE_WAIT_MS));
    this.eventLog.sync();
    const path = writeSnapshot(this.data.dataDir, captureSnapshot(this.engine, this.timeUsLast, this.eventLog.eventIndexNext), nodeFsOps);
    this.schedule.taken(seq, this.timeUsLast);
    this.snapshotSeq = seq;
    this.retention.run();
    parentPort?.postMessage({ kind: 'snapshot', path, seq });
  }
}

async function main(data: CoreWorkerData): Promise<void> {
  const recovered = recoverCore({ dir: data.dataDir, engineConfig: DEFAULT_ENGINE_CONFIG, durability: data.durability, segmentSizeBytesMax: data.segmentSizeBytes, fsOps: nodeFsOps });
  recovered.writer.close();
  const { engine, eventLog, report, timeUsLast } = recovered;
  const message: Recovered = {
    kind: 'recovered', scan: report.journal, seqLast: engine.seqLast, timeUsLast, catalog: catalogOf(engine.state),
    snapshotSeq: report.snapshotSeq, commandsReplayed: report.commandsReplayed, truncatedBytes: report.journal.truncatedBytes, stateHash: engine.stateHash(),
  };
  parentPort?.postMessage(message);
  const schedule = new SnapshotSchedule({ everyCommands: data.snapshotEveryCommands, intervalMs: data.snapshotEverySeconds * 1_000 }, report.snapshotSeq,
    report.snapshotPath === null ? null : timeUsLast);
  const retention = new RetentionRunner({ dir: data.dataDir, snapshotsKeepCount: data.snapshotsKept, segmentDisposal: { kind: 'delete' }, fsOps: nodeFsOps,
    onRetention: (outcome) => { if ('error' in outcome) parentPort?.postMessage({ kind: 'warning', message: `retention failed: ${String(outcome.error)}` }); } });
  const loop = new CoreLoop(data, engine, eventLog, schedule, retention, timeUsLast, report.snapshotSeq);
  // Atomics.waitAsync settles only while the event loop is alive: without a handle of its own, an
  // idle worker's loop would never run the wake-up.
  const keepAlive = setInterval(() => undefined, KEEP_ALIVE_INTERVAL_MS);
  try {
    await loop.run();
    if (engine.seqLast !== loop.snapshotSeq) await loop.snapshot();
    await retention.idle();
    eventLog.sync();
  } finally {
    clearInterval(keepAlive);
    eventLog.close();
  }
  parentPort?.postMessage({ kind: 'stopped', seqLast: engine.seqLast, stateHash: engine.stateHash() });
}

main(workerData as CoreWorkerData).catch((error: unknown) => {
  parentPort?.postMessage({ kind: 'fatal', message: (error as Error).stack ?? String(error) });
  process.exitCode = 1;
});
