// Retention: keep the K newest valid snapshots, remove older ones and leftover temp files, and
// dispose of command segments that only hold commands at or before the oldest kept snapshot
// (recovery never needs them again): delete them, hand them to an archiver (S3 later) and delete
// them once it has them, or keep them all (a full journal replays from seq 1: audits, Kafka readers).

import { join } from 'node:path';
import { SnapshotCorruptError } from './errors.ts';
import { nodeFsOps, syncDirectory, type FsOps } from './fs-ops.ts';
import { COMMANDS_DIR_NAME, listSegments } from './segment-files.ts';
import { listSnapshots, readSnapshot, snapshotsDirPath } from './snapshot-store.ts';

export interface ArchivedSegment {
  readonly path: string;
  readonly seqFirst: number;
  readonly seqLast: number;
}

export interface SegmentArchiver {
  /** Must resolve only once the segment is safely stored elsewhere; the local file is deleted after. */
  archiveSegment(segment: ArchivedSegment): Promise<void>;
}

export type SegmentDisposal =
  | { readonly kind: 'delete' }
  | { readonly kind: 'archive'; readonly archiver: SegmentArchiver }
  | { readonly kind: 'keep' };

export interface RetentionOptions {
  readonly snapshotsKeepCount: number;
  readonly segmentDisposal: SegmentDisposal;
  readonly fsOps?: FsOps;
}

export interface RetentionReport {
  readonly snapshotSeqsKept: readonly number[];
  readonly snapshotsDeleted: readonly string[];
  /** Newer than the oldest kept one but failing verification: left in place for inspection. */
  readonly snapshotsCorrupt: readonly SnapshotCorruptError[];
  readonly tempFilesDeleted: readonly string[];
  readonly segmentsDisposed: readonly ArchivedSegment[];
}

function keepSnapshots(dir: string, keepCount: number, fsOps: FsOps): Pick<RetentionReport, 'snapshotSeqsKept' | 'snapshotsDeleted' | 'snapshotsCorrupt' | 'tempFilesDeleted'> {
  const { snapshots, tempPaths } = listSnapshots(dir, fsOps);
  const snapshotSeqsKept: number[] = [];
  const snapshotsCorrupt: SnapshotCorruptError[] = [];
  let index = snapshots.length - 1;
  for (; index >= 0 && snapshotSeqsKept.length < keepCount; index--) {
    const file = snapshots[index]!;
    try {
      readSnapshot(file, fsOps);
      snapshotSeqsKept.push(file.seq);
    } catch (error) {
      if (!(error instanceof SnapshotCorruptError)) throw error;
      snapshotsCorrupt.push(error);
    }
  }
  // Only once K valid snapshots are kept may anything older go.
  const snapshotsDeleted = snapshotSeqsKept.length === keepCount ? snapshots.slice(0, index + 1).map((file) => file.path) : [];
  for (const path of [...snapshotsDeleted, ...tempPaths]) fsOps.unlinkSync(path);
  if (snapshotsDeleted.length + tempPaths.length > 0) syncDirectory(fsOps, snapshotsDirPath(dir));
  return { snapshotSeqsKept, snapshotsDeleted, snapshotsCorrupt, tempFilesDeleted: tempPaths };
}

export async function applyRetention(dir: string, options: RetentionOptions): Promise<RetentionReport> {
  const fsOps = options.fsOps ?? nodeFsOps;
  if (!Number.isInteger(options.snapshotsKeepCount) || options.snapshotsKeepCount < 1) {
    throw new RangeError(`snapshotsKeepCount ${options.snapshotsKeepCount} must be a positive integer`);
  }
  const snapshotReport = keepSnapshots(dir, options.snapshotsKeepCount, fsOps);
  const seqOldestKept = snapshotReport.snapshotSeqsKept[snapshotReport.snapshotSeqsKept.length - 1];
  const segmentsDisposed: ArchivedSegment[] = [];
  if (seqOldestKept !== undefined && options.segmentDisposal.kind !== 'keep') {
    const dirPath = join(dir, COMMANDS_DIR_NAME);
    const segments = listSegments(fsOps, dirPath);
    // The last segment is the one being written: never disposed of.
    for (let index = 0; index + 1 < segments.length; index++) {
      const segment = segments[index]!;
      const seqLast = segments[index + 1]!.offsetFirst - 1;
      if (seqLast > seqOldestKept) break;
      const archived: ArchivedSegment = { path: segment.path, seqFirst: segment.offsetFirst, seqLast };
      if (options.segmentDisposal.kind === 'archive') await options.segmentDisposal.archiver.archiveSegment(archived);
      fsOps.unlinkSync(segment.path);
      segmentsDisposed.push(archived);
    }
    if (segmentsDisposed.length > 0) syncDirectory(fsOps, dirPath);
  }
  return { ...snapshotReport, segmentsDisposed };
}
