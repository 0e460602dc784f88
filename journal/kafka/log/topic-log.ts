// One journal log (`DIR/commands/` or `DIR/events/`) as a Kafka partition: follows the segment
// files read-only, validates every new batch (length, CRC-32C, fields, offsets contiguous) before
// it may be served, and answers reads with whole batches, file bytes unchanged. Validated batches
// become visible (below the high watermark) only once they are durable: for commands, after this
// process has itself fdatasync'ed the segment (cheap when the writer already did, and it holds with
// `--durability none` too); for events, which are never fsynced, once the command that caused the
// batch's last event is durable, because a crash rebuilds exactly those events from the commands.

import { open, type FileHandle } from 'node:fs/promises';
import { BatchDecodeError } from '../../errors.ts';
import { readFullyAsync, syncDirectoryAsync } from '../../fs-async.ts';
import { nodeFsOps } from '../../fs-ops.ts';
import { BATCH_HEADER_SIZE_BYTES, BATCH_LENGTH_OVERHEAD_BYTES, BATCH_RECORDS_MAX, BATCH_SIZE_BYTES_MAX, type BatchFormat } from '../../record-batch.ts';
import { batchSizeBytesAt, decodeBatch } from '../../record-batch-decode.ts';
import { readRecordSeq } from '../../record-layout.ts';
import { listSegments } from '../../segment-files.ts';
import { batchLastOffset, batchMaxTimestampMs, firstRecordAtOrAfter } from './batch-header.ts';
import { SparseIndex, INDEX_INTERVAL_BYTES } from './sparse-index.ts';

/** Validation reads this much at a time: at least twice the largest batch, so one always fits. */
const VALIDATE_CHUNK_BYTES = 4 * BATCH_SIZE_BYTES_MAX;

export type VisibilityGate =
  /** Visible after this process fdatasync'ed the bytes (the command journal, by default). */
  | 'durableSync'
  /**
   * Visible once whole and valid on disk, trusting the writer's fdatasync (the command journal with
   * --visibility written): saves one disk flush per wake-up, but a consumer may see a batch up to
   * one fdatasync before it is durable, and a power loss in that window loses it after it was seen.
   */
  | 'written'
  /** Visible once the `journal-seq` of the batch's last record is at most the durable command seq. */
  | 'commandSeq';

export interface TopicLogOptions {
  readonly dirPath: string;
  readonly format: BatchFormat;
  /** Log start and end of a log without segments: the first offset its writer will use. */
  readonly offsetEmpty: number;
  readonly gate: VisibilityGate;
}

interface Segment {
  readonly offsetFirst: number;
  readonly path: string;
  readonly handle: FileHandle;
  validatedEndBytes: number;
  offsetNext: number;
  readsInFlight: number;
  dropped: boolean;
}

interface Frontier {
  readonly segment: Segment;
  readonly endBytes: number;
  readonly offsetNext: number;
  /** The journal seq that must be durable before this frontier is visible. */
  readonly gateSeq: number;
  readonly maxTimestampMs: number;
}

class LogState {
  readonly segments: Segment[] = [];
  readonly index = new SparseIndex();
  readonly pending: Frontier[] = [];
  /** Segments before this one are validated to their end and will not grow. */
  firstOpenSegment = 0;
  validatedMaxTimestampMs = -1;
  visible: Frontier | null = null;
  visibleMaxTimestampMs = -1;
}

/** A problem that stops validation at a byte position; readers see nothing after it. */
export interface LogStall {
  readonly path: string;
  readonly positionBytes: number;
  readonly reason: string;
}

export class TopicLog {
  readonly #options: TopicLogOptions;
  #state = new LogState();
  readonly #scratch = Buffer.allocUnsafe(VALIDATE_CHUNK_BYTES);
  readonly #valuePositions = new Int32Array(BATCH_RECORDS_MAX);
  #stall: LogStall | null = null;
  #resets = 0;
  #refreshing = false;

  constructor(options: TopicLogOptions) {
    this.#options = options;
  }

  get format(): BatchFormat {
    return this.#options.format;
  }

  get logStartOffset(): number {
    return this.#state.segments[0]?.offsetFirst ?? this.#options.offsetEmpty;
  }

  get highWatermark(): number {
    return this.#state.visible?.offsetNext ?? this.logStartOffset;
  }

  /** Largest record timestamp below the high watermark; -1 when the log is empty. */
  get maxTimestampMs(): number {
    return this.#state.visibleMaxTimestampMs;
  }

  get stall(): LogStall | null {
    return this.#stall;
  }

  /** How often the files were found rewritten (shrunk or replaced) and the log re-read. */
  get resets(): number {
    return this.#resets;
  }

  /**
   * Picks up new segments and bytes, validates them and moves the high watermark as far as the
   * gate allows (`durableSeq` is the last durable command seq, for the 'commandSeq' gate).
   */
  async refresh(durableSeq: number): Promise<void> {
    if (this.#refreshing) throw new Error(`${this.#options.dirPath}: refreshes must not overlap`);
    this.#refreshing = true;
    try {
      await this.#refreshOnce(durableSeq);
    } finally {
      this.#refreshing = false;
    }
  }

  async #refreshOnce(durableSeq: number): Promise<void> {
    if (!(await this.#advance(this.#state, durableSeq))) {
      // The files were rewritten under us (a restart recovered the log differently): read them anew.
      const state = new LogState();
      this.#resets++;
      if (!(await this.#advance(state, durableSeq))) throw new Error(`${this.#options.dirPath} keeps changing while being read`);
      const old = this.#state;
      this.#state = state;
      for (const segment of old.segments) this.#drop(segment);
    }
  }

  async close(): Promise<void> {
    for (const segment of this.#state.segments) this.#drop(segment);
    this.#state = new LogState();
  }

  /**
   * Whole batches from the one holding `offset` (logStartOffset <= offset < highWatermark), within
   * one segment, at most `maxBytes` unless `allowOversize` lets a first batch larger than that
   * through (KIP-74: a consumer must always be able to progress). Empty at the high watermark.
   */
  async read(offset: number, maxBytes: number, allowOversize: boolean): Promise<Buffer> {
    const state = this.#state;
    const located = this.#locate(state, offset);
    if (located === null) return Buffer.alloc(0);
    const { segment, positionBytes, endBytes } = located;
    segment.readsInFlight++;
    try {
      // The batch holding `offset` starts less than INDEX_INTERVAL_BYTES after the entry, so this
      // window holds its header and the headers of all batches skipped before it.
      const windowBytes = Math.min(endBytes - positionBytes, INDEX_INTERVAL_BYTES + Math.max(maxBytes, BATCH_HEADER_SIZE_BYTES));
      const window = await readAt(segment.handle, positionBytes, windowBytes);
      let pos = 0;
      while (batchLastOffset(window, pos) < offset) pos += batchSizeBytesAt(window, pos);
      const firstSizeBytes = batchSizeBytesAt(window, pos);
      if (firstSizeBytes > maxBytes && !allowOversize) return Buffer.alloc(0);
      if (pos + firstSizeBytes > window.length) return await readAt(segment.handle, positionBytes + pos, firstSizeBytes);
      let end = pos + firstSizeBytes;
      while (end + BATCH_LENGTH_OVERHEAD_BYTES <= window.length) {
        const sizeBytes = batchSizeBytesAt(window, end);
        if (end + sizeBytes > window.length || end + sizeBytes - pos > maxBytes) break;
        end += sizeBytes;
      }
      return window.subarray(pos, end);
    } finally {
      this.#release(segment);
    }
  }

  /**
   * The first visible record whose timestamp is at least `timestampMs` (Kafka's ListOffsets by
   * time), or null when every visible record is older.
   */
  async offsetForTimestamp(timestampMs: number): Promise<{ offset: number; timestampMs: number } | null> {
    const state = this.#state;
    const visible = state.visible;
    if (visible === null || timestampMs > state.visibleMaxTimestampMs) return null;
    const entryIndex = Math.max(0, state.index.floorByTimestamp(timestampMs));
    const entry = state.index.entry(entryIndex);
    let segmentIndex = findSegment(state.segments, entry.segmentOffsetFirst);
    let positionBytes = entry.positionBytes;
    while (segmentIndex >= 0 && segmentIndex < state.segments.length) {
      const segment = state.segments[segmentIndex]!;
      const endBytes = segment === visible.segment ? visible.endBytes : segment.validatedEndBytes;
      segment.readsInFlight++;
      try {
        while (positionBytes < endBytes) {
          const window = await readAt(segment.handle, positionBytes, Math.min(endBytes - positionBytes, VALIDATE_CHUNK_BYTES));
          let pos = 0;
          while (pos + BATCH_LENGTH_OVERHEAD_BYTES <= window.length) {
            const sizeBytes = batchSizeBytesAt(window, pos);
            if (pos + sizeBytes > window.length) break;
            if (batchMaxTimestampMs(window, pos) >= timestampMs) {
              return firstRecordAtOrAfter(window, pos, this.#options.format, timestampMs, this.#valuePositions);
            }
            pos += sizeBytes;
          }
          if (pos === 0) return null;
          positionBytes += pos;
        }
      } finally {
        this.#release(segment);
      }
      if (segment === visible.segment) break;
      segmentIndex++;
      positionBytes = 0;
    }
    return null;
  }

  #locate(state: LogState, offset: number): { segment: Segment; positionBytes: number; endBytes: number } | null {
    const visible = state.visible;
    if (visible === null || offset >= visible.offsetNext) return null;
    const entryIndex = state.index.floorByOffset(offset);
    if (entryIndex < 0) return null;
    const entry = state.index.entry(entryIndex);
    const segment = state.segments[findSegment(state.segments, entry.segmentOffsetFirst)];
    if (segment === undefined) return null;
    const endBytes = segment === visible.segment ? visible.endBytes : segment.validatedEndBytes;
    return { segment, positionBytes: entry.positionBytes, endBytes };
  }

  /** False when the files no longer match what was validated (caller re-reads from scratch). */
  async #advance(state: LogState, durableSeq: number): Promise<boolean> {
    const segmentCountBefore = state.segments.length;
    if (!(await this.#reconcileSegments(state))) return false;
    const synced: Segment[] = [];
    for (let index = state.firstOpenSegment; index < state.segments.length; index++) {
      const segment = state.segments[index]!;
      const sizeBytes = (await segment.handle.stat()).size;
      if (sizeBytes < segment.validatedEndBytes) return false;
      const endBefore = segment.validatedEndBytes;
      await this.#validate(state, segment, sizeBytes);
      if (segment.validatedEndBytes > endBefore) synced.push(segment);
      const next = state.segments[index + 1];
      if (next === undefined) break;
      if (segment.validatedEndBytes < sizeBytes) {
        this.#stallAt(segment, segment.validatedEndBytes, this.#stall?.reason ?? 'a later segment exists but this one does not end with a whole valid batch');
        break;
      }
      if (next.offsetFirst !== segment.offsetNext) {
        this.#stallAt(next, 0, `segment starts at ${next.offsetFirst}, the previous one ends before ${segment.offsetNext}`);
        break;
      }
      state.firstOpenSegment = index + 1;
    }
    if (this.#options.gate === 'written') {
      this.#releasePending(state, Infinity, state.pending.length);
    } else if (this.#options.gate === 'durableSync') {
      // Only bytes validated before the sync started are known durable after it.
      const reachable = state.pending.length;
      for (const segment of synced) await segment.handle.datasync();
      // A new segment's bytes are lost with its directory entry, so that entry must be durable too.
      if (state.segments.length > segmentCountBefore) await syncDirectoryAsync(this.#options.dirPath);
      this.#releasePending(state, Infinity, reachable);
    } else {
      this.#releasePending(state, durableSeq, state.pending.length);
    }
    return true;
  }

  async #reconcileSegments(state: LogState): Promise<boolean> {
    const files = listSegments(nodeFsOps, this.#options.dirPath);
    let dropCount = 0;
    while (dropCount < state.segments.length && state.segments[dropCount]!.offsetFirst < (files[0]?.offsetFirst ?? Infinity)) dropCount++;
    if (dropCount === state.segments.length && dropCount > 0) return false;
    if (dropCount > 0) {
      // Retention deleted whole old segments: the log now starts later.
      const removed = state.segments.splice(0, dropCount);
      state.pending.splice(0, state.pending.filter((frontier) => removed.includes(frontier.segment)).length);
      state.firstOpenSegment = Math.max(0, state.firstOpenSegment - dropCount);
      state.index.dropSegmentsBefore(state.segments[0]!.offsetFirst);
      for (const segment of removed) this.#drop(segment);
    }
    for (const [index, segment] of state.segments.entries()) {
      if (files[index]?.path !== segment.path) return false;
    }
    for (const file of files.slice(state.segments.length)) {
      let handle: FileHandle;
      try {
        handle = await open(file.path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') break;
        throw error;
      }
      state.segments.push({ offsetFirst: file.offsetFirst, path: file.path, handle, validatedEndBytes: 0, offsetNext: file.offsetFirst, readsInFlight: 0, dropped: false });
    }
    return true;
  }

  /** Validates whole batches of `segment` from its validated end up to `sizeBytes`. */
  async #validate(state: LogState, segment: Segment, sizeBytes: number): Promise<void> {
    const format = this.#options.format;
    const positions = this.#valuePositions;
    while (segment.validatedEndBytes < sizeBytes) {
      const start = segment.validatedEndBytes;
      const chunk = this.#scratch;
      const gotBytes = await readFullyAsync(segment.handle, chunk, start, Math.min(sizeBytes - start, chunk.length));
      let pos = 0;
      while (gotBytes - pos >= BATCH_LENGTH_OVERHEAD_BYTES) {
        let count: number;
        let batchBytes: number;
        let maxTimestampMs: number;
        try {
          batchBytes = batchSizeBytesAt(chunk, pos);
          if (gotBytes - pos < batchBytes) break;
          const batch = decodeBatch(chunk.subarray(0, gotBytes), pos, format, positions);
          if (batch.baseOffset !== segment.offsetNext) throw new BatchDecodeError('baseOffset', 0, `baseOffset ${batch.baseOffset}, expected ${segment.offsetNext}`);
          count = batch.recordCount;
          maxTimestampMs = batch.maxTimestampMs;
        } catch (error) {
          if (!(error instanceof BatchDecodeError)) throw error;
          this.#stallAt(segment, start + pos, error.message);
          segment.validatedEndBytes = start + pos;
          return;
        }
        const baseOffset = segment.offsetNext;
        state.index.offer(baseOffset, segment.offsetFirst, start + pos, state.validatedMaxTimestampMs);
        state.validatedMaxTimestampMs = Math.max(state.validatedMaxTimestampMs, maxTimestampMs);
        segment.offsetNext = baseOffset + count;
        const gateSeq = format.seqHeader ? readRecordSeq(chunk, positions[count - 1]!, format.layout) : segment.offsetNext - 1;
        pos += batchBytes;
        this.#addPending(state, { segment, endBytes: start + pos, offsetNext: segment.offsetNext, gateSeq, maxTimestampMs: state.validatedMaxTimestampMs });
      }
      segment.validatedEndBytes = start + pos;
      // No whole batch in what is there: the rest is still being written.
      if (pos === 0) return;
    }
    this.#stall = null;
  }

  #addPending(state: LogState, frontier: Frontier): void {
    const last = state.pending[state.pending.length - 1];
    // Batches released together (all of a sync) need no entries of their own.
    if (this.#options.gate !== 'commandSeq' && last !== undefined && last.segment === frontier.segment) {
      state.pending[state.pending.length - 1] = frontier;
      return;
    }
    state.pending.push(frontier);
  }

  #releasePending(state: LogState, durableSeq: number, reachable: number): void {
    let released = 0;
    while (released < reachable && state.pending[released]!.gateSeq <= durableSeq) released++;
    if (released === 0) return;
    const frontier = state.pending[released - 1]!;
    state.pending.splice(0, released);
    state.visible = frontier;
    state.visibleMaxTimestampMs = frontier.maxTimestampMs;
  }

  #stallAt(segment: Segment, positionBytes: number, reason: string): void {
    this.#stall = { path: segment.path, positionBytes, reason };
  }

  #drop(segment: Segment): void {
    segment.dropped = true;
    this.#release(segment, false);
  }

  /** Closes a dropped segment's file once no read uses it. */
  #release(segment: Segment, endsRead = true): void {
    if (endsRead) segment.readsInFlight--;
    if (segment.dropped && segment.readsInFlight === 0) void segment.handle.close().catch(() => undefined);
  }
}

function findSegment(segments: readonly Segment[], offsetFirst: number): number {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = segments[middle]!.offsetFirst;
    if (value === offsetFirst) return middle;
    if (value < offsetFirst) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Thrown when validated bytes can no longer be read: the file was cut under a reader. */
export class LogReadError extends Error {
  override readonly name = 'LogReadError';
}

async function readAt(handle: FileHandle, positionBytes: number, lengthBytes: number): Promise<Buffer> {
  const target = Buffer.allocUnsafe(lengthBytes);
  const got = await readFullyAsync(handle, target, positionBytes, lengthBytes);
  if (got < lengthBytes) throw new LogReadError(`read ${got} of ${lengthBytes} validated bytes at ${positionBytes}`);
  return target;
}

