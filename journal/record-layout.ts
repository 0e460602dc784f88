// Where the journal finds a record's sequence and time. The journal treats records as opaque
// fixed-size bytes; it reads only these two fields (and, for commands, the type byte) so that the
// engine's schema stays the single owner of the format.

import { readSafeU64LE } from './bytes.ts';

export interface RecordLayout {
  readonly sizeBytes: number;
  /** u64 little-endian: the command seq (for events, the seq of the command that caused them). */
  readonly seqOffsetBytes: number;
  /** u64 little-endian microseconds since the Unix epoch. */
  readonly timeUsOffsetBytes: number;
}

/** Offsets fixed by the engine's command schema (byte 0 = type, 8..15 = seq, 16..23 = timeUs). */
export const COMMAND_TYPE_OFFSET_BYTES = 0;
export const COMMAND_SEQ_OFFSET_BYTES = 8;
export const COMMAND_TIME_US_OFFSET_BYTES = 16;
/** A record must at least hold the fields above. */
export const RECORD_SIZE_BYTES_MIN = 24;
/** Bounded so that a batch always holds many records within BATCH_SIZE_BYTES_MAX. */
export const RECORD_SIZE_BYTES_MAX = 64 * 1024;
const US_PER_MS = 1000;

export function commandLayout(sizeBytes: number): RecordLayout {
  return { sizeBytes, seqOffsetBytes: COMMAND_SEQ_OFFSET_BYTES, timeUsOffsetBytes: COMMAND_TIME_US_OFFSET_BYTES };
}

/** Throws RangeError when the layout cannot describe a fixed-size record holding seq and time. */
export function assertRecordLayout(layout: RecordLayout): void {
  const { sizeBytes, seqOffsetBytes, timeUsOffsetBytes } = layout;
  if (!Number.isInteger(sizeBytes) || sizeBytes < RECORD_SIZE_BYTES_MIN || sizeBytes > RECORD_SIZE_BYTES_MAX) {
    throw new RangeError(`record size ${sizeBytes} bytes outside [${RECORD_SIZE_BYTES_MIN}, ${RECORD_SIZE_BYTES_MAX}]`);
  }
  for (const offsetBytes of [seqOffsetBytes, timeUsOffsetBytes]) {
    if (!Number.isInteger(offsetBytes) || offsetBytes < 0 || offsetBytes + 8 > sizeBytes) {
      throw new RangeError(`field offset ${offsetBytes} does not fit a ${sizeBytes}-byte record`);
    }
  }
}

/** NaN when the stored value is not a safe integer. */
export function readRecordSeq(bytes: Uint8Array, recordOffsetBytes: number, layout: RecordLayout): number {
  return readSafeU64LE(bytes, recordOffsetBytes + layout.seqOffsetBytes);
}

/** NaN when the stored value is not a safe integer. */
export function readRecordTimeUs(bytes: Uint8Array, recordOffsetBytes: number, layout: RecordLayout): number {
  return readSafeU64LE(bytes, recordOffsetBytes + layout.timeUsOffsetBytes);
}

/** Kafka timestamps are milliseconds: floor(timeUs / 1000). */
export function timeUsToMs(timeUs: number): number {
  return Math.floor(timeUs / US_PER_MS);
}
