// Startup of the durable core: rebuild the engine exactly as the last run left it and reopen both
// logs where they end. Order matters:
//   1. journal.json says which engine to build;
//   2. the event log is validated (defects cut) to learn how many events survived;
//   3. the base is the newest snapshot that verifies and whose event position the log reaches
//      (otherwise an older one, or an empty engine at seq 0); its stored state hash must equal the
//      decoded engine's stateHash(), else startup stops;
//   4. every journal batch is validated (a torn tail is cut) and each command after the base is
//      replayed; replay events the log lacks are appended, the others skipped by event index.
//      Without a snapshot, a large event log is validated from event 0 on a worker thread during
//      this replay (event-log-recovery-thread.ts), which waits for it only where it catches up;
//   5. the journal writer continues after the last command.
// If the event log turns out to hold more events than the journal's commands produce (only possible
// when durable commands were lost, e.g. durability none and a power cut), the log is cut back to the
// journal's last command and recovery runs once more.

import { join } from 'node:path';
import { Engine } from '../engine/engine.ts';
import type { EngineConfig } from '../engine/limits.ts';
import { replayJournal, type ReplayReport } from './command-replay.ts';
import { COMMAND_RECORD_SIZE_BYTES, EVENT_RECORD_LAYOUT, EVENT_RECORD_SIZE_BYTES } from './core-records.ts';
import { restoreSnapshot } from './core-snapshot.ts';
import { JournalStateError, SnapshotCorruptError } from './errors.ts';
import { EventLogRecoveryThread, settledRecovery, type PendingEventLogRecovery } from './event-log-recovery-thread.ts';
import { recoverEventLog, type EventLogRecovery } from './event-log-recovery.ts';
import { EventLogWriter } from './event-log-writer.ts';
import { fileSizeBytes, nodeFsOps, type FsOps } from './fs-ops.ts';
import type { JournalScanReport } from './journal-scan.ts';
import { openJournalMeta, type JournalMeta } from './journal-meta.ts';
import { JournalWriter, type Durability } from './journal-writer.ts';
import { COMMANDS_DIR_NAME, EVENTS_DIR_NAME, listSegments } from './segment-files.ts';
import { listSnapshots, readSnapshot, type LoadedSnapshot } from './snapshot-store.ts';

export interface CoreRecoveryOptions {
  readonly dir: string;
  /** Needed to create a journal; an existing one must have been written with the same configuration. */
  readonly engineConfig: EngineConfig | undefined;
  readonly durability: Durability;
  readonly segmentSizeBytesMax: number | undefined;
  readonly fsOps: FsOps;
  /**
   * An event log of at least this many bytes, recovered from event 0 (no usable snapshot), is
   * validated on a worker thread while the journal replays. Default EVENT_LOG_THREAD_BYTES_MIN_DEFAULT.
   */
  readonly eventLogThreadBytesMin?: number | undefined;
}

/** Below this a worker thread costs more to start than the validation it would take off this one. */
export const EVENT_LOG_THREAD_BYTES_MIN_DEFAULT = 64 * 1024 * 1024;

export interface RecoveryReport {
  /** The snapshot the engine was rebuilt from; null when it replayed from seq 1. */
  readonly snapshotPath: string | null;
  readonly snapshotSeq: number;
  /** Newer snapshots that failed their checks (CRC, length, ...), newest first. */
  readonly snapshotsRejected: readonly SnapshotCorruptError[];
  /** Valid newer snapshots the event log does not reach, so the events after them could not be rebuilt from them. */
  readonly snapshotsPassedOver: readonly string[];
  readonly commandsReplayed: number;
  readonly seqLast: number;
  /** The journal scan, including any torn tail that was cut. */
  readonly journal: JournalScanReport;
  /** What survived of the event log before the rebuild. */
  readonly eventLog: EventLogRecovery;
  /** Events appended to rebuild the log up to seqLast. */
  readonly eventsRebuilt: number;
  /** The event log was ahead of the journal and was cut back before the rebuild. */
  readonly eventLogCutToJournal: boolean;
}

export interface RecoveredCore {
  readonly meta: JournalMeta;
  readonly engine: Engine;
  readonly writer: JournalWriter;
  readonly eventLog: EventLogWriter;
  /** Time of the last command (0 for an empty journal): the sequencer never stamps an earlier one. */
  readonly timeUsLast: number;
  readonly report: RecoveryReport;
}

/** How startup recovers the event log: from a snapshot's position, or from event 0 (possibly on a worker thread). */
interface EventLogRecoverers {
  fromSnapshot(eventIndexFrom: number): EventLogRecovery;
  fromStart(): PendingEventLogRecovery;
}

interface Base {
  readonly snapshot: LoadedSnapshot | null;
  readonly rejected: readonly SnapshotCorruptError[];
  readonly passedOver: readonly string[];
  readonly eventRecovery: PendingEventLogRecovery;
}

/**
 * The newest snapshot that verifies and whose event position the surviving event log reaches
 * (the log is validated from that position on), else an empty engine at seq 0.
 */
function chooseBase(dir: string, fsOps: FsOps, recoverEvents: EventLogRecoverers): Base {
  const { snapshots } = listSnapshots(dir, fsOps);
  const rejected: SnapshotCorruptError[] = [];
  const passedOver: string[] = [];
  for (let index = snapshots.length - 1; index >= 0; index--) {
    let snapshot: LoadedSnapshot;
    try {
      snapshot = readSnapshot(snapshots[index]!, fsOps);
    } catch (error) {
      if (!(error instanceof SnapshotCorruptError)) throw error;
      rejected.push(error);
      continue;
    }
    const eventRecovery = recoverEvents.fromSnapshot(snapshot.eventIndexNext);
    if (eventRecovery.eventIndexNext >= snapshot.eventIndexNext) return { snapshot, rejected, passedOver, eventRecovery: settledRecovery(eventRecovery) };
    passedOver.push(snapshot.path);
  }
  return { snapshot: null, rejected, passedOver, eventRecovery: recoverEvents.fromStart() };
}

type Attempt = { readonly core: RecoveredCore } | { readonly eventLogAheadOfSeq: number };

/** After a failed replay: a recovery still running on its thread may be cutting files, so it is let finish first. */
function abandon(eventRecovery: PendingEventLogRecovery, eventLog: EventLogWriter | null): void {
  try {
    eventRecovery.outcome();
  } catch {
    // The caller reports the replay's failure; the event log is recovered again at the next start.
  }
  eventLog?.close();
}

function attempt(options: CoreRecoveryOptions, meta: JournalMeta, recoverEvents: EventLogRecoverers, eventLogCutToJournal: boolean): Attempt {
  const { dir, fsOps } = options;
  const base = chooseBase(dir, fsOps, recoverEvents);
  const eventRecovery = base.eventRecovery;
  const segmentSizeBytesMax = options.segmentSizeBytesMax === undefined ? {} : { segmentSizeBytesMax: options.segmentSizeBytesMax };
  let eventLogOpened: EventLogWriter | null = null;
  // Opened once the event log's recovery has ended: it continues the log where the recovery left it.
  const openEventLog = (): EventLogWriter =>
    (eventLogOpened ??= EventLogWriter.open({ dir, layout: EVENT_RECORD_LAYOUT, recovered: eventRecovery.outcome(), fsOps, ...segmentSizeBytesMax }));
  let engine: Engine;
  let eventIndexNext = base.snapshot?.eventIndexNext ?? 0;
  let eventsRebuilt = 0;
  let replay: ReplayReport;
  try {
    engine = base.snapshot === null ? new Engine(meta.engineConfig) : restoreSnapshot(base.snapshot);
    replay = replayJournal({
      dir,
      engine,
      truncateTail: true,
      fsOps,
      onEvents: (events, count) => {
        // The log's surviving events are what this replay produces first: keep them, append the rest.
        const eventIndexKept = eventRecovery.keptAtLeast(eventIndexNext + count);
        const skipCount = Math.min(count, Math.max(0, eventIndexKept - eventIndexNext));
        if (skipCount < count) openEventLog().append(events.subarray(skipCount * EVENT_RECORD_SIZE_BYTES), count - skipCount);
        eventsRebuilt += count - skipCount;
        eventIndexNext += count;
      },
    });
  } catch (error) {
    abandon(eventRecovery, eventLogOpened);
    throw error;
  }
  const eventLog = openEventLog();
  if (replay.scan.tail !== null && replay.scan.seqLast < engine.seqLast) {
    eventLog.close();
    throw new JournalStateError(
      join(dir, COMMANDS_DIR_NAME),
      `the journal ends at seq ${replay.scan.seqLast} but snapshot ${base.snapshot?.path} holds the state at seq ${engine.seqLast}: durable commands are missing`,
    );
  }
  if (eventIndexNext < eventRecovery.outcome().eventIndexNext) {
    eventLog.close();
    return { eventLogAheadOfSeq: engine.seqLast };
  }
  let writer: JournalWriter;
  try {
    writer = JournalWriter.open({
      dir,
      recordSizeBytes: COMMAND_RECORD_SIZE_BYTES,
      recovered: replay.scan,
      seqFirst: engine.seqLast + 1,
      durability: options.durability,
      fsOps,
      ...segmentSizeBytesMax,
    });
  } catch (error) {
    eventLog.close();
    throw error;
  }
  const timeUsLast = Number.isNaN(replay.timeUsLast) ? (base.snapshot?.timeUs ?? 0) : replay.timeUsLast;
  const report: RecoveryReport = {
    snapshotPath: base.snapshot?.path ?? null,
    snapshotSeq: base.snapshot?.seq ?? 0,
    snapshotsRejected: base.rejected,
    snapshotsPassedOver: base.passedOver,
    commandsReplayed: replay.commandsReplayed,
    seqLast: engine.seqLast,
    journal: replay.scan,
    eventLog: eventRecovery.outcome(),
    eventsRebuilt,
    eventLogCutToJournal,
  };
  return { core: { meta, engine, writer, eventLog, timeUsLast, report } };
}

/** Bytes of event log segments on disk. */
function eventLogSizeBytes(dir: string, fsOps: FsOps): number {
  let sizeBytes = 0;
  for (const segment of listSegments(fsOps, join(dir, EVENTS_DIR_NAME))) sizeBytes += fileSizeBytes(fsOps, segment.path);
  return sizeBytes;
}

export function recoverCore(options: CoreRecoveryOptions): RecoveredCore {
  const { dir, fsOps } = options;
  const meta = openJournalMeta(dir, options.engineConfig, fsOps);
  const threadBytesMin = options.eventLogThreadBytesMin ?? EVENT_LOG_THREAD_BYTES_MIN_DEFAULT;
  const eventRecoverers = (commandSeqRecovered: number): EventLogRecoverers => {
    const onThisThread = (eventIndexFrom: number): EventLogRecovery =>
      recoverEventLog(dir, { layout: EVENT_RECORD_LAYOUT, commandSeqRecovered, eventIndexFrom, fsOps });
    return {
      fromSnapshot: onThisThread,
      // The worker thread can only use the real file system; a test's fault-injecting FsOps keeps it here.
      fromStart: () =>
        fsOps === nodeFsOps && eventLogSizeBytes(dir, fsOps) >= threadBytesMin
          ? new EventLogRecoveryThread(dir, commandSeqRecovered)
          : settledRecovery(onThisThread(0)),
    };
  };
  // The journal's last seq is not known before its scan, so the first pass cuts only defects.
  const first = attempt(options, meta, eventRecoverers(Number.MAX_SAFE_INTEGER), false);
  if ('core' in first) return first.core;
  const second = attempt(options, meta, eventRecoverers(first.eventLogAheadOfSeq), true);
  if ('core' in second) return second.core;
  throw new JournalStateError(
    join(dir, EVENTS_DIR_NAME),
    `the event log holds more events than the journal's commands up to seq ${second.eventLogAheadOfSeq} produce: it was not written from this journal`,
  );
}
