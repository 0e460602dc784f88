// Reads the derived event log from event index 0 in order, strictly: a defect or a gap is an error
// here, because readers (replay, verify, a Kafka endpoint) must never see a silently shortened
// stream. Run recovery (DurableCore.open) first, which cuts and rebuilds the log.

import { join } from 'node:path';
import { EVENT_RECORD_LAYOUT } from './core-records.ts';
import { BatchDecodeError, JournalCorruptError } from './errors.ts';
import { nodeFsOps, type FsOps } from './fs-ops.ts';
import { EVENTS_DIR_NAME, listSegments } from './segment-files.ts';
import { createWalkScratch, walkSegment } from './segment-walk.ts';

/** One event: `bytes` is a reused buffer, the event is at [offsetBytes, offsetBytes + EVENT_RECORD_SIZE_BYTES). */
export type EventHandler = (bytes: Uint8Array, offsetBytes: number, eventIndex: number) => void;

/** Hands every event to `onEvent` in index order; returns the number of events. Throws JournalCorruptError. */
export function readEventLog(dir: string, onEvent: EventHandler, fsOps: FsOps = nodeFsOps): number {
  const format = { layout: EVENT_RECORD_LAYOUT, seqHeader: true };
  const scratch = createWalkScratch();
  let eventIndexNext = 0;
  for (const segment of listSegments(fsOps, join(dir, EVENTS_DIR_NAME))) {
    if (segment.offsetFirst !== eventIndexNext) {
      throw new JournalCorruptError(segment.path, 0, eventIndexNext, 'segmentSeq', `segment starts at event ${segment.offsetFirst}`);
    }
    const walk = walkSegment(fsOps, segment.path, format, segment.offsetFirst, {
      check: (): BatchDecodeError | null => null,
      accept: (bytes, batch, valuePositions) => {
        for (let index = 0; index < batch.recordCount; index++) onEvent(bytes, valuePositions[index]!, batch.baseOffset + index);
      },
    }, scratch);
    if (walk.defect !== null) {
      throw new JournalCorruptError(segment.path, walk.goodEndBytes, walk.offsetNext, walk.defect.defect, walk.defect.message);
    }
    eventIndexNext = walk.offsetNext;
  }
  return eventIndexNext;
}
