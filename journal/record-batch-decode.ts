// Strict decoder for batches written by encodeBatch: every header field, the CRC and every record
// are checked, and each violation has its own BatchDefect so fault-injection tests can tell them
// apart. A batch is validated completely before any of its records is handed out.

import { crc32c } from '@node-rs/crc32';
import { readI16BE, readI32BE, readSafeI64BE, readU32BE } from './bytes.ts';
import { BatchDecodeError } from './errors.ts';
import {
  ATTRIBUTES_POS,
  BASE_OFFSET_POS,
  BASE_SEQUENCE_POS,
  BASE_TIMESTAMP_POS,
  BATCH_HEADER_SIZE_BYTES,
  BATCH_LENGTH_MIN,
  BATCH_LENGTH_OVERHEAD_BYTES,
  BATCH_LENGTH_POS,
  BATCH_MAGIC,
  BATCH_RECORDS_MAX,
  BATCH_SIZE_BYTES_MAX,
  CRC_POS,
  CRC_START_POS,
  LAST_OFFSET_DELTA_POS,
  LEADER_EPOCH_POS,
  MAGIC_POS,
  MAX_TIMESTAMP_POS,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  PRODUCER_EPOCH_POS,
  PRODUCER_ID_POS,
  RECORDS_COUNT_POS,
  SEQ_HEADER_KEY_BYTES,
  SEQ_HEADER_VALUE_SIZE_BYTES,
  type BatchFormat,
} from './record-batch.ts';
import { readRecordSeq, readRecordTimeUs, timeUsToMs } from './record-layout.ts';
import { VarintError, readVarint, readVarlong, type ByteCursor } from './varint.ts';

export interface DecodedBatch {
  readonly baseOffset: number;
  readonly recordCount: number;
  readonly sizeBytes: number;
  readonly baseTimestampMs: number;
  readonly maxTimestampMs: number;
}

const NULL_LENGTH = -1;

/**
 * Total size (12 + batchLength) of the batch at `pos`, whose first 12 bytes must be present.
 * Throws BatchDecodeError('length') when batchLength is out of range.
 */
export function batchSizeBytesAt(bytes: Uint8Array, pos: number): number {
  const batchLength = readI32BE(bytes, pos + BATCH_LENGTH_POS);
  if (batchLength < BATCH_LENGTH_MIN || batchLength > BATCH_SIZE_BYTES_MAX - BATCH_LENGTH_OVERHEAD_BYTES) {
    throw new BatchDecodeError(
      'length',
      BATCH_LENGTH_POS,
      `batchLength ${batchLength} outside [${BATCH_LENGTH_MIN}, ${BATCH_SIZE_BYTES_MAX - BATCH_LENGTH_OVERHEAD_BYTES}]`,
    );
  }
  return BATCH_LENGTH_OVERHEAD_BYTES + batchLength;
}

function fail(defect: BatchDecodeError['defect'], offsetInBatchBytes: number, detail: string): never {
  throw new BatchDecodeError(defect, offsetInBatchBytes, detail);
}

function checkHeader(bytes: Uint8Array, start: number, end: number): void {
  const magic = bytes[start + MAGIC_POS]!;
  if (magic !== BATCH_MAGIC) fail('magic', MAGIC_POS, `magic ${magic}, expected ${BATCH_MAGIC}`);
  const crcStored = readU32BE(bytes, start + CRC_POS);
  const crcComputed = crc32c(bytes.subarray(start + CRC_START_POS, end));
  if (crcStored !== crcComputed) {
    fail('crc', CRC_POS, `stored ${crcStored.toString(16)}, computed ${crcComputed.toString(16)}`);
  }
  const attributes = readI16BE(bytes, start + ATTRIBUTES_POS);
  if (attributes !== 0) fail('attributes', ATTRIBUTES_POS, `attributes ${attributes}, expected 0`);
  const leaderEpoch = readI32BE(bytes, start + LEADER_EPOCH_POS);
  if (leaderEpoch !== 0) fail('leaderEpoch', LEADER_EPOCH_POS, `partitionLeaderEpoch ${leaderEpoch}, expected 0`);
  const producerId = readSafeI64BE(bytes, start + PRODUCER_ID_POS);
  const producerEpoch = readI16BE(bytes, start + PRODUCER_EPOCH_POS);
  const baseSequence = readI32BE(bytes, start + BASE_SEQUENCE_POS);
  if (producerId !== NO_PRODUCER_ID || producerEpoch !== NO_PRODUCER_EPOCH || baseSequence !== NO_SEQUENCE) {
    fail('producer', PRODUCER_ID_POS, `producer ${producerId}/${producerEpoch}/${baseSequence}, expected -1/-1/-1`);
  }
}

function checkSeqHeader(bytes: Uint8Array, cursor: ByteCursor, recordEnd: number, seqPos: number): void {
  const headerPos = cursor.pos;
  const keyLength = readVarint(cursor, recordEnd);
  if (keyLength !== SEQ_HEADER_KEY_BYTES.length || cursor.pos + keyLength > recordEnd) {
    fail('headers', headerPos, `header key length ${keyLength}`);
  }
  for (let index = 0; index < keyLength; index++) {
    if (bytes[cursor.pos + index] !== SEQ_HEADER_KEY_BYTES[index]) fail('headers', headerPos, 'header key is not journal-seq');
  }
  cursor.pos += keyLength;
  const valueLength = readVarint(cursor, recordEnd);
  if (valueLength !== SEQ_HEADER_VALUE_SIZE_BYTES || cursor.pos + valueLength > recordEnd) {
    fail('headers', headerPos, `header value length ${valueLength}`);
  }
  for (let index = 0; index < SEQ_HEADER_VALUE_SIZE_BYTES; index++) {
    if (bytes[cursor.pos + index] !== bytes[seqPos + 7 - index]) fail('seq', headerPos, 'journal-seq header differs from the value');
  }
  cursor.pos += SEQ_HEADER_VALUE_SIZE_BYTES;
}

function decodeRecords(
  bytes: Uint8Array,
  start: number,
  end: number,
  format: BatchFormat,
  baseOffset: number,
  recordCount: number,
  valuePositionsOut: Int32Array,
): number {
  const layout = format.layout;
  const baseTimestampMs = readSafeI64BE(bytes, start + BASE_TIMESTAMP_POS);
  let maxTimestampMs = Number.NEGATIVE_INFINITY;
  const cursor: ByteCursor = { bytes, pos: start + BATCH_HEADER_SIZE_BYTES };
  for (let index = 0; index < recordCount; index++) {
    const recordPos = cursor.pos;
    if (recordPos >= end) fail('recordCount', RECORDS_COUNT_POS, `${recordCount} records declared, ${index} present`);
    const bodySizeBytes = readVarint(cursor, end);
    const recordEnd = cursor.pos + bodySizeBytes;
    if (bodySizeBytes < 1 || recordEnd > end) fail('recordLength', recordPos - start, `record length ${bodySizeBytes}`);
    const recordAttributes = bytes[cursor.pos++]!;
    if (recordAttributes !== 0) fail('recordAttributes', recordPos - start, `record attributes ${recordAttributes}`);
    const timestampDeltaMs = readVarlong(cursor, recordEnd);
    const offsetDelta = readVarint(cursor, recordEnd);
    if (offsetDelta !== index) fail('offsetDelta', recordPos - start, `offsetDelta ${offsetDelta}, expected ${index}`);
    const keyLength = readVarint(cursor, recordEnd);
    if (keyLength !== NULL_LENGTH) fail('key', recordPos - start, `key length ${keyLength}, expected null`);
    const valueLength = readVarint(cursor, recordEnd);
    const valuePos = cursor.pos;
    if (valueLength !== layout.sizeBytes || valuePos + valueLength > recordEnd) {
      fail('valueLength', recordPos - start, `value length ${valueLength}, expected ${layout.sizeBytes}`);
    }
    cursor.pos += valueLength;
    const timestampMs = baseTimestampMs + timestampDeltaMs;
    const timeUs = readRecordTimeUs(bytes, valuePos, layout);
    if (Number.isNaN(timeUs) || timestampMs !== timeUsToMs(timeUs)) {
      fail('timestamp', recordPos - start, `record timestamp ${timestampMs} ms, value time ${timeUs} us`);
    }
    if (timestampMs > maxTimestampMs) maxTimestampMs = timestampMs;
    const headerCount = readVarint(cursor, recordEnd);
    if (headerCount !== (format.seqHeader ? 1 : 0)) fail('headers', recordPos - start, `header count ${headerCount}`);
    if (format.seqHeader) {
      checkSeqHeader(bytes, cursor, recordEnd, valuePos + layout.seqOffsetBytes);
    } else if (readRecordSeq(bytes, valuePos, layout) !== baseOffset + index) {
      fail('seq', recordPos - start, `value seq ${readRecordSeq(bytes, valuePos, layout)}, offset ${baseOffset + index}`);
    }
    if (cursor.pos !== recordEnd) fail('recordLength', recordPos - start, `record length ${bodySizeBytes} disagrees with its fields`);
    valuePositionsOut[index] = valuePos;
  }
  if (cursor.pos !== end) fail('recordCount', RECORDS_COUNT_POS, `bytes remain after ${recordCount} records`);
  return maxTimestampMs;
}

/**
 * Validates the whole batch at `pos` (all of it must be inside `bytes`) and stores the position of
 * each record's value in `valuePositionsOut` (length >= BATCH_RECORDS_MAX). Throws BatchDecodeError.
 */
export function decodeBatch(bytes: Uint8Array, pos: number, format: BatchFormat, valuePositionsOut: Int32Array): DecodedBatch {
  if (bytes.length - pos < BATCH_LENGTH_OVERHEAD_BYTES) fail('truncated', 0, `${bytes.length - pos} bytes, no batch header`);
  const sizeBytes = batchSizeBytesAt(bytes, pos);
  const end = pos + sizeBytes;
  if (end > bytes.length) fail('truncated', BATCH_LENGTH_POS, `batch of ${sizeBytes} bytes, ${bytes.length - pos} present`);
  checkHeader(bytes, pos, end);
  const baseOffset = readSafeI64BE(bytes, pos + BASE_OFFSET_POS);
  if (!(baseOffset >= 0)) fail('baseOffset', BASE_OFFSET_POS, `baseOffset ${baseOffset} is not a non-negative safe integer`);
  const recordCount = readI32BE(bytes, pos + RECORDS_COUNT_POS);
  if (recordCount < 1 || recordCount > BATCH_RECORDS_MAX) {
    fail('recordCount', RECORDS_COUNT_POS, `record count ${recordCount} outside [1, ${BATCH_RECORDS_MAX}]`);
  }
  if (valuePositionsOut.length < recordCount) throw new RangeError(`valuePositionsOut holds ${valuePositionsOut.length} < ${recordCount}`);
  const lastOffsetDelta = readI32BE(bytes, pos + LAST_OFFSET_DELTA_POS);
  if (lastOffsetDelta !== recordCount - 1) {
    fail('lastOffsetDelta', LAST_OFFSET_DELTA_POS, `lastOffsetDelta ${lastOffsetDelta} with ${recordCount} records`);
  }
  let maxTimestampMs: number;
  try {
    maxTimestampMs = decodeRecords(bytes, pos, end, format, baseOffset, recordCount, valuePositionsOut);
  } catch (error) {
    if (error instanceof VarintError) {
      const defect = error.defect === 'overflow' ? 'varintOverflow' : 'recordLength';
      fail(defect, error.positionBytes - pos, `malformed varint (${error.defect})`);
    }
    throw error;
  }
  const baseTimestampMs = readSafeI64BE(bytes, pos + BASE_TIMESTAMP_POS);
  const maxTimestampStoredMs = readSafeI64BE(bytes, pos + MAX_TIMESTAMP_POS);
  if (maxTimestampStoredMs !== maxTimestampMs) {
    fail('timestamp', MAX_TIMESTAMP_POS, `maxTimestamp ${maxTimestampStoredMs}, records reach ${maxTimestampMs}`);
  }
  return { baseOffset, recordCount, sizeBytes, baseTimestampMs, maxTimestampMs };
}
