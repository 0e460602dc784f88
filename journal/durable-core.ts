// The durable core for one process: sequencer, command journal, engine and derived event log as
// one resource with a lifecycle (open = recover, commit batches, snapshot, close). A batch's
// acknowledgement and events are released only after its commands are on disk:
//   queue -> stamp seq + time -> ONE write + ONE fdatasync -> apply -> event log (no fsync) -> release.
// Snapshots every N commands or T ms of command time; retention keeps the K newest. Nothing is
// logged per command. Any exception out of commit or snapshot fails the core for good: after a
// failed write the process must restart and recover.

import type { Command } from '../engine/commands.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineConfig } from '../engine/limits.ts';
import { CommandQueue } from './command-queue.ts';
import { COMMAND_RECORD_SIZE_BYTES } from './core-records.ts';
import { recoverCore, type RecoveryReport } from './core-recovery.ts';
import { captureSnapshot } from './core-snapshot.ts';
import { JournalWriterClosedError } from './errors.ts';
import type { EventLogWriter } from './event-log-writer.ts';
import { nodeFsOps, type FsOps } from './fs-ops.ts';
import type { JournalMeta } from './journal-meta.ts';
import type { Durability, JournalWriter } from './journal-writer.ts';
import type { SegmentDisposal } from './retention.ts';
import { RetentionRunner, type RetentionOutcome } from './retention-runner.ts';
import { Sequencer, type ClockUs } from './sequencer.ts';
import { SnapshotSchedule } from './snapshot-schedule.ts';
import { writeSnapshot } from './snapshot-store.ts';

export const QUEUE_COMMANDS_MAX_DEFAULT = 16_384;
export const SNAPSHOT_EVERY_COMMANDS_DEFAULT = 1_000_000;
export const SNAPSHOT_INTERVAL_MS_DEFAULT = 60_000;
export const SNAPSHOTS_KEEP_COUNT_DEFAULT = 2;

export interface DurableCoreOptions {
  readonly dir: string;
  /** Stamps command time through the sequencer; never read anywhere else. */
  readonly clockUs: ClockUs;
  /** Needed to create a journal; an existing one must have been written with the same configuration. */
  readonly engineConfig?: EngineConfig;
  /** Default 'fsync'. 'none' is for benchmarks only: nothing is durable. */
  readonly durability?: Durability;
  /** Group commit bound: the most commands one batch takes. Default and maximum: the journal's batch limit (4096). */
  readonly batchCommandsMax?: number;
  /** Commands waiting for a commit; enqueue refuses more. Default QUEUE_COMMANDS_MAX_DEFAULT. */
  readonly queueCommandsMax?: number;
  /** Default SNAPSHOT_EVERY_COMMANDS_DEFAULT; Infinity: never by count. */
  readonly snapshotEveryCommands?: number;
  /** Default SNAPSHOT_INTERVAL_MS_DEFAULT of command time; Infinity: never by time. */
  readonly snapshotIntervalMs?: number;
  /** Snapshots retention keeps. Default SNAPSHOTS_KEEP_COUNT_DEFAULT. */
  readonly snapshotsKeepCount?: number;
  /** What happens to command segments the oldest kept snapshot covers. Default delete. */
  readonly segmentDisposal?: SegmentDisposal;
  /** Receives each retention run's report or failure (unheard failures are raised by close()). */
  readonly onRetention?: (outcome: RetentionOutcome) => void;
  readonly segmentSizeBytesMax?: number;
  readonly fsOps?: FsOps;
  /** See CoreRecoveryOptions.eventLogThreadBytesMin. */
  readonly eventLogThreadBytesMin?: number;
}

/** What commit() releases for one batch. */
export interface CommitResult {
  readonly seqFirst: number;
  /** The batch's last seq; written and (with durability fsync) fdatasync'ed before commit returned. */
  readonly seqDurable: number;
  /** Event log index of the batch's first event. */
  readonly eventIndexFirst: number;
  readonly eventCount: number;
  /** The batch's events, eventCount fixed-size records: a view valid until the next commit. */
  readonly events: Uint8Array;
}

export class DurableCore {
  readonly dir: string;
  readonly meta: JournalMeta;
  readonly recovery: RecoveryReport;
  readonly batchCommandsMax: number;
  readonly #fsOps: FsOps;
  readonly #engine: Engine;
  readonly #writer: JournalWriter;
  readonly #eventLog: EventLogWriter;
  readonly #sequencer: Sequencer;
  readonly #queue: CommandQueue;
  readonly #schedule: SnapshotSchedule;
  readonly #retention: RetentionRunner;
  #failure: unknown = null;
  #closed = false;

  private constructor(options: DurableCoreOptions, fsOps: FsOps) {
    const recovered = recoverCore({
      dir: options.dir,
      engineConfig: options.engineConfig,
      durability: options.durability ?? 'fsync',
      segmentSizeBytesMax: options.segmentSizeBytesMax,
      fsOps,
      eventLogThreadBytesMin: options.eventLogThreadBytesMin,
    });
    this.dir = options.dir;
    this.#fsOps = fsOps;
    this.meta = recovered.meta;
    this.recovery = recovered.report;
    this.#engine = recovered.engine;
    this.#writer = recovered.writer;
    this.#eventLog = recovered.eventLog;
    try {
      this.batchCommandsMax = options.batchCommandsMax ?? this.#writer.batchRecordsMax;
      if (!Number.isSafeInteger(this.batchCommandsMax) || this.batchCommandsMax < 1 || this.batchCommandsMax > this.#writer.batchRecordsMax) {
        throw new RangeError(`batchCommandsMax ${this.batchCommandsMax} outside [1, ${this.#writer.batchRecordsMax}]`);
      }
      this.#sequencer = new Sequencer(options.clockUs, this.#engine.seqLast, recovered.timeUsLast);
      this.#queue = new CommandQueue(options.queueCommandsMax ?? QUEUE_COMMANDS_MAX_DEFAULT);
      const snapshotPolicy = {
        everyCommands: options.snapshotEveryCommands ?? SNAPSHOT_EVERY_COMMANDS_DEFAULT,
        intervalMs: options.snapshotIntervalMs ?? SNAPSHOT_INTERVAL_MS_DEFAULT,
      };
      const hasSnapshot = recovered.report.snapshotPath !== null;
      this.#schedule = new SnapshotSchedule(snapshotPolicy, recovered.report.snapshotSeq, hasSnapshot ? recovered.timeUsLast : null);
      this.#retention = new RetentionRunner({
        dir: options.dir,
        snapshotsKeepCount: options.snapshotsKeepCount ?? SNAPSHOTS_KEEP_COUNT_DEFAULT,
        segmentDisposal: options.segmentDisposal ?? { kind: 'delete' },
        fsOps,
        onRetention: options.onRetention,
      });
    } catch (error) {
      this.#writer.close();
      this.#eventLog.close();
      throw error;
    }
  }

  /** Recovers `options.dir` (creating a journal when it holds none) and returns a core ready to commit. */
  static open(options: DurableCoreOptions): DurableCore {
    return new DurableCore(options, options.fsOps ?? nodeFsOps);
  }

  /** The engine, for reads (books, balances, state hash). Commands go through enqueue and commit only. */
  get engine(): Engine {
    return this.#engine;
  }

  /** The last seq on disk; every effect released so far belongs to a seq at or before it. */
  get seqDurable(): number {
    return this.#writer.seqDurable;
  }

  get eventIndexNext(): number {
    return this.#eventLog.eventIndexNext;
  }

  get queuedCount(): number {
    return this.#queue.count;
  }

  /** Queues `command` (its seq and time are stamped at commit); false when the queue is full: commit first. */
  enqueue(command: Command): boolean {
    this.#assertUsable();
    return this.#queue.pushCommand(command);
  }

  /** Queues one encoded command record (a gateway slot); false when the queue is full. */
  enqueueRecord(record: Uint8Array, offsetBytes: number): boolean {
    this.#assertUsable();
    return this.#queue.pushRecord(record, offsetBytes);
  }

  /**
   * Group commit: takes everything queued up to batchCommandsMax, stamps it, journals it with one
   * write and one fdatasync, applies it and appends its events. Returns null when nothing was queued.
   * A snapshot that has come due is taken first, so it never delays the acknowledgement of a batch.
   */
  commit(): CommitResult | null {
    this.#assertUsable();
    try {
      this.#takeSnapshotIfDue();
      const count = Math.min(this.#queue.count, this.batchCommandsMax);
      return count === 0 ? null : this.#commitBatch(count);
    } catch (error) {
      this.#failure = error;
      throw error;
    }
  }

  /** Takes a snapshot if the policy says one is due (also useful when idle); returns its path or null. */
  snapshotIfDue(): string | null {
    this.#assertUsable();
    try {
      return this.#takeSnapshotIfDue();
    } catch (error) {
      this.#failure = error;
      throw error;
    }
  }

  /** Captures the state after the last committed command now; returns the snapshot's path. */
  snapshot(): string {
    this.#assertUsable();
    try {
      return this.#takeSnapshot();
    } catch (error) {
      this.#failure = error;
      throw error;
    }
  }

  /** Waits for retention, makes the event log durable (unless failed) and closes both logs. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#retention.idle();
    } finally {
      try {
        if (this.#failure === null) this.#eventLog.sync();
      } finally {
        this.#writer.close();
        this.#eventLog.close();
      }
    }
  }

  #commitBatch(count: number): CommitResult {
    const slots = this.#queue.slots;
    const seqFirst = this.#sequencer.seqLast + 1;
    for (let index = 0; index < count; index++) this.#sequencer.stamp(slots, index * COMMAND_RECORD_SIZE_BYTES);
    const seqDurable = this.#writer.append(slots, count);
    const engine = this.#engine;
    const view = this.#queue.view;
    engine.events.clear();
    for (let index = 0; index < count; index++) engine.applyRecord(view, index * COMMAND_RECORD_SIZE_BYTES);
    const eventIndexFirst = this.#eventLog.eventIndexNext;
    const eventCount = engine.events.count;
    const events = engine.events.written();
    this.#eventLog.append(events, eventCount);
    this.#queue.shift(count);
    return { seqFirst, seqDurable, eventIndexFirst, eventCount, events };
  }

  #takeSnapshotIfDue(): string | null {
    return this.#schedule.due(this.#engine.seqLast, this.#sequencer.timeUsLast) ? this.#takeSnapshot() : null;
  }

  #takeSnapshot(): string {
    // The log must durably reach the snapshot's event position: recovery continues the log from there.
    this.#eventLog.sync();
    const timeUs = this.#sequencer.timeUsLast;
    const path = writeSnapshot(this.dir, captureSnapshot(this.#engine, timeUs, this.#eventLog.eventIndexNext), this.#fsOps);
    this.#schedule.taken(this.#engine.seqLast, timeUs);
    this.#retention.run();
    return path;
  }

  #assertUsable(): void {
    if (this.#closed) throw new JournalWriterClosedError(this.dir, undefined);
    if (this.#failure !== null) throw new JournalWriterClosedError(this.dir, { cause: this.#failure });
  }
}
