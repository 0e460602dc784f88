// A sparse offset index over one topic's batches, in growable typed arrays so that a journal of
// millions of batches costs a few bytes per indexed position, like Kafka's .index files: one entry
// for the first batch of each segment and then for the first batch at least
// INDEX_INTERVAL_BYTES past the previous entry. A batch without an entry therefore starts less
// than INDEX_INTERVAL_BYTES after the entry before it, which bounds the bytes a lookup reads.

export const INDEX_INTERVAL_BYTES = 64 * 1024;
const CAPACITY_INITIAL = 1024;

export interface IndexEntry {
  readonly baseOffset: number;
  /** offsetFirst of the segment holding the batch. */
  readonly segmentOffsetFirst: number;
  readonly positionBytes: number;
  /** Largest record timestamp of every batch before this one (-1 when none). */
  readonly maxTimestampBeforeMs: number;
}

export class SparseIndex {
  #baseOffsets = new Float64Array(CAPACITY_INITIAL);
  #segmentOffsetFirsts = new Float64Array(CAPACITY_INITIAL);
  #positions = new Float64Array(CAPACITY_INITIAL);
  #maxTimestampsBefore = new Float64Array(CAPACITY_INITIAL);
  #count = 0;
  #lastSegmentOffsetFirst = -1;
  #lastPositionBytes = 0;

  /** Offers a batch in log order; it gets an entry when the spacing rule asks for one. */
  offer(baseOffset: number, segmentOffsetFirst: number, positionBytes: number, maxTimestampBeforeMs: number): void {
    const newSegment = segmentOffsetFirst !== this.#lastSegmentOffsetFirst;
    if (!newSegment && positionBytes - this.#lastPositionBytes < INDEX_INTERVAL_BYTES) return;
    if (this.#count === this.#baseOffsets.length) this.#grow();
    const index = this.#count++;
    this.#baseOffsets[index] = baseOffset;
    this.#segmentOffsetFirsts[index] = segmentOffsetFirst;
    this.#positions[index] = positionBytes;
    this.#maxTimestampsBefore[index] = maxTimestampBeforeMs;
    this.#lastSegmentOffsetFirst = segmentOffsetFirst;
    this.#lastPositionBytes = positionBytes;
  }

  entry(index: number): IndexEntry {
    return {
      baseOffset: this.#baseOffsets[index]!,
      segmentOffsetFirst: this.#segmentOffsetFirsts[index]!,
      positionBytes: this.#positions[index]!,
      maxTimestampBeforeMs: this.#maxTimestampsBefore[index]!,
    };
  }

  /** The last entry whose batch starts at or before `offset`; -1 when there is none. */
  floorByOffset(offset: number): number {
    return this.#lastAtMost(this.#baseOffsets, offset);
  }

  /** The last entry before which every record is older than `timestampMs`; -1 when none. */
  floorByTimestamp(timestampMs: number): number {
    // maxTimestampsBefore never decreases, so "< timestampMs" holds for a prefix of the entries.
    let low = 0;
    let high = this.#count - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.#maxTimestampsBefore[middle]! < timestampMs) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  /** Drops the entries of segments that start before `segmentOffsetFirst` (retention removed them). */
  dropSegmentsBefore(segmentOffsetFirst: number): void {
    let keepFrom = 0;
    while (keepFrom < this.#count && this.#segmentOffsetFirsts[keepFrom]! < segmentOffsetFirst) keepFrom++;
    if (keepFrom === 0) return;
    for (const array of [this.#baseOffsets, this.#segmentOffsetFirsts, this.#positions, this.#maxTimestampsBefore]) {
      array.copyWithin(0, keepFrom, this.#count);
    }
    this.#count -= keepFrom;
  }

  #lastAtMost(values: Float64Array, target: number): number {
    let low = 0;
    let high = this.#count - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (values[middle]! <= target) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  #grow(): void {
    const capacity = this.#baseOffsets.length * 2;
    const grown = (array: Float64Array): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(capacity);
      next.set(array);
      return next;
    };
    this.#baseOffsets = grown(this.#baseOffsets);
    this.#segmentOffsetFirsts = grown(this.#segmentOffsetFirsts);
    this.#positions = grown(this.#positions);
    this.#maxTimestampsBefore = grown(this.#maxTimestampsBefore);
  }
}
