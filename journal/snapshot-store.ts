// Snapshots on disk: `<dir>/snapshots/<20-digit seq>.snap`, each written atomically (temp file,
// fsync, rename, directory fsync) so a crash leaves either the old set or the new one. Loading
// takes the newest snapshot that verifies and reports every newer one it had to pass over.

import { join } from 'node:path';
import { SnapshotCorruptError } from './errors.ts';
import { ensureDirectory, nodeFsOps, readWholeFile, writeFileAtomically, type FsOps } from './fs-ops.ts';
import { decodeSnapshot, encodeSnapshotHeader, type Snapshot, type SnapshotFile } from './snapshot-format.ts';
import { SNAPSHOTS_DIR_NAME, paddedName } from './segment-files.ts';

export const SNAPSHOT_SUFFIX = '.snap';
/** Left behind only by a write that crashed before its rename; never loaded, removed by retention. */
export const SNAPSHOT_TEMP_SUFFIX = '.snap.tmp';
const SNAPSHOT_NAME_PATTERN = /^(\d{20})\.snap(\.tmp)?$/;

export interface SnapshotListing {
  /** Oldest first. */
  readonly snapshots: readonly SnapshotFile[];
  readonly tempPaths: readonly string[];
}

export interface LoadedSnapshot extends Snapshot {
  readonly path: string;
}

export interface SnapshotLoad {
  /** The newest snapshot that verified; null when there is none. */
  readonly snapshot: LoadedSnapshot | null;
  /** Newer snapshots that failed verification, newest first. */
  readonly rejected: readonly SnapshotCorruptError[];
}

export function snapshotsDirPath(dir: string): string {
  return join(dir, SNAPSHOTS_DIR_NAME);
}

/** Any file that is neither a snapshot nor a leftover temp file is an error, not ignored. */
export function listSnapshots(dir: string, fsOps: FsOps = nodeFsOps): SnapshotListing {
  const dirPath = snapshotsDirPath(dir);
  if (!fsOps.existsSync(dirPath)) return { snapshots: [], tempPaths: [] };
  const snapshots: SnapshotFile[] = [];
  const tempPaths: string[] = [];
  for (const name of fsOps.readdirSync(dirPath).sort()) {
    const match = SNAPSHOT_NAME_PATTERN.exec(name);
    const seq = match === null ? NaN : Number(match[1]);
    if (match === null || !Number.isSafeInteger(seq)) {
      throw new SnapshotCorruptError(join(dirPath, name), 'name', 0, -1, 'not a snapshot name (<20 digits>.snap)');
    }
    if (match[2] === undefined) snapshots.push({ path: join(dirPath, name), seq });
    else tempPaths.push(join(dirPath, name));
  }
  return { snapshots, tempPaths };
}

/** Writes `snapshot` atomically and durably; returns its path. */
export function writeSnapshot(dir: string, snapshot: Snapshot, fsOps: FsOps = nodeFsOps): string {
  const dirPath = snapshotsDirPath(dir);
  ensureDirectory(fsOps, dirPath, dir);
  const path = join(dirPath, paddedName(snapshot.seq, SNAPSHOT_SUFFIX));
  const tempPath = join(dirPath, paddedName(snapshot.seq, SNAPSHOT_TEMP_SUFFIX));
  writeFileAtomically(fsOps, path, tempPath, [encodeSnapshotHeader(snapshot), snapshot.payload]);
  return path;
}

/** Reads and verifies one snapshot, including that its name and header agree on the seq. */
export function readSnapshot(file: SnapshotFile, fsOps: FsOps = nodeFsOps): LoadedSnapshot {
  return { ...decodeSnapshot(file, readWholeFile(fsOps, file.path)), path: file.path };
}

export function loadNewestSnapshot(dir: string, fsOps: FsOps = nodeFsOps): SnapshotLoad {
  const rejected: SnapshotCorruptError[] = [];
  const { snapshots } = listSnapshots(dir, fsOps);
  for (let index = snapshots.length - 1; index >= 0; index--) {
    try {
      return { snapshot: readSnapshot(snapshots[index]!, fsOps), rejected };
    } catch (error) {
      if (!(error instanceof SnapshotCorruptError)) throw error;
      rejected.push(error);
    }
  }
  return { snapshot: null, rejected };
}
