// Tails the derived event log while the core worker appends to it (without fsync, so the bytes of
// a batch may be only partly there). Only whole batches are taken, each checked like recovery
// checks them (length, CRC-32C, offsets, the journal-seq header against the record): an
// incomplete batch is simply not there yet and is read again on the next poll. A segment is left
// for the next one only once the next segment file exists AND the current one has nothing more:
// the writer finishes a segment before it creates the next, so nothing can be skipped.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_SIZE_BYTES, readU64 } from '../engine/schema.ts';
import type { EventBatch } from '../projections/event-batch.ts';
import { EVENT_RECORD_LAYOUT } from '../journal/core-records.ts';
import { BatchDecodeError } from '../journal/errors.ts';
import { nodeFsOps } from '../journal/fs-ops.ts';
import { BATCH_LENGTH_OVERHEAD_BYTES, BATCH_RECORDS_MAX, BATCH_SIZE_BYTES_MAX, type BatchFormat } from '../journal/record-batch.ts';
import { batchSizeBytesAt, decodeBatch } from '../journal/record-batch-decode.ts';
import { EVENTS_DIR_NAME, listSegments, segmentPath } from '../journal/segment-files.ts';

/** Read granularity: twice the largest batch, so a whole batch always fits after the one before it. */
const READ_CHUNK_BYTES = 2 * BATCH_SIZE_BYTES_MAX;
/** Events held between the file and the projection. */
export const TAIL_EVENTS_MAX = 8 * BATCH_RECORDS_MAX;
/** A batch that stays invalid this long is damage, not a write in progress. */
export const TAIL_DEFECT_GRACE_MS = 5_000;
const FORMAT: BatchFormat = { layout: EVENT_RECORD_LAYOUT, seqHeader: true };

export class EventLogDefectError extends Error {
  override name = 'EventLogDefectError';
}

export class EventLogTail {
  readonly #dirPath: string;
  readonly #nowMs: () => number;
  readonly #chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  readonly #positions = new Int32Array(BATCH_RECORDS_MAX);
  readonly #queue = new Uint8Array(TAIL_EVENTS_MAX * EVENT_SIZE_BYTES);
  readonly #queueView = new DataView(this.#queue.buffer);
  /** First buffered event, in events from the start of #queue, and how many are buffered. */
  #head = 0;
  #count = 0;
  /** Index of the first buffered event (the next to hand out). */
  #eventIndexNext: number;
  #path: string;
  #fd = -1;
  /** Byte position and event index of the next batch to read. */
  #filePos = 0;
  #eventIndexRead: number;
  #defect: { readonly filePos: number; readonly path: string; readonly sinceMs: number } | null = null;

  /** Starts at event `eventIndexFrom`: reads its segment from the beginning and drops what comes before it. */
  constructor(dataDir: string, eventIndexFrom: number, nowMs: () => number) {
    this.#dirPath = join(dataDir, EVENTS_DIR_NAME);
    this.#nowMs = nowMs;
    this.#eventIndexNext = eventIndexFrom;
    const segments = listSegments(nodeFsOps, this.#dirPath).filter((s) => s.offsetFirst <= eventIndexFrom);
    const segment = segments[segments.length - 1];
    this.#eventIndexRead = segment?.offsetFirst ?? 0;
    this.#path = segment?.path ?? segmentPath(this.#dirPath, 0);
  }

  get eventIndexNext(): number {
    return this.#eventIndexNext;
  }

  get buffered(): number {
    return this.#count;
  }

  /** Command seq of buffered event `i`. */
  seqAt(i: number): number {
    return readU64(this.#queueView, (this.#head + i) * EVENT_SIZE_BYTES + EVENT_RECORD_LAYOUT.seqOffsetBytes);
  }

  /** The first `count` buffered events, valid until the next poll or consume. */
  batch(count: number): EventBatch {
    if (count > this.#count) throw new RangeError(`${count} events asked, ${this.#count} buffered`);
    return { eventIndexFirst: this.#eventIndexNext, count, view: new DataView(this.#queue.buffer, this.#head * EVENT_SIZE_BYTES, count * EVENT_SIZE_BYTES) };
  }

  consume(count: number): void {
    if (count > this.#count) throw new RangeError(`${count} events consumed, ${this.#count} buffered`);
    this.#head += count;
    this.#count -= count;
    this.#eventIndexNext += count;
    if (this.#count === 0) this.#head = 0;
  }

  /** Buffers the whole batches written since the last poll (as many as fit); returns how many events it added. */
  poll(): number {
    if (this.#head > 0 && TAIL_EVENTS_MAX - this.#head - this.#count < BATCH_RECORDS_MAX) {
      this.#queue.copyWithin(0, this.#head * EVENT_SIZE_BYTES, (this.#head + this.#count) * EVENT_SIZE_BYTES);
      this.#head = 0;
    }
    if (this.#fd < 0) {
      if (!existsSync(this.#path)) return 0;
      this.#fd = openSync(this.#path, 'r');
    }
    const countBefore = this.#count;
    while (TAIL_EVENTS_MAX - this.#head - this.#count >= BATCH_RECORDS_MAX) {
      const readBytes = readSync(this.#fd, this.#chunk, 0, READ_CHUNK_BYTES, this.#filePos);
      const takenBytes = this.takeBatches(readBytes);
      if (takenBytes > 0) continue;
      if (readBytes > 0) {
        this.noteDefect();
        break;
      }
      if (!this.nextSegmentStarted()) break;
    }
    return this.#count - countBefore;
  }

  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  /** Decodes whole batches from the chunk's first `readBytes` bytes; returns the bytes they took. */
  private takeBatches(readBytes: number): number {
    const chunk = this.#chunk.subarray(0, readBytes);
    let pos = 0;
    while (readBytes - pos >= BATCH_LENGTH_OVERHEAD_BYTES && TAIL_EVENTS_MAX - this.#head - this.#count >= BATCH_RECORDS_MAX) {
      let sizeBytes: number;
      try {
        sizeBytes = batchSizeBytesAt(chunk, pos);
        if (readBytes - pos < sizeBytes) break;
        const batch = decodeBatch(chunk, pos, FORMAT, this.#positions);
        if (batch.baseOffset !== this.#eventIndexRead) throw new BatchDecodeError('baseOffset', 0, `baseOffset ${batch.baseOffset}, expected ${this.#eventIndexRead}`);
        this.buffer(chunk, batch.baseOffset, batch.recordCount);
      } catch (error) {
        if (error instanceof BatchDecodeError) break;
        throw error;
      }
      pos += sizeBytes;
    }
    if (pos > 0) this.#defect = null;
    this.#filePos += pos;
    return pos;
  }

  private buffer(chunk: Uint8Array, baseOffset: number, recordCount: number): void {
    for (let i = 0; i < recordCount; i++) {
      const eventIndex = baseOffset + i;
      if (eventIndex < this.#eventIndexNext + this.#count) continue;
      const at = this.#positions[i] as number;
      this.#queue.set(chunk.subarray(at, at + EVENT_SIZE_BYTES), (this.#head + this.#count) * EVENT_SIZE_BYTES);
      this.#count++;
    }
    this.#eventIndexRead = baseOffset + recordCount;
  }

  /**
   * Bytes that are not (yet) a whole valid batch. While the writer is in the middle of a batch this
   * is normal; the same bytes still invalid after TAIL_DEFECT_GRACE_MS are damage, reported as an
   * error (the server's next recovery cuts the log there and rebuilds it).
   */
  private noteDefect(): void {
    const now = this.#nowMs();
    const d = this.#defect;
    if (d === null || d.filePos !== this.#filePos || d.path !== this.#path) {
      this.#defect = { filePos: this.#filePos, path: this.#path, sinceMs: now };
      return;
    }
    if (now - d.sinceMs >= TAIL_DEFECT_GRACE_MS) {
      throw new EventLogDefectError(`${this.#path} holds no valid batch at byte ${this.#filePos} (event ${this.#eventIndexRead}) for ${now - d.sinceMs} ms`);
    }
  }

  /** At the end of the current segment: moves to the next one if the writer has started it. */
  private nextSegmentStarted(): boolean {
    const next = segmentPath(this.#dirPath, this.#eventIndexRead);
    if (next === this.#path || !existsSync(next)) return false;
    // The next segment exists, so the writer is done with this one: read what it wrote last.
    if (readSync(this.#fd, this.#chunk, 0, BATCH_LENGTH_OVERHEAD_BYTES, this.#filePos) > 0) return true;
    this.close();
    this.#path = next;
    this.#filePos = 0;
    this.#fd = openSync(next, 'r');
    return true;
  }
}
