// The command journal's writer: one Kafka batch per group commit, one write call, one fdatasync,
// then seqDurable moves. It runs synchronously in the journal worker thread; the caller publishes
// seqDurable to the rest of the pipeline.

import { join } from 'node:path';
import { JournalAppendError, JournalStateError } from './errors.ts';
import { nodeFsOps, type FsOps } from './fs-ops.ts';
import { batchRecordsMax, batchSizeBytesMax, encodeBatch, type BatchFormat } from './record-batch.ts';
import {
  COMMAND_TYPE_OFFSET_BYTES,
  assertRecordLayout,
  commandLayout,
  readRecordSeq,
  readRecordTimeUs,
} from './record-layout.ts';
import { SegmentAppender } from './segment-appender.ts';
import { COMMANDS_DIR_NAME, SEGMENT_SIZE_BYTES_DEFAULT, listSegments } from './segment-files.ts';
import type { JournalScanReport } from './journal-scan.ts';

/** `none` skips fdatasync and directory syncs: for benchmarks only, nothing is durable. */
export type Durability = 'fsync' | 'none';

export interface JournalWriterOptions {
  /** The journal root; segments go to `<dir>/commands/`. */
  readonly dir: string;
  readonly recordSizeBytes: number;
  /** What scanJournal found (and repaired); the writer continues exactly there. */
  readonly recovered: JournalScanReport;
  /** The first seq of an empty journal; ignored when the journal has segments. Default 1. */
  readonly seqFirst?: number;
  readonly durability?: Durability;
  readonly segmentSizeBytesMax?: number;
  readonly fsOps?: FsOps;
}

const SEQ_FIRST_DEFAULT = 1;

export class JournalWriter {
  readonly recordSizeBytes: number;
  /** The largest `count` append accepts (bounded by BATCH_RECORDS_MAX and BATCH_SIZE_BYTES_MAX). */
  readonly batchRecordsMax: number;
  readonly durability: Durability;
  readonly #format: BatchFormat;
  readonly #appender: SegmentAppender;
  /** Reused for every batch: sized once for the largest batch. */
  readonly #batchBuffer: Buffer;
  #seqDurable: number;

  private constructor(options: JournalWriterOptions, appender: SegmentAppender, seqLast: number) {
    this.recordSizeBytes = options.recordSizeBytes;
    this.durability = options.durability ?? 'fsync';
    this.#format = { layout: commandLayout(options.recordSizeBytes), seqHeader: false };
    this.batchRecordsMax = batchRecordsMax(this.#format);
    this.#batchBuffer = Buffer.alloc(batchSizeBytesMax(this.batchRecordsMax, this.#format));
    this.#appender = appender;
    this.#seqDurable = seqLast;
  }

  static open(options: JournalWriterOptions): JournalWriter {
    assertRecordLayout(commandLayout(options.recordSizeBytes));
    const fsOps = options.fsOps ?? nodeFsOps;
    const dirPath = join(options.dir, COMMANDS_DIR_NAME);
    const tail = options.recovered.tail;
    if (tail === null && listSegments(fsOps, dirPath).length > 0) {
      throw new JournalStateError(dirPath, 'segments exist but the recovery report says the journal is empty; scan again');
    }
    const seqFirst = options.seqFirst ?? SEQ_FIRST_DEFAULT;
    if (!Number.isSafeInteger(seqFirst) || seqFirst < 1) throw new RangeError(`seqFirst ${seqFirst} must be a positive safe integer`);
    const appender = new SegmentAppender({
      fsOps,
      dirPath,
      segmentSizeBytesMax: options.segmentSizeBytesMax ?? SEGMENT_SIZE_BYTES_DEFAULT,
      durable: (options.durability ?? 'fsync') === 'fsync',
      tail: tail === null ? null : { path: tail.path, offsetFirst: tail.seqFirst, endBytes: tail.endBytes },
    });
    return new JournalWriter(options, appender, tail === null ? seqFirst - 1 : tail.seqLast);
  }

  /** The highest seq that is on disk and, with durability `fsync`, fdatasync'ed. */
  get seqDurable(): number {
    return this.#seqDurable;
  }

  /** The segment being appended to. */
  get segmentPath(): string {
    return this.#appender.path;
  }

  /**
   * Journals `count` contiguous records from the start of `records` (seqs seqDurable+1, +2, ...)
   * as one batch with one write and one fdatasync; returns the new seqDurable. Throws
   * JournalAppendError (nothing written) or JournalWriteError (writer failed, nothing acknowledged).
   */
  append(records: Uint8Array, count: number): number {
    this.#check(records, count);
    const seqFirst = this.#seqDurable + 1;
    const sizeBytes = encodeBatch(this.#batchBuffer, records, count, this.#format, seqFirst);
    this.#appender.append(this.#batchBuffer, sizeBytes, seqFirst);
    this.#seqDurable = seqFirst + count - 1;
    return this.#seqDurable;
  }

  close(): void {
    this.#appender.close();
  }

  #check(records: Uint8Array, count: number): void {
    const path = this.#appender.path;
    const seqFirst = this.#seqDurable + 1;
    const reject = (reason: JournalAppendError['reason'], index: number, seqFound: number, detail: string): never => {
      throw new JournalAppendError(path, reason, index, seqFirst + index, seqFound, detail);
    };
    if (!Number.isInteger(count) || count < 1 || count > this.batchRecordsMax) {
      reject('count', 0, NaN, `count ${count} outside [1, ${this.batchRecordsMax}]`);
    }
    if (records.length < count * this.recordSizeBytes) {
      reject('recordsLength', 0, NaN, `${records.length} bytes cannot hold ${count} records of ${this.recordSizeBytes} bytes`);
    }
    const layout = this.#format.layout;
    for (let index = 0; index < count; index++) {
      const recordPos = index * this.recordSizeBytes;
      const seq = readRecordSeq(records, recordPos, layout);
      if (seq !== seqFirst + index) reject('seq', index, seq, 'seqs must continue the journal without gaps');
      if (records[recordPos + COMMAND_TYPE_OFFSET_BYTES] === 0) reject('commandType', index, seq, 'command type 0 is never valid');
      const timeUs = readRecordTimeUs(records, recordPos, layout);
      if (Number.isNaN(timeUs)) reject('timeUs', index, seq, 'timeUs is not a safe integer');
    }
  }
}
