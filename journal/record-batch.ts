// Kafka RecordBatch v2 (magic 2) layout and encoder for fixed-size records, written so that a Kafka
// consumer can be served the file bytes unchanged (see shared/research/kafka-compat.md §2).
//
// Profile (what the journal writes and the decoder insists on): no compression, CreateTime,
// partitionLeaderEpoch 0, producer fields -1, null keys, value = one record, record timestamp =
// floor(timeUs / 1000) of that record. Commands carry no header: the Kafka offset already is the
// seq, and the value holds it too, so a header would add ~21 bytes per record for nothing; a
// shipper to a real cluster adds `journal-seq` itself (its broker assigns other offsets). Event
// batches use offsets = event index and carry exactly one header, `journal-seq` (8 bytes,
// big-endian), the seq of the command that caused the event, so downstream readers can join
// events to commands without knowing the event schema.

import { crc32c } from '@node-rs/crc32';
import { writeI16BE, writeI64BE, writeU32BE } from './bytes.ts';
import { readRecordTimeUs, timeUsToMs, type RecordLayout } from './record-layout.ts';
import { VARINT_SIZE_BYTES_MAX, VARLONG_SIZE_BYTES_MAX, varintSizeBytes, writeVarint } from './varint.ts';

export const BATCH_MAGIC = 2;
export const BASE_OFFSET_POS = 0;
export const BATCH_LENGTH_POS = 8;
export const LEADER_EPOCH_POS = 12;
export const MAGIC_POS = 16;
export const CRC_POS = 17;
export const ATTRIBUTES_POS = 21;
export const LAST_OFFSET_DELTA_POS = 23;
export const BASE_TIMESTAMP_POS = 27;
export const MAX_TIMESTAMP_POS = 35;
export const PRODUCER_ID_POS = 43;
export const PRODUCER_EPOCH_POS = 51;
export const BASE_SEQUENCE_POS = 53;
export const RECORDS_COUNT_POS = 57;
export const BATCH_HEADER_SIZE_BYTES = 61;
/** baseOffset and batchLength precede what batchLength counts (Kafka's LOG_OVERHEAD). */
export const BATCH_LENGTH_OVERHEAD_BYTES = 12;
/** The CRC covers attributes through the end, so offsets and epoch can be stamped later. */
export const CRC_START_POS = ATTRIBUTES_POS;
/** batchLength of a batch with no records. */
export const BATCH_LENGTH_MIN = BATCH_HEADER_SIZE_BYTES - BATCH_LENGTH_OVERHEAD_BYTES;
/** Group commits are bounded so every Kafka client's default fetch size takes a whole batch. */
export const BATCH_SIZE_BYTES_MAX = 1024 * 1024;
export const BATCH_RECORDS_MAX = 4096;
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const SEQ_HEADER_KEY = 'journal-seq';
export const SEQ_HEADER_KEY_BYTES: Uint8Array = new TextEncoder().encode(SEQ_HEADER_KEY);
export const SEQ_HEADER_VALUE_SIZE_BYTES = 8;
const NULL_LENGTH = -1;
/** keyLength varint of -1 (null key). */
const NULL_KEY_SIZE_BYTES = 1;
const RECORD_ATTRIBUTES_SIZE_BYTES = 1;

export interface BatchFormat {
  readonly layout: RecordLayout;
  /** Events carry the `journal-seq` header; commands carry none. */
  readonly seqHeader: boolean;
}

/** Size of the header section of one record, header count included. */
export function headersSizeBytes(format: BatchFormat): number {
  if (!format.seqHeader) return varintSizeBytes(0);
  return (
    varintSizeBytes(1) +
    varintSizeBytes(SEQ_HEADER_KEY_BYTES.length) +
    SEQ_HEADER_KEY_BYTES.length +
    varintSizeBytes(SEQ_HEADER_VALUE_SIZE_BYTES) +
    SEQ_HEADER_VALUE_SIZE_BYTES
  );
}

/** Upper bound of one encoded record (its varints at their widest). */
export function recordSizeBytesMax(format: BatchFormat): number {
  const valueSizeBytes = format.layout.sizeBytes;
  const bodySizeBytes =
    RECORD_ATTRIBUTES_SIZE_BYTES +
    VARLONG_SIZE_BYTES_MAX +
    varintSizeBytes(BATCH_RECORDS_MAX - 1) +
    NULL_KEY_SIZE_BYTES +
    varintSizeBytes(valueSizeBytes) +
    valueSizeBytes +
    headersSizeBytes(format);
  return VARINT_SIZE_BYTES_MAX + bodySizeBytes;
}

/** How many records one batch may hold so that it never exceeds BATCH_SIZE_BYTES_MAX. */
export function batchRecordsMax(format: BatchFormat): number {
  const fitting = Math.floor((BATCH_SIZE_BYTES_MAX - BATCH_HEADER_SIZE_BYTES) / recordSizeBytesMax(format));
  return Math.min(BATCH_RECORDS_MAX, fitting);
}

/** Buffer size that holds any batch of up to `recordCount` records. */
export function batchSizeBytesMax(recordCount: number, format: BatchFormat): number {
  return BATCH_HEADER_SIZE_BYTES + recordCount * recordSizeBytesMax(format);
}

/**
 * Encodes `count` contiguous fixed-size records from `records` as one batch at the start of
 * `target` and returns its size in bytes. The caller has checked the records (seq, time) and sized
 * `target` with batchSizeBytesMax; nothing is allocated per record.
 */
export function encodeBatch(
  target: Uint8Array,
  records: Uint8Array,
  count: number,
  format: BatchFormat,
  baseOffset: number,
): number {
  const layout = format.layout;
  const valueSizeBytes = layout.sizeBytes;
  const headersSize = headersSizeBytes(format);
  // A Buffer view of the source gives native copies without a subarray per record.
  const source = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  const baseTimestampMs = timeUsToMs(readRecordTimeUs(records, 0, layout));
  let maxTimestampMs = baseTimestampMs;
  let pos = BATCH_HEADER_SIZE_BYTES;
  for (let index = 0; index < count; index++) {
    const valuePos = index * valueSizeBytes;
    const timestampMs = timeUsToMs(readRecordTimeUs(records, valuePos, layout));
    if (timestampMs > maxTimestampMs) maxTimestampMs = timestampMs;
    const timestampDeltaMs = timestampMs - baseTimestampMs;
    const bodySizeBytes =
      RECORD_ATTRIBUTES_SIZE_BYTES +
      varintSizeBytes(timestampDeltaMs) +
      varintSizeBytes(index) +
      NULL_KEY_SIZE_BYTES +
      varintSizeBytes(valueSizeBytes) +
      valueSizeBytes +
      headersSize;
    pos = writeVarint(target, pos, bodySizeBytes);
    target[pos++] = 0;
    pos = writeVarint(target, pos, timestampDeltaMs);
    pos = writeVarint(target, pos, index);
    pos = writeVarint(target, pos, NULL_LENGTH);
    pos = writeVarint(target, pos, valueSizeBytes);
    pos += source.copy(target, pos, valuePos, valuePos + valueSizeBytes);
    if (format.seqHeader) {
      pos = writeVarint(target, pos, 1);
      pos = writeVarint(target, pos, SEQ_HEADER_KEY_BYTES.length);
      target.set(SEQ_HEADER_KEY_BYTES, pos);
      pos += SEQ_HEADER_KEY_BYTES.length;
      pos = writeVarint(target, pos, SEQ_HEADER_VALUE_SIZE_BYTES);
      // The record stores its seq little-endian; Kafka headers are read as big-endian numbers.
      const seqPos = valuePos + layout.seqOffsetBytes;
      for (let byte = 0; byte < SEQ_HEADER_VALUE_SIZE_BYTES; byte++) target[pos + byte] = records[seqPos + 7 - byte]!;
      pos += SEQ_HEADER_VALUE_SIZE_BYTES;
    } else {
      pos = writeVarint(target, pos, 0);
    }
  }
  writeI64BE(target, BASE_OFFSET_POS, baseOffset);
  writeU32BE(target, BATCH_LENGTH_POS, pos - BATCH_LENGTH_OVERHEAD_BYTES);
  writeU32BE(target, LEADER_EPOCH_POS, 0);
  target[MAGIC_POS] = BATCH_MAGIC;
  writeI16BE(target, ATTRIBUTES_POS, 0);
  writeU32BE(target, LAST_OFFSET_DELTA_POS, count - 1);
  writeI64BE(target, BASE_TIMESTAMP_POS, baseTimestampMs);
  writeI64BE(target, MAX_TIMESTAMP_POS, maxTimestampMs);
  writeI64BE(target, PRODUCER_ID_POS, NO_PRODUCER_ID);
  writeI16BE(target, PRODUCER_EPOCH_POS, NO_PRODUCER_EPOCH);
  writeU32BE(target, BASE_SEQUENCE_POS, NO_SEQUENCE >>> 0);
  writeU32BE(target, RECORDS_COUNT_POS, count);
  writeU32BE(target, CRC_POS, crc32c(target.subarray(CRC_START_POS, pos)));
  return pos;
}
