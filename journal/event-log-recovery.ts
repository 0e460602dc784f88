// Startup side of the derived event log. Unlike the command journal, a defect anywhere here is
// not fatal: the log is rebuilt from commands, so it is cut at the first defect, or at the first
// batch holding events of a command the journal did not recover, and everything after is removed.

import { join } from 'node:path';
import { BatchDecodeError, type BatchDefect } from './errors.ts';
import { fileSizeBytes, nodeFsOps, syncDirectory, truncateFileDurably, type FsOps } from './fs-ops.ts';
import type { BatchFormat } from './record-batch.ts';
import type { DecodedBatch } from './record-batch-decode.ts';
import { assertRecordLayout, readRecordSeq, type RecordLayout } from './record-layout.ts';
import type { SegmentTail } from './segment-appender.ts';
import { EVENTS_DIR_NAME, listSegments } from './segment-files.ts';
import { createWalkScratch, walkSegment, type BatchVisitor } from './segment-walk.ts';

export interface EventLogRecoveryOptions {
  readonly layout: RecordLayout;
  /** The last command seq the command journal recovered (its scan's seqLast). */
  readonly commandSeqRecovered: number;
  /**
   * Segments holding only events before this index are not read (default 0: all are). Startup
   * rebuilds nothing before its snapshot's event position, so reading gigabytes of older events
   * would only slow it down; `journal verify` reads every segment.
   */
  readonly eventIndexFrom?: number;
  readonly fsOps?: FsOps;
  /**
   * Told, as validation proceeds, how many events are known to survive (every event before the
   * index passed is kept, whatever a later defect cuts): a replay may skip those before recovery ends.
   */
  readonly onKept?: (eventIndexNext: number) => void;
}

export interface EventLogCut {
  readonly path: string;
  readonly offsetBytes: number;
  /** The event index the first removed batch had (or should have had). */
  readonly eventIndex: number;
  readonly reason: BatchDefect | 'segmentSeq';
  readonly detail: string;
}

/**
 * What survived. The durable core rebuilds by event index: a replay from a snapshot counts events
 * from the snapshot's eventIndexNext and appends only those at or beyond this eventIndexNext. The
 * same cut expressed by command: replay from commandSeqLast on (from the journal's first command
 * when it is 0), drop the first commandSeqLastEventCount events that command produces (a command's
 * events may span batches, so the last one may be partial) and append every other event; unlike
 * the index rule it needs a base state before commandSeqLast, which a snapshot may not offer.
 */
export interface EventLogRecovery {
  readonly dir: string;
  readonly eventIndexNext: number;
  /** Command seq of the last event kept; 0 when no event was kept (or none of the segments read). */
  readonly commandSeqLast: number;
  readonly commandSeqLastEventCount: number;
  /** Bytes cut from the segment holding the cut plus the sizes of removed later segments. */
  readonly truncatedBytes: number;
  readonly segmentsRemoved: readonly string[];
  readonly cut: EventLogCut | null;
  readonly tail: SegmentTail | null;
}

interface CommandProgress {
  seqLast: number;
  seqLastEventCount: number;
}

function eventVisitor(layout: RecordLayout, commandSeqRecovered: number, progress: CommandProgress, onKept: ((eventIndexNext: number) => void) | undefined): BatchVisitor {
  return {
    check(bytes: Uint8Array, batch: DecodedBatch, valuePositions: Int32Array): BatchDecodeError | null {
      let seqPrevious = progress.seqLast;
      for (let index = 0; index < batch.recordCount; index++) {
        const seq = readRecordSeq(bytes, valuePositions[index]!, layout);
        if (!(seq >= seqPrevious)) {
          return new BatchDecodeError('commandSeqOrder', 0, `event ${batch.baseOffset + index} has command seq ${seq} after ${seqPrevious}`);
        }
        if (seq > commandSeqRecovered) {
          return new BatchDecodeError('commandSeqBeyondRecovered', 0, `event ${batch.baseOffset + index} belongs to command ${seq} > ${commandSeqRecovered}`);
        }
        seqPrevious = seq;
      }
      return null;
    },
    accept(bytes: Uint8Array, batch: DecodedBatch, valuePositions: Int32Array): void {
      for (let index = 0; index < batch.recordCount; index++) {
        const seq = readRecordSeq(bytes, valuePositions[index]!, layout);
        progress.seqLastEventCount = seq === progress.seqLast ? progress.seqLastEventCount + 1 : 1;
        progress.seqLast = seq;
      }
      onKept?.(batch.baseOffset + batch.recordCount);
    },
  };
}

/** Validates `<dir>/events/`, cuts it back to the recovered commands and reports where to resume. */
export function recoverEventLog(dir: string, options: EventLogRecoveryOptions): EventLogRecovery {
  assertRecordLayout(options.layout);
  const format: BatchFormat = { layout: options.layout, seqHeader: true };
  const fsOps = options.fsOps ?? nodeFsOps;
  const dirPath = join(dir, EVENTS_DIR_NAME);
  const segments = listSegments(fsOps, dirPath);
  const scratch = createWalkScratch();
  const progress: CommandProgress = { seqLast: 0, seqLastEventCount: 0 };
  const visitor = eventVisitor(options.layout, options.commandSeqRecovered, progress, options.onKept);
  let eventIndexNext = 0;
  let tail: SegmentTail | null = null;
  let cut: EventLogCut | null = null;
  let truncatedBytes = 0;
  let keptCount = 0;
  const eventIndexFrom = options.eventIndexFrom ?? 0;
  for (const [index, segment] of segments.entries()) {
    if (segment.offsetFirst !== eventIndexNext && keptCount > 0) {
      cut = { path: segment.path, offsetBytes: 0, eventIndex: eventIndexNext, reason: 'segmentSeq', detail: `segment starts at event ${segment.offsetFirst}` };
      break;
    }
    const offsetNextSegment = segments[index + 1]?.offsetFirst ?? Number.POSITIVE_INFINITY;
    if (offsetNextSegment <= eventIndexFrom) {
      keptCount++;
      eventIndexNext = offsetNextSegment;
      options.onKept?.(eventIndexNext);
      continue;
    }
    const walk = walkSegment(fsOps, segment.path, format, segment.offsetFirst, visitor, scratch);
    keptCount++;
    eventIndexNext = walk.offsetNext;
    tail = { path: segment.path, offsetFirst: segment.offsetFirst, endBytes: walk.goodEndBytes };
    if (walk.defect !== null) {
      truncateFileDurably(fsOps, segment.path, walk.goodEndBytes);
      truncatedBytes += walk.fileSizeBytes - walk.goodEndBytes;
      cut = { path: segment.path, offsetBytes: walk.goodEndBytes, eventIndex: walk.offsetNext, reason: walk.defect.defect, detail: walk.defect.message };
      break;
    }
  }
  const segmentsRemoved = segments.slice(keptCount).map((segment) => segment.path);
  for (const path of segmentsRemoved) {
    truncatedBytes += fileSizeBytes(fsOps, path);
    fsOps.unlinkSync(path);
  }
  if (segmentsRemoved.length > 0) syncDirectory(fsOps, dirPath);
  return {
    dir,
    eventIndexNext,
    commandSeqLast: progress.seqLast,
    commandSeqLastEventCount: progress.seqLastEventCount,
    truncatedBytes,
    segmentsRemoved,
    cut,
    tail,
  };
}
