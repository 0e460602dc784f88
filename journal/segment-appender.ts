// The file side of both logs: appends whole batches to the active segment with one positional
// write, rolls to a new segment when the size limit would be passed, and on any failure truncates
// back to the last good end and refuses further use (see JournalWriteError for why).

import { dirname } from 'node:path';
import { JournalStateError, JournalWriteError, JournalWriterClosedError, errorCodeOf } from './errors.ts';
import { ensureDirectory, syncDirectory, writeFully, type FsOps } from './fs-ops.ts';
import { segmentPath } from './segment-files.ts';

/** Where a recovered log ends: its last segment and the byte after its last good batch. */
export interface SegmentTail {
  readonly path: string;
  readonly offsetFirst: number;
  readonly endBytes: number;
}

export interface SegmentAppenderOptions {
  readonly fsOps: FsOps;
  readonly dirPath: string;
  readonly segmentSizeBytesMax: number;
  /** Make every batch and every new segment durable before append returns. */
  readonly durable: boolean;
  readonly tail: SegmentTail | null;
}

export class SegmentAppender {
  readonly #fsOps: FsOps;
  readonly #dirPath: string;
  readonly #segmentSizeBytesMax: number;
  readonly #durable: boolean;
  #fd = -1;
  #path: string;
  #endBytes = 0;
  /** A segment was created since the directory was last synced (only when not durable). */
  #directoryDirty = false;
  #failure: JournalWriteError | null = null;
  #closed = false;

  constructor(options: SegmentAppenderOptions) {
    this.#fsOps = options.fsOps;
    this.#dirPath = options.dirPath;
    this.#segmentSizeBytesMax = options.segmentSizeBytesMax;
    this.#durable = options.durable;
    this.#path = options.dirPath;
    const tail = options.tail;
    if (tail === null) return;
    this.#fd = this.#fsOps.openSync(tail.path, 'r+');
    const sizeBytes = this.#fsOps.fstatSizeBytes(this.#fd);
    if (sizeBytes !== tail.endBytes) {
      this.#fsOps.closeSync(this.#fd);
      throw new JournalStateError(tail.path, `file is ${sizeBytes} bytes but recovery ended it at ${tail.endBytes}; scan again`);
    }
    this.#path = tail.path;
    this.#endBytes = tail.endBytes;
  }

  get path(): string {
    return this.#path;
  }

  get endBytes(): number {
    return this.#endBytes;
  }

  /** Appends `bytes[0, sizeBytes)`, a whole batch whose first offset is `offsetFirst`. */
  append(bytes: Uint8Array, sizeBytes: number, offsetFirst: number): void {
    this.#assertUsable();
    if (this.#fd < 0 || (this.#endBytes > 0 && this.#endBytes + sizeBytes > this.#segmentSizeBytesMax)) {
      this.#roll(offsetFirst);
    }
    try {
      writeFully(this.#fsOps, this.#fd, bytes, sizeBytes, this.#endBytes);
      if (this.#durable) this.#fsOps.fdatasyncSync(this.#fd);
    } catch (error) {
      this.#fail(error, offsetFirst);
    }
    this.#endBytes += sizeBytes;
  }

  /** Makes everything appended so far durable; `offsetNext` names the position in an error. */
  sync(offsetNext: number): void {
    this.#assertUsable();
    if (this.#fd < 0) return;
    try {
      this.#fsOps.fdatasyncSync(this.#fd);
      if (this.#directoryDirty) syncDirectory(this.#fsOps, this.#dirPath);
      this.#directoryDirty = false;
    } catch (error) {
      this.#fail(error, offsetNext);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fd >= 0) this.#fsOps.closeSync(this.#fd);
    this.#fd = -1;
  }

  #assertUsable(): void {
    if (this.#failure !== null) throw new JournalWriterClosedError(this.#path, { cause: this.#failure });
    if (this.#closed) throw new JournalWriterClosedError(this.#path, undefined);
  }

  #roll(offsetFirst: number): void {
    const path = segmentPath(this.#dirPath, offsetFirst);
    try {
      if (this.#fd >= 0) this.#fsOps.closeSync(this.#fd);
      this.#fd = -1;
      ensureDirectory(this.#fsOps, this.#dirPath, dirname(this.#dirPath));
      this.#fd = this.#fsOps.openSync(path, 'wx');
      this.#path = path;
      this.#endBytes = 0;
      // A batch in a segment whose directory entry is lost is lost too.
      if (this.#durable) syncDirectory(this.#fsOps, this.#dirPath);
      else this.#directoryDirty = true;
    } catch (error) {
      this.#path = path;
      this.#endBytes = 0;
      this.#fail(error, offsetFirst);
    }
  }

  #fail(error: unknown, offsetFirst: number): never {
    // Without an open segment nothing of the batch was written.
    let truncatedBack = this.#fd < 0;
    if (this.#fd >= 0) {
      try {
        this.#fsOps.ftruncateSync(this.#fd, this.#endBytes);
        if (this.#durable) this.#fsOps.fdatasyncSync(this.#fd);
        truncatedBack = true;
      } catch {
        // Reported through truncatedBack; recovery truncates the torn tail on the next start.
      }
    }
    this.#failure = new JournalWriteError(this.#path, this.#endBytes, offsetFirst, errorCodeOf(error), truncatedBack, {
      cause: error,
    });
    throw this.#failure;
  }
}
