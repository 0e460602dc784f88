// A journal written through the real durable core (commands, events, group commits of chosen
// sizes, the risk-on stream with a jittering clock so timestamps are real milliseconds), what a
// Kafka consumer must see for it (offsets, values, timestamps, headers, batch boundaries, read
// from the files with the journal's own readers), and appends to it while a consumer watches.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_RECORD_SIZE_BYTES, EVENT_RECORD_LAYOUT } from '../../../journal/core-records.ts';
import { DurableCore } from '../../../journal/durable-core.ts';
import { readEventLog } from '../../../journal/event-log-reader.ts';
import { scanJournal } from '../../../journal/journal-scan.ts';
import { commandLayout, readRecordSeq, readRecordTimeUs, timeUsToMs } from '../../../journal/record-layout.ts';
import { RISK_ENGINE_CONFIG, riskCommand, streamClockUs } from '../command-streams.ts';

export const SEED = 11;
/** Mixed group-commit sizes: single records, odd sizes, and the largest batch the journal writes. */
export const BATCH_SIZES = [1, 3, 17, 250, 5, 4096, 2, 60, 1, 999, 33] as const;
const COMMAND_LAYOUT = commandLayout(COMMAND_RECORD_SIZE_BYTES);

export interface ExpectedRecord {
  readonly offset: number;
  readonly timestampMs: number;
  readonly value: Buffer;
  /** The command seq: the offset itself for commands, the `journal-seq` header for events. */
  readonly journalSeq: number;
}

export interface BatchBounds {
  readonly baseOffset: number;
  readonly recordCount: number;
}

function openCore(dir: string, seqFirst: number, segmentSizeBytesMax: number | undefined): DurableCore {
  return DurableCore.open({
    dir,
    clockUs: streamClockUs(SEED, seqFirst),
    engineConfig: RISK_ENGINE_CONFIG,
    batchCommandsMax: 4096,
    segmentDisposal: { kind: 'keep' },
    ...(segmentSizeBytesMax === undefined ? {} : { segmentSizeBytesMax }),
  });
}

/** Commits one group commit of each size in `batchSizes`, continuing the journal in `dir`. */
export async function appendBatches(dir: string, batchSizes: readonly number[], segmentSizeBytesMax?: number): Promise<number> {
  const existing = scanJournal(dir, { recordSizeBytes: COMMAND_RECORD_SIZE_BYTES, truncateTail: false });
  const seqFirst = existing.seqLast + 1;
  const core = openCore(dir, seqFirst, segmentSizeBytesMax);
  try {
    let seq = seqFirst;
    for (const size of batchSizes) {
      for (let index = 0; index < size; index++) {
        if (!core.enqueue(riskCommand(SEED, seq++))) throw new Error('queue full');
      }
      while (core.queuedCount > 0) core.commit();
    }
    return core.seqDurable;
  } finally {
    await core.close();
  }
}

export function commandRecords(dir: string): ExpectedRecord[] {
  const records: ExpectedRecord[] = [];
  scanJournal(dir, {
    recordSizeBytes: COMMAND_RECORD_SIZE_BYTES,
    truncateTail: false,
    onRecord: (bytes, pos, seq) => {
      const value = Buffer.from(bytes.subarray(pos, pos + COMMAND_RECORD_SIZE_BYTES));
      records.push({ offset: seq, timestampMs: timeUsToMs(readRecordTimeUs(value, 0, COMMAND_LAYOUT)), value, journalSeq: seq });
    },
  });
  return records;
}

export function eventRecords(dir: string): ExpectedRecord[] {
  const records: ExpectedRecord[] = [];
  const size = EVENT_RECORD_LAYOUT.sizeBytes;
  readEventLog(dir, (bytes, pos, eventIndex) => {
    const value = Buffer.from(bytes.subarray(pos, pos + size));
    records.push({
      offset: eventIndex,
      timestampMs: timeUsToMs(readRecordTimeUs(value, 0, EVENT_RECORD_LAYOUT)),
      value,
      journalSeq: readRecordSeq(value, 0, EVENT_RECORD_LAYOUT),
    });
  });
  return records;
}

export function expectedRecords(dir: string, topic: string): ExpectedRecord[] {
  return topic === 'commands' ? commandRecords(dir) : eventRecords(dir);
}

/** Batch boundaries straight from the segment headers (baseOffset at 0, recordsCount at 57). */
export function batchBounds(dir: string, topic: string): BatchBounds[] {
  const bounds: BatchBounds[] = [];
  const topicDir = join(dir, topic);
  for (const name of readdirSync(topicDir).sort()) {
    const bytes = readFileSync(join(topicDir, name));
    for (let pos = 0; pos < bytes.length; pos += 12 + bytes.readInt32BE(pos + 8)) {
      bounds.push({ baseOffset: Number(bytes.readBigInt64BE(pos)), recordCount: bytes.readInt32BE(pos + 57) });
    }
  }
  return bounds;
}

/** An offset strictly inside a batch of at least three records. */
export function midBatchOffset(dir: string, topic: string): number {
  const batch = batchBounds(dir, topic).find((bounds) => bounds.recordCount >= 3 && bounds.baseOffset > 0);
  if (batch === undefined) throw new Error(`no batch of 3+ records in ${topic}`);
  return batch.baseOffset + 1;
}
