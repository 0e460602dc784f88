// The full check behind `journal verify`: recover as a restart would (every command batch is
// validated, a torn tail is cut, the event log rebuilt), then check what recovery alone does not:
// every snapshot file (CRCs, and its stored hash against its own decoded state), and a second
// replay from the oldest point the journal allows that must pass every snapshot with the same
// state hash and end in the recovered state. From seq 1, the replay's events must also equal the
// event log byte for byte. Any disagreement throws an error naming file, offset and seq.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Engine } from '../engine/engine.ts';
import { NO_CLOCK_US } from './sequencer.ts';
import { replayJournal } from './command-replay.ts';
import { EVENT_RECORD_SIZE_BYTES } from './core-records.ts';
import { restoreSnapshot, storedStateHash } from './core-snapshot.ts';
import { DurableCore } from './durable-core.ts';
import { JournalStateError, SnapshotMismatchError } from './errors.ts';
import { readEventLog } from './event-log-reader.ts';
import { nodeFsOps } from './fs-ops.ts';
import { COMMANDS_DIR_NAME, EVENTS_DIR_NAME } from './segment-files.ts';
import { SNAPSHOT_HEADER_SIZE_BYTES } from './snapshot-format.ts';
import { listSnapshots, readSnapshot, type LoadedSnapshot } from './snapshot-store.ts';

export interface AuditReport {
  readonly seqLast: number;
  readonly stateHash: string;
  /** Bytes of torn tail recovery cut off the command journal. */
  readonly truncatedBytes: number;
  readonly snapshotsChecked: number;
  /** Where the second replay started: 0 for seq 1, else the oldest snapshot's seq. */
  readonly auditBaseSeq: number;
  readonly commandsAudited: number;
  /** Events compared with the event log (0 when the audit could not start at seq 1). */
  readonly eventsCompared: number;
}

/** Every snapshot verified on its own; oldest first. */
function checkSnapshots(dir: string, seqLast: number): LoadedSnapshot[] {
  const loaded: LoadedSnapshot[] = [];
  for (const file of listSnapshots(dir).snapshots) {
    const snapshot = readSnapshot(file);
    restoreSnapshot(snapshot);
    if (snapshot.seq > seqLast) {
      throw new SnapshotMismatchError(snapshot.path, 0, snapshot.seq, `the journal ends at seq ${seqLast}, before the snapshot`);
    }
    loaded.push(snapshot);
  }
  return loaded;
}

export async function auditJournal(dir: string): Promise<AuditReport> {
  const core = DurableCore.open({ dir, clockUs: NO_CLOCK_US });
  const { seqLast, journal } = core.recovery;
  const stateHash = core.engine.stateHash();
  const engineConfig = core.meta.engineConfig;
  await core.close();
  const snapshots = checkSnapshots(dir, seqLast);
  // An empty journal starts at seq 1 only when no snapshot holds a later state (a restored snapshot, say).
  const fromSeqOne = journal.tail === null ? snapshots.length === 0 : journal.seqFirst === 1;
  const oldest = snapshots[0];
  if (!fromSeqOne && oldest === undefined) {
    throw new JournalStateError(join(dir, COMMANDS_DIR_NAME), `the journal starts at seq ${journal.seqFirst} and no snapshot precedes it`);
  }
  const engine = fromSeqOne || oldest === undefined ? new Engine(engineConfig) : restoreSnapshot(oldest);
  const hashBySeq = new Map(snapshots.map((snapshot) => [snapshot.seq, snapshot]));
  const replayDigest = createHash('sha256');
  let eventsReplayed = 0;
  const replay = replayJournal({
    dir,
    engine,
    truncateTail: false,
    fsOps: nodeFsOps,
    onApplied: (seq) => {
      const snapshot = hashBySeq.get(seq);
      if (snapshot === undefined) return;
      const replayedHash = engine.stateHash();
      if (replayedHash !== storedStateHash(snapshot)) {
        throw new SnapshotMismatchError(snapshot.path, SNAPSHOT_HEADER_SIZE_BYTES, seq, `replaying the journal to seq ${seq} gives state hash ${replayedHash}, the snapshot stores ${storedStateHash(snapshot)}`);
      }
    },
    onEvents: (events, count) => {
      replayDigest.update(events.subarray(0, count * EVENT_RECORD_SIZE_BYTES));
      eventsReplayed += count;
    },
  });
  if (engine.stateHash() !== stateHash) {
    throw new JournalStateError(join(dir, COMMANDS_DIR_NAME), `replaying from seq ${engine.seqLast - replay.commandsReplayed + 1} ends at state hash ${engine.stateHash()}, recovery at ${stateHash} (seq ${seqLast})`);
  }
  let eventsCompared = 0;
  if (fromSeqOne) {
    const logDigest = createHash('sha256');
    eventsCompared = readEventLog(dir, (bytes, offsetBytes) => logDigest.update(bytes.subarray(offsetBytes, offsetBytes + EVENT_RECORD_SIZE_BYTES)));
    if (eventsCompared !== eventsReplayed || logDigest.digest('hex') !== replayDigest.digest('hex')) {
      throw new JournalStateError(join(dir, EVENTS_DIR_NAME), `the event log (${eventsCompared} events) differs from the events of a replay from seq 1 (${eventsReplayed})`);
    }
  }
  return {
    seqLast,
    stateHash,
    truncatedBytes: journal.truncatedBytes,
    snapshotsChecked: snapshots.length,
    auditBaseSeq: fromSeqOne ? 0 : (oldest?.seq ?? 0),
    commandsAudited: replay.commandsReplayed,
    eventsCompared,
  };
}
