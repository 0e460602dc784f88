// Reads one segment file batch by batch through a fixed chunk buffer (memory stays bounded however
// large the journal), validating each batch and the offset chain, and stops at the first defect.
// Also answers the question recovery must ask about a defect: is anything valid after it?

import { BatchDecodeError } from './errors.ts';
import { readFully, type FsOps } from './fs-ops.ts';
import {
  BATCH_HEADER_SIZE_BYTES,
  BATCH_LENGTH_OVERHEAD_BYTES,
  BATCH_MAGIC,
  BATCH_RECORDS_MAX,
  BATCH_SIZE_BYTES_MAX,
  MAGIC_POS,
  type BatchFormat,
} from './record-batch.ts';
import { batchSizeBytesAt, decodeBatch, type DecodedBatch } from './record-batch-decode.ts';

/** Read granularity; at least twice the largest batch so a batch always fits after a refill. */
export const WALK_CHUNK_SIZE_BYTES = 8 * 1024 * 1024;

export interface WalkScratch {
  readonly chunk: Buffer;
  readonly candidate: Buffer;
  readonly valuePositions: Int32Array;
}

export function createWalkScratch(): WalkScratch {
  // Unzeroed: only bytes read from the file are ever looked at.
  return {
    chunk: Buffer.allocUnsafe(WALK_CHUNK_SIZE_BYTES),
    candidate: Buffer.allocUnsafe(BATCH_SIZE_BYTES_MAX),
    valuePositions: new Int32Array(BATCH_RECORDS_MAX),
  };
}

export interface BatchVisitor {
  /** Checks beyond the batch's own (e.g. command type); a returned error makes this batch the defect. */
  check(bytes: Uint8Array, batch: DecodedBatch, valuePositions: Int32Array): BatchDecodeError | null;
  /** Called for each batch that passed every check; `bytes` is the reused chunk buffer. */
  accept(bytes: Uint8Array, batch: DecodedBatch, valuePositions: Int32Array, offsetBytes: number): void;
}

export interface SegmentWalk {
  readonly fileSizeBytes: number;
  /** The byte after the last valid batch. */
  readonly goodEndBytes: number;
  readonly batchCount: number;
  /** The offset the next batch must start at. */
  readonly offsetNext: number;
  /** Why the batch at goodEndBytes was rejected; null when the walk reached the end of the file. */
  readonly defect: BatchDecodeError | null;
}

/** Walks the batches of `path`, whose first batch must start at offset `offsetFirst`. */
export function walkSegment(
  fsOps: FsOps,
  path: string,
  format: BatchFormat,
  offsetFirst: number,
  visitor: BatchVisitor,
  scratch: WalkScratch,
): SegmentWalk {
  const { chunk, valuePositions } = scratch;
  const fd = fsOps.openSync(path, 'r');
  try {
    const fileSizeBytes = fsOps.fstatSizeBytes(fd);
    let chunkFileOffset = 0;
    let fillBytes = 0;
    let pos = 0;
    let batchCount = 0;
    let offsetNext = offsetFirst;
    const refill = (): void => {
      chunk.copyWithin(0, pos, fillBytes);
      chunkFileOffset += pos;
      fillBytes -= pos;
      pos = 0;
      const wantedBytes = Math.min(chunk.length - fillBytes, fileSizeBytes - chunkFileOffset - fillBytes);
      fillBytes += readFully(fsOps, fd, chunk, fillBytes, wantedBytes, chunkFileOffset + fillBytes);
    };
    const result = (defect: BatchDecodeError | null): SegmentWalk => ({
      fileSizeBytes,
      goodEndBytes: chunkFileOffset + pos,
      batchCount,
      offsetNext,
      defect,
    });
    for (;;) {
      if (fillBytes - pos < BATCH_LENGTH_OVERHEAD_BYTES) refill();
      if (fillBytes === pos) return result(null);
      if (fillBytes - pos < BATCH_LENGTH_OVERHEAD_BYTES) {
        return result(new BatchDecodeError('truncated', 0, `${fillBytes - pos} bytes at the end of the file, no batch header`));
      }
      let batch: DecodedBatch;
      try {
        const sizeBytes = batchSizeBytesAt(chunk, pos);
        if (fillBytes - pos < sizeBytes) refill();
        batch = decodeBatch(chunk.subarray(0, fillBytes), pos, format, valuePositions);
      } catch (error) {
        if (error instanceof BatchDecodeError) return result(error);
        throw error;
      }
      if (batch.baseOffset !== offsetNext) {
        return result(new BatchDecodeError('baseOffset', 0, `baseOffset ${batch.baseOffset}, expected ${offsetNext}`));
      }
      const rejection = visitor.check(chunk, batch, valuePositions);
      if (rejection !== null) return result(rejection);
      visitor.accept(chunk, batch, valuePositions, chunkFileOffset + pos);
      pos += batch.sizeBytes;
      batchCount++;
      offsetNext += batch.recordCount;
    }
  } finally {
    fsOps.closeSync(fd);
  }
}

export interface TailInspection {
  /** Where a valid batch starts after the defect, or -1 when none does (a torn tail). */
  readonly validBatchOffsetBytes: number;
  /** Every byte from the defect to the end of the file is zero. */
  readonly zeroFilled: boolean;
}

/**
 * Looks at every byte position after the defect at `defectOffsetBytes` for a batch that decodes
 * (magic, CRC and records valid, wherever its offsets point). Rare path: only runs on a defect.
 */
export function inspectTail(fsOps: FsOps, path: string, defectOffsetBytes: number, format: BatchFormat, scratch: WalkScratch): TailInspection {
  const { chunk, candidate, valuePositions } = scratch;
  const fd = fsOps.openSync(path, 'r');
  try {
    const fileSizeBytes = fsOps.fstatSizeBytes(fd);
    // Positions where a batch could start: a whole header must fit before the end of the file.
    const candidateLimitBytes = fileSizeBytes - BATCH_HEADER_SIZE_BYTES;
    let zeroFilled = true;
    let windowStartBytes = defectOffsetBytes;
    while (windowStartBytes < fileSizeBytes) {
      const gotBytes = readFully(fsOps, fd, chunk, 0, Math.min(chunk.length, fileSizeBytes - windowStartBytes), windowStartBytes);
      for (let index = 0; index < gotBytes && zeroFilled; index++) if (chunk[index] !== 0) zeroFilled = false;
      // Windows overlap by MAGIC_POS bytes so every candidate's magic byte is inside some window.
      const lastWindow = windowStartBytes + gotBytes >= fileSizeBytes;
      const scanBytes = lastWindow ? gotBytes : gotBytes - MAGIC_POS;
      for (let index = 0; index < scanBytes; index++) {
        const candidateBytes = windowStartBytes + index;
        if (candidateBytes > candidateLimitBytes) break;
        if (candidateBytes === defectOffsetBytes || chunk[index + MAGIC_POS] !== BATCH_MAGIC) continue;
        const candidateSizeBytes = readFully(fsOps, fd, candidate, 0, Math.min(candidate.length, fileSizeBytes - candidateBytes), candidateBytes);
        try {
          decodeBatch(candidate.subarray(0, candidateSizeBytes), 0, format, valuePositions);
          return { validBatchOffsetBytes: candidateBytes, zeroFilled: false };
        } catch (error) {
          if (!(error instanceof BatchDecodeError)) throw error;
        }
      }
      if (lastWindow) break;
      windowStartBytes += scanBytes;
    }
    return { validBatchOffsetBytes: -1, zeroFilled };
  } finally {
    fsOps.closeSync(fd);
  }
}
