// Reads Kafka's protocol primitives (big-endian integers, classic and compact strings, bytes and
// arrays, unsigned varints, UUIDs, tagged-field buffers) from one request, bounds-checked: any
// inconsistency is a KafkaWireError, never an out-of-range read or a huge allocation.

import { readI16BE, readI32BE, readSafeI64BE } from '../../bytes.ts';
import { VarintError, readUvarint32 } from '../../varint.ts';
import { KafkaWireError } from './errors.ts';

const UUID_SIZE_BYTES = 16;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function uuidToString(bytes: Uint8Array, pos: number): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset + pos, UUID_SIZE_BYTES).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class WireReader {
  readonly bytes: Buffer;
  pos: number;
  readonly end: number;

  constructor(bytes: Buffer, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  get remainingBytes(): number {
    return this.end - this.pos;
  }

  #take(sizeBytes: number): number {
    const start = this.pos;
    if (sizeBytes > this.end - start) throw new KafkaWireError('truncated', start, `${sizeBytes} bytes needed, ${this.end - start} left`);
    this.pos = start + sizeBytes;
    return start;
  }

  int8(): number {
    return (this.bytes[this.#take(1)]! << 24) >> 24;
  }

  bool(): boolean {
    return this.bytes[this.#take(1)]! !== 0;
  }

  int16(): number {
    return readI16BE(this.bytes, this.#take(2));
  }

  int32(): number {
    return readI32BE(this.bytes, this.#take(4));
  }

  int64(): number {
    const start = this.#take(8);
    const value = readSafeI64BE(this.bytes, start);
    if (Number.isNaN(value)) throw new KafkaWireError('int64', start, 'int64 outside the safe-integer range');
    return value;
  }

  uuid(): string {
    return uuidToString(this.bytes, this.#take(UUID_SIZE_BYTES));
  }

  /** Unsigned varint (flexible versions' lengths, tags and counts), at most 32 bits. */
  uvarint(): number {
    const start = this.pos;
    try {
      return readUvarint32(this, this.end);
    } catch (error) {
      if (!(error instanceof VarintError)) throw error;
      if (error.defect === 'truncated') throw new KafkaWireError('truncated', start, 'unsigned varint runs past the end of the request');
      throw new KafkaWireError('varint', start, 'unsigned varint longer than 5 bytes or above 32 bits');
    }
  }

  /** A length: classic int16/int32 or compact (uvarint - 1); -1 means null. */
  length(compact: boolean, wide: boolean): number {
    const start = this.pos;
    const value = compact ? this.uvarint() - 1 : wide ? this.int32() : this.int16();
    if (value < -1) throw new KafkaWireError('length', start, `length ${value}`);
    if (value > this.end - this.pos) throw new KafkaWireError('length', start, `length ${value} exceeds the ${this.end - this.pos} bytes left`);
    return value;
  }

  /** Array element count; `elementSizeBytesMin` bounds it by the bytes left. */
  arrayLength(compact: boolean, elementSizeBytesMin: number): number {
    const start = this.pos;
    const value = compact ? this.uvarint() - 1 : this.int32();
    if (value < -1) throw new KafkaWireError('length', start, `array length ${value}`);
    if (value * elementSizeBytesMin > this.end - this.pos) {
      throw new KafkaWireError('length', start, `array of ${value} cannot fit in ${this.end - this.pos} bytes`);
    }
    return value;
  }

  /** A string of `sizeBytes` bytes (already read from the length prefix). */
  stringOf(sizeBytes: number): string {
    const start = this.#take(sizeBytes);
    try {
      return utf8.decode(this.bytes.subarray(start, start + sizeBytes));
    } catch {
      throw new KafkaWireError('utf8', start, 'string is not valid UTF-8');
    }
  }

  /** A view (not a copy) of the next `sizeBytes` bytes. */
  bytesOf(sizeBytes: number): Buffer {
    const start = this.#take(sizeBytes);
    return this.bytes.subarray(start, start + sizeBytes);
  }

  /** Flexible versions end every struct with tagged fields; the endpoint reads none of them. */
  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let index = 0; index < count; index++) {
      this.uvarint();
      const sizeBytes = this.uvarint();
      this.#take(sizeBytes);
    }
  }
}
