// Reads the few RecordBatch header fields the endpoint needs from batches it has already
// validated, plus the one record-level lookup it does (the first record at or after a time).

import { readI32BE, readSafeI64BE } from '../../bytes.ts';
import { BASE_OFFSET_POS, LAST_OFFSET_DELTA_POS, MAX_TIMESTAMP_POS, type BatchFormat } from '../../record-batch.ts';
import { decodeBatch } from '../../record-batch-decode.ts';
import { readRecordTimeUs, timeUsToMs } from '../../record-layout.ts';

export function batchLastOffset(bytes: Uint8Array, pos: number): number {
  return readSafeI64BE(bytes, pos + BASE_OFFSET_POS) + readI32BE(bytes, pos + LAST_OFFSET_DELTA_POS);
}

export function batchMaxTimestampMs(bytes: Uint8Array, pos: number): number {
  return readSafeI64BE(bytes, pos + MAX_TIMESTAMP_POS);
}

/**
 * The first record of the batch at `pos` whose timestamp is at least `timestampMs`. The journal's
 * record timestamps are those of the times inside the values (decodeBatch checks it).
 */
export function firstRecordAtOrAfter(
  bytes: Uint8Array,
  pos: number,
  format: BatchFormat,
  timestampMs: number,
  valuePositions: Int32Array,
): { offset: number; timestampMs: number } | null {
  const batch = decodeBatch(bytes, pos, format, valuePositions);
  for (let index = 0; index < batch.recordCount; index++) {
    const recordTimestampMs = timeUsToMs(readRecordTimeUs(bytes, valuePositions[index]!, format.layout));
    if (recordTimestampMs >= timestampMs) return { offset: batch.baseOffset + index, timestampMs: recordTimestampMs };
  }
  return null;
}
