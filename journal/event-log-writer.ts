// The derived event log: the engine's output events as Kafka batches in `<dir>/events/`, offsets
// = event index (dense from 0), each record carrying the `journal-seq` header (the seq of the
// command that caused it). No fsync on the hot path: everything here can be rebuilt from the
// command journal, and recoverEventLog cuts it back to what the journal recovered.

import { join } from 'node:path';
import { JournalAppendError, JournalStateError } from './errors.ts';
import { nodeFsOps, type FsOps } from './fs-ops.ts';
import { batchRecordsMax, batchSizeBytesMax, encodeBatch, type BatchFormat } from './record-batch.ts';
import { assertRecordLayout, readRecordSeq, readRecordTimeUs, type RecordLayout } from './record-layout.ts';
import { SegmentAppender } from './segment-appender.ts';
import { EVENTS_DIR_NAME, SEGMENT_SIZE_BYTES_DEFAULT, listSegments } from './segment-files.ts';
import type { EventLogRecovery } from './event-log-recovery.ts';

export interface EventLogWriterOptions {
  readonly dir: string;
  /** Fixed-size event records; seqOffsetBytes locates the causing command's seq inside an event. */
  readonly layout: RecordLayout;
  readonly recovered: EventLogRecovery;
  readonly segmentSizeBytesMax?: number;
  readonly fsOps?: FsOps;
}

export class EventLogWriter {
  /** Events per Kafka batch; append splits larger counts into several batches. */
  readonly batchRecordsMax: number;
  readonly #format: BatchFormat;
  readonly #appender: SegmentAppender;
  readonly #batchBuffer: Buffer;
  #eventIndexNext: number;
  #commandSeqLast: number;

  private constructor(options: EventLogWriterOptions, appender: SegmentAppender) {
    this.#format = { layout: options.layout, seqHeader: true };
    this.batchRecordsMax = batchRecordsMax(this.#format);
    this.#batchBuffer = Buffer.alloc(batchSizeBytesMax(this.batchRecordsMax, this.#format));
    this.#appender = appender;
    this.#eventIndexNext = options.recovered.eventIndexNext;
    this.#commandSeqLast = options.recovered.commandSeqLast;
  }

  static open(options: EventLogWriterOptions): EventLogWriter {
    assertRecordLayout(options.layout);
    const fsOps = options.fsOps ?? nodeFsOps;
    const dirPath = join(options.dir, EVENTS_DIR_NAME);
    const tail = options.recovered.tail;
    if (tail === null && listSegments(fsOps, dirPath).length > 0) {
      throw new JournalStateError(dirPath, 'segments exist but the recovery report says the event log is empty; recover again');
    }
    const appender = new SegmentAppender({
      fsOps,
      dirPath,
      segmentSizeBytesMax: options.segmentSizeBytesMax ?? SEGMENT_SIZE_BYTES_DEFAULT,
      durable: false,
      tail,
    });
    return new EventLogWriter(options, appender);
  }

  get eventIndexNext(): number {
    return this.#eventIndexNext;
  }

  /** The command seq of the last event written (0 before any). */
  get commandSeqLast(): number {
    return this.#commandSeqLast;
  }

  /**
   * Writes `count` contiguous events (command seqs never decreasing) as one batch, or several
   * when count exceeds batchRecordsMax. No fsync; a zero count writes nothing.
   */
  append(events: Uint8Array, count: number): void {
    if (count === 0) return;
    this.#check(events, count);
    const sizeBytes = this.#format.layout.sizeBytes;
    for (let start = 0; start < count; start += this.batchRecordsMax) {
      const batchCount = Math.min(this.batchRecordsMax, count - start);
      const records = events.subarray(start * sizeBytes, (start + batchCount) * sizeBytes);
      const batchSizeBytes = encodeBatch(this.#batchBuffer, records, batchCount, this.#format, this.#eventIndexNext);
      this.#appender.append(this.#batchBuffer, batchSizeBytes, this.#eventIndexNext);
      this.#eventIndexNext += batchCount;
    }
    this.#commandSeqLast = readRecordSeq(events, (count - 1) * sizeBytes, this.#format.layout);
  }

  /** fdatasync (and directory sync), e.g. before a snapshot so the log keeps up with it. */
  sync(): void {
    this.#appender.sync(this.#eventIndexNext);
  }

  close(): void {
    this.#appender.close();
  }

  #check(events: Uint8Array, count: number): void {
    const path = this.#appender.path;
    const layout = this.#format.layout;
    const reject = (reason: JournalAppendError['reason'], index: number, seqExpected: number, seqFound: number, detail: string): never => {
      throw new JournalAppendError(path, reason, index, seqExpected, seqFound, detail);
    };
    if (!Number.isInteger(count) || count < 0) reject('count', 0, NaN, NaN, `count ${count} is not a non-negative integer`);
    if (events.length < count * layout.sizeBytes) {
      reject('recordsLength', 0, NaN, NaN, `${events.length} bytes cannot hold ${count} events of ${layout.sizeBytes} bytes`);
    }
    let seqPrevious = this.#commandSeqLast;
    for (let index = 0; index < count; index++) {
      const eventPos = index * layout.sizeBytes;
      const seq = readRecordSeq(events, eventPos, layout);
      if (!(seq >= seqPrevious)) reject('commandSeqOrder', index, seqPrevious, seq, 'command seqs of events must not decrease');
      if (Number.isNaN(readRecordTimeUs(events, eventPos, layout))) reject('timeUs', index, seqPrevious, seq, 'timeUs is not a safe integer');
      seqPrevious = seq;
    }
  }
}
