// What a projection is fed: a run of consecutive events of the derived event log, each the core's
// 128-byte record, positioned by event index. The event index (dense from 0) plus the record's
// command seq identify an event for good, so they are the projections' idempotence key.
import { EVENT_SIZE_BYTES, readU64, SEQ_OFFSET_BYTES, TIME_US_OFFSET_BYTES } from '../engine/schema.ts';

export interface EventBatch {
  /** Event index of the first event. */
  readonly eventIndexFirst: number;
  readonly count: number;
  /** `count` records of EVENT_SIZE_BYTES, back to back from byte 0. */
  readonly view: DataView;
}

export function eventOffset(index: number): number {
  return index * EVENT_SIZE_BYTES;
}

export function eventSeqAt(batch: EventBatch, index: number): number {
  return readU64(batch.view, index * EVENT_SIZE_BYTES + SEQ_OFFSET_BYTES);
}

export function eventTimeUsAt(batch: EventBatch, index: number): number {
  return readU64(batch.view, index * EVENT_SIZE_BYTES + TIME_US_OFFSET_BYTES);
}
