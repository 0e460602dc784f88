// Snapshots of the engine: what goes into the snapshot store and how a loaded one becomes an engine
// again. The state hash is stored as the ASCII of the engine's hex stateHash(), and a loaded
// snapshot must reproduce it exactly: CRCs catch damage, the hash catches a state the engine
// decodes differently from how it was captured.

import { Engine } from '../engine/engine.ts';
import { SnapshotMismatchError } from './errors.ts';
import { SNAPSHOT_HEADER_SIZE_BYTES, type Snapshot } from './snapshot-format.ts';
import type { LoadedSnapshot } from './snapshot-store.ts';

/** The engine's state after its last command, at `timeUs`, matching event log position `eventIndexNext`. */
export function captureSnapshot(engine: Engine, timeUs: number, eventIndexNext: number): Snapshot {
  const payload = engine.encodeSnapshot();
  return { seq: engine.seqLast, timeUs, eventIndexNext, stateHash: Buffer.from(engine.stateHash(), 'ascii'), payload };
}

export function storedStateHash(snapshot: Snapshot): string {
  return Buffer.from(snapshot.stateHash.buffer, snapshot.stateHash.byteOffset, snapshot.stateHash.length).toString('ascii');
}

/** Decodes `snapshot` into an engine; throws SnapshotMismatchError unless its seq and state hash agree with the header. */
export function restoreSnapshot(snapshot: LoadedSnapshot): Engine {
  const payloadOffsetBytes = SNAPSHOT_HEADER_SIZE_BYTES + snapshot.stateHash.length;
  let engine: Engine;
  try {
    engine = Engine.fromSnapshot(snapshot.payload);
  } catch (error) {
    throw new SnapshotMismatchError(snapshot.path, payloadOffsetBytes, snapshot.seq, 'the engine cannot decode the payload', { cause: error });
  }
  if (engine.seqLast !== snapshot.seq) {
    throw new SnapshotMismatchError(snapshot.path, payloadOffsetBytes, snapshot.seq, `the payload holds the state at seq ${engine.seqLast}`);
  }
  const stateHash = engine.stateHash();
  if (stateHash !== storedStateHash(snapshot)) {
    throw new SnapshotMismatchError(
      snapshot.path,
      SNAPSHOT_HEADER_SIZE_BYTES,
      snapshot.seq,
      `stored state hash ${storedStateHash(snapshot)} but the decoded state hashes to ${stateHash}`,
    );
  }
  return engine;
}
