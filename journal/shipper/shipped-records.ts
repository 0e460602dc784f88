// Turns journal batches (as the TopicLog serves them) into the records the shipper produces: the
// value unchanged, no key, the record's timestamp, and headers that survive the broker assigning
// its own offsets: `journal-seq` (the command seq; for events, the seq of the command that caused
// them) and, for events, `event-index` (their offset in the journal's event log). Both are 8-byte
// big-endian, like the journal's own `journal-seq` header.

import type { Message } from 'kafkajs';
import { BATCH_RECORDS_MAX, SEQ_HEADER_KEY, type BatchFormat } from '../record-batch.ts';
import { batchSizeBytesAt, decodeBatch } from '../record-batch-decode.ts';
import { readRecordSeq, readRecordTimeUs, timeUsToMs } from '../record-layout.ts';

export const EVENT_INDEX_HEADER_KEY = 'event-index';
const HEADER_VALUE_SIZE_BYTES = 8;

function headerValue(value: number): Buffer {
  const bytes = Buffer.alloc(HEADER_VALUE_SIZE_BYTES);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

export function readHeaderValue(bytes: Buffer | string | undefined): number {
  if (!Buffer.isBuffer(bytes) || bytes.length !== HEADER_VALUE_SIZE_BYTES) return NaN;
  return Number(bytes.readBigUInt64BE());
}

/** The records of `batches` at offsets >= `offsetFrom`, at most `countMax` of them. */
export function shippedRecords(batches: Buffer, format: BatchFormat, offsetFrom: number, countMax: number): Message[] {
  const positions = new Int32Array(BATCH_RECORDS_MAX);
  const messages: Message[] = [];
  let pos = 0;
  while (pos < batches.length && messages.length < countMax) {
    const batch = decodeBatch(batches, pos, format, positions);
    for (let index = 0; index < batch.recordCount && messages.length < countMax; index++) {
      const offset = batch.baseOffset + index;
      if (offset < offsetFrom) continue;
      const valuePos = positions[index]!;
      const value = batches.subarray(valuePos, valuePos + format.layout.sizeBytes);
      const headers: Record<string, Buffer> = { [SEQ_HEADER_KEY]: headerValue(readRecordSeq(batches, valuePos, format.layout)) };
      if (format.seqHeader) headers[EVENT_INDEX_HEADER_KEY] = headerValue(offset);
      messages.push({ value, timestamp: String(timeUsToMs(readRecordTimeUs(batches, valuePos, format.layout))), headers, partition: 0 });
    }
    pos += batchSizeBytesAt(batches, pos);
  }
  return messages;
}
