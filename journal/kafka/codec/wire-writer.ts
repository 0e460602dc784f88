// Writes one response frame (size prefix included) as a list of chunks: small fields go to a
// growing scratch buffer, while record batches are appended by reference, so journal bytes reach
// the socket without a copy. Integers are big-endian; lengths classic or compact (KIP-482).

import { writeI16BE, writeI64BE, writeU32BE } from '../../bytes.ts';
import { uvarintSizeBytes, writeUvarint } from '../../varint.ts';

const SCRATCH_SIZE_BYTES_INITIAL = 512;
const FRAME_SIZE_PREFIX_BYTES = 4;

export class WireWriter {
  #scratch = Buffer.allocUnsafe(SCRATCH_SIZE_BYTES_INITIAL);
  #pos = FRAME_SIZE_PREFIX_BYTES;
  /** Where the part of the scratch buffer not yet handed to #chunks starts. */
  #segmentStart = 0;
  readonly #chunks: Buffer[] = [];
  #sizeBytes = 0;

  #reserve(sizeBytes: number): number {
    if (this.#pos + sizeBytes > this.#scratch.length) {
      // Earlier chunks keep their views of the old buffer; only the open segment moves.
      const openBytes = this.#pos - this.#segmentStart;
      const next = Buffer.allocUnsafe(Math.max(this.#scratch.length * 2, openBytes + sizeBytes + SCRATCH_SIZE_BYTES_INITIAL));
      this.#scratch.copy(next, 0, this.#segmentStart, this.#pos);
      this.#scratch = next;
      this.#segmentStart = 0;
      this.#pos = openBytes;
    }
    const start = this.#pos;
    this.#pos += sizeBytes;
    return start;
  }

  int8(value: number): void {
    this.#scratch[this.#reserve(1)] = value;
  }

  bool(value: boolean): void {
    this.int8(value ? 1 : 0);
  }

  int16(value: number): void {
    writeI16BE(this.#scratch, this.#reserve(2), value);
  }

  int32(value: number): void {
    writeU32BE(this.#scratch, this.#reserve(4), value >>> 0);
  }

  int64(value: number): void {
    writeI64BE(this.#scratch, this.#reserve(8), value);
  }

  uuid(value: string): void {
    const hex = value.replaceAll('-', '');
    this.#scratch.write(hex, this.#reserve(16), 16, 'hex');
  }

  uvarint(value: number): void {
    writeUvarint(this.#scratch, this.#reserve(uvarintSizeBytes(value)), value);
  }

  /** -1 for null; compact lengths are stored plus one. */
  length(value: number, compact: boolean, wide: boolean): void {
    if (compact) this.uvarint(value + 1);
    else if (wide) this.int32(value);
    else this.int16(value);
  }

  raw(bytes: Uint8Array): void {
    this.#scratch.set(bytes, this.#reserve(bytes.length));
  }

  /** Appends `bytes` as its own chunk, without copying it. */
  reference(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#closeSegment();
    this.#chunks.push(bytes);
    this.#sizeBytes += bytes.length;
  }

  /** The frame: the chunks in order, the first starting with the int32 size of everything after it. */
  finish(): Buffer[] {
    this.#closeSegment();
    const first = this.#chunks[0]!;
    writeU32BE(first, 0, this.#sizeBytes - FRAME_SIZE_PREFIX_BYTES);
    return this.#chunks;
  }

  #closeSegment(): void {
    if (this.#pos === this.#segmentStart) return;
    this.#chunks.push(this.#scratch.subarray(this.#segmentStart, this.#pos));
    this.#sizeBytes += this.#pos - this.#segmentStart;
    this.#segmentStart = this.#pos;
  }
}
