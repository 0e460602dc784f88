// Where the journal's files live and how they are named. Names carry the first seq (or event
// index) zero-padded to 20 digits, so lexical order is numeric order, as in Kafka's log dirs.

import { join } from 'node:path';
import { JournalCorruptError } from './errors.ts';
import type { FsOps } from './fs-ops.ts';

export const COMMANDS_DIR_NAME = 'commands';
export const EVENTS_DIR_NAME = 'events';
export const SNAPSHOTS_DIR_NAME = 'snapshots';
export const SEGMENT_SUFFIX = '.log';
/** Segments roll before a batch would take them past this size. */
export const SEGMENT_SIZE_BYTES_DEFAULT = 256 * 1024 * 1024;
const NAME_DIGITS = 20;
const SEGMENT_NAME_PATTERN = /^(\d{20})\.log$/;

export interface SegmentFile {
  readonly path: string;
  /** The offset (command seq or event index) of the first record the segment holds or will hold. */
  readonly offsetFirst: number;
}

export function paddedName(offset: number, suffix: string): string {
  return `${String(offset).padStart(NAME_DIGITS, '0')}${suffix}`;
}

export function segmentPath(dirPath: string, offsetFirst: number): string {
  return join(dirPath, paddedName(offsetFirst, SEGMENT_SUFFIX));
}

/**
 * The segments in `dirPath` in offset order ([] if the directory does not exist). Any other file
 * is an error: a stray or misnamed file must not be mistaken for, or hide, journal data.
 */
export function listSegments(fsOps: FsOps, dirPath: string): SegmentFile[] {
  if (!fsOps.existsSync(dirPath)) return [];
  const segments: SegmentFile[] = [];
  for (const name of fsOps.readdirSync(dirPath).sort()) {
    const match = SEGMENT_NAME_PATTERN.exec(name);
    const offsetFirst = match === null ? NaN : Number(match[1]);
    if (!Number.isSafeInteger(offsetFirst)) {
      throw new JournalCorruptError(join(dirPath, name), 0, -1, 'segmentName', 'not a segment name (<20 digits>.log)');
    }
    segments.push({ path: join(dirPath, name), offsetFirst });
  }
  return segments;
}
