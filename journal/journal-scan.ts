// Recovery of the command journal: validates every batch of every segment in order, hands out the
// records, and decides what a defect means. A defect with nothing valid after it in the last
// segment is a torn tail (a write the crash interrupted, or zero-filled space) and is cut off and
// reported; anything else stops recovery with a JournalCorruptError. Nothing is skipped.

import { join } from 'node:path';
import { BatchDecodeError, JournalCorruptError, type BatchDefect } from './errors.ts';
import { nodeFsOps, truncateFileDurably, type FsOps } from './fs-ops.ts';
import type { BatchFormat } from './record-batch.ts';
import type { DecodedBatch } from './record-batch-decode.ts';
import { COMMAND_TYPE_OFFSET_BYTES, assertRecordLayout, commandLayout } from './record-layout.ts';
import { COMMANDS_DIR_NAME, listSegments } from './segment-files.ts';
import { createWalkScratch, inspectTail, walkSegment, type BatchVisitor } from './segment-walk.ts';

/** `bytes` is a reused buffer: copy out whatever must outlive the call. */
export type RecordHandler = (bytes: Uint8Array, offsetBytes: number, seq: number) => void;

export interface BatchLocation {
  readonly path: string;
  readonly offsetBytes: number;
  readonly seqFirst: number;
  readonly recordCount: number;
  readonly sizeBytes: number;
  readonly maxTimestampMs: number;
}

export interface ScanOptions {
  readonly recordSizeBytes: number;
  /** Receives each record with seq >= seqFrom in seq order, once its whole batch has been validated. */
  readonly onRecord?: RecordHandler;
  /** Receives each valid batch (for an inspector or a Kafka offset index). */
  readonly onBatch?: (batch: BatchLocation) => void;
  /** Default 0: every record. */
  readonly seqFrom?: number;
  /** Default true: cut a torn tail off the last segment (then fdatasync). False only reports it. */
  readonly truncateTail?: boolean;
  readonly fsOps?: FsOps;
}

export interface SegmentSummary {
  readonly path: string;
  readonly seqFirst: number;
  /** seqFirst - 1 for an empty segment. */
  readonly seqLast: number;
  /** Size after any truncation. */
  readonly sizeBytes: number;
  readonly batchCount: number;
}

export interface TailTruncation {
  readonly path: string;
  /** Where the cut is: the end of the last valid batch. */
  readonly offsetBytes: number;
  /** The seq the rejected batch should have started with. */
  readonly seq: number;
  readonly truncatedBytes: number;
  readonly defect: BatchDefect;
  readonly detail: string;
  readonly zeroFilled: boolean;
  /** False when the scan ran with truncateTail false and left the file as it was. */
  readonly applied: boolean;
}

/** Where the writer continues. */
export interface JournalTail {
  readonly path: string;
  readonly seqFirst: number;
  readonly endBytes: number;
  readonly seqLast: number;
}

export interface JournalScanReport {
  readonly dir: string;
  readonly segments: readonly SegmentSummary[];
  /** 0 when there are no segments. */
  readonly seqFirst: number;
  /** seqFirst - 1 when there are no records; 0 when there are no segments. */
  readonly seqLast: number;
  readonly recordCount: number;
  readonly batchCount: number;
  readonly truncatedBytes: number;
  readonly truncation: TailTruncation | null;
  readonly tail: JournalTail | null;
}

function commandVisitor(options: ScanOptions, pathOf: () => string): BatchVisitor {
  const seqFrom = options.seqFrom ?? 0;
  const onRecord = options.onRecord;
  const onBatch = options.onBatch;
  return {
    check(bytes: Uint8Array, batch: DecodedBatch, valuePositions: Int32Array): BatchDecodeError | null {
      for (let index = 0; index < batch.recordCount; index++) {
        if (bytes[valuePositions[index]! + COMMAND_TYPE_OFFSET_BYTES] === 0) {
          return new BatchDecodeError('commandType', 0, `record ${index} (seq ${batch.baseOffset + index}) has command type 0`);
        }
      }
      return null;
    },
    accept(bytes: Uint8Array, batch: DecodedBatch, valuePositions: Int32Array, offsetBytes: number): void {
      onBatch?.({
        path: pathOf(),
        offsetBytes,
        seqFirst: batch.baseOffset,
        recordCount: batch.recordCount,
        sizeBytes: batch.sizeBytes,
        maxTimestampMs: batch.maxTimestampMs,
      });
      if (onRecord === undefined) return;
      for (let index = 0; index < batch.recordCount; index++) {
        const seq = batch.baseOffset + index;
        if (seq >= seqFrom) onRecord(bytes, valuePositions[index]!, seq);
      }
    },
  };
}

/** Scans `<dir>/commands/`; throws JournalCorruptError for anything but a torn tail. */
export function scanJournal(dir: string, options: ScanOptions): JournalScanReport {
  const layout = commandLayout(options.recordSizeBytes);
  assertRecordLayout(layout);
  const format: BatchFormat = { layout, seqHeader: false };
  const fsOps = options.fsOps ?? nodeFsOps;
  const segmentFiles = listSegments(fsOps, join(dir, COMMANDS_DIR_NAME));
  const scratch = createWalkScratch();
  const segments: SegmentSummary[] = [];
  let currentPath = '';
  const visitor = commandVisitor(options, () => currentPath);
  let truncation: TailTruncation | null = null;
  let recordCount = 0;
  let batchCount = 0;
  let seqNext = segmentFiles[0]?.offsetFirst ?? 0;
  for (const [index, segment] of segmentFiles.entries()) {
    const isLast = index === segmentFiles.length - 1;
    currentPath = segment.path;
    if (segment.offsetFirst !== seqNext) {
      throw new JournalCorruptError(segment.path, 0, seqNext, 'segmentSeq', `segment starts at seq ${segment.offsetFirst}, expected ${seqNext}`);
    }
    const walk = walkSegment(fsOps, segment.path, format, segment.offsetFirst, visitor, scratch);
    let sizeBytes = walk.fileSizeBytes;
    const defect = walk.defect;
    if (defect !== null) {
      const corrupt = (detail: string): JournalCorruptError =>
        new JournalCorruptError(segment.path, walk.goodEndBytes, walk.offsetNext, defect.defect, `${defect.message}; ${detail}`);
      if (!isLast) throw corrupt('a later segment exists, so this is not a torn tail');
      const tail = inspectTail(fsOps, segment.path, walk.goodEndBytes, format, scratch);
      if (tail.validBatchOffsetBytes >= 0) {
        throw corrupt(`a valid batch follows at byte ${tail.validBatchOffsetBytes}, so this is not a torn tail`);
      }
      const applied = options.truncateTail ?? true;
      if (applied) truncateFileDurably(fsOps, segment.path, walk.goodEndBytes);
      truncation = {
        path: segment.path,
        offsetBytes: walk.goodEndBytes,
        seq: walk.offsetNext,
        truncatedBytes: walk.fileSizeBytes - walk.goodEndBytes,
        defect: defect.defect,
        detail: defect.message,
        zeroFilled: tail.zeroFilled,
        applied,
      };
      sizeBytes = walk.goodEndBytes;
    }
    if (walk.batchCount === 0 && !isLast) {
      throw new JournalCorruptError(segment.path, 0, seqNext, 'emptySegment', 'only the last segment may be empty');
    }
    segments.push({ path: segment.path, seqFirst: segment.offsetFirst, seqLast: walk.offsetNext - 1, sizeBytes, batchCount: walk.batchCount });
    recordCount += walk.offsetNext - segment.offsetFirst;
    batchCount += walk.batchCount;
    seqNext = walk.offsetNext;
  }
  const last = segments[segments.length - 1];
  return {
    dir,
    segments,
    seqFirst: segmentFiles[0]?.offsetFirst ?? 0,
    seqLast: last === undefined ? 0 : last.seqLast,
    recordCount,
    batchCount,
    truncatedBytes: truncation?.truncatedBytes ?? 0,
    truncation,
    tail: last === undefined ? null : { path: last.path, seqFirst: last.seqFirst, endBytes: last.sizeBytes, seqLast: last.seqLast },
  };
}
