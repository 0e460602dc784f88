// Little-endian byte writer and reader for the snapshot encoding; the reader throws a
// SnapshotFormatError naming the offset when the bytes end early or hold an impossible value.
import { readU64, writeU64 } from './schema.ts';

export class SnapshotFormatError extends Error {
  constructor(message: string, readonly offsetBytes: number) {
    super(`snapshot: ${message} at byte ${offsetBytes}`);
    this.name = 'SnapshotFormatError';
  }
}

export class ByteWriter {
  private bytes = new Uint8Array(1 << 16);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private room(n: number): number {
    if (this.length + n > this.bytes.length) {
      const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
      next.set(this.bytes);
      this.bytes = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  // room() may replace the view, so it is called before the view is read.
  u8(v: number): void { const at = this.room(1); this.view.setUint8(at, v); }
  u32(v: number): void { const at = this.room(4); this.view.setUint32(at, v, true); }
  u64(v: number): void { const at = this.room(8); writeU64(this.view, at, v); }
  text(v: string): void {
    const encoded = new TextEncoder().encode(v);
    this.u32(encoded.length);
    const at = this.room(encoded.length);
    this.bytes.set(encoded, at);
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

export class ByteReader {
  private readonly view: DataView;
  offset = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private take(n: number): number {
    if (this.offset + n > this.bytes.length) throw new SnapshotFormatError(`needs ${n} more bytes, has ${this.bytes.length - this.offset}`, this.offset);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(): number { return this.view.getUint8(this.take(1)); }
  u32(): number { return this.view.getUint32(this.take(4), true); }
  u64(): number {
    const at = this.take(8);
    const v = readU64(this.view, at);
    if (!Number.isSafeInteger(v)) throw new SnapshotFormatError('u64 is not a safe integer', at);
    return v;
  }
  text(): string {
    const n = this.u32();
    const at = this.take(n);
    return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(at, at + n));
  }
  /** Bounds a count read from the bytes, so corrupt input cannot ask for absurd work. */
  count(max: number, what: string): number {
    const at = this.offset;
    const n = this.u32();
    if (n > max) throw new SnapshotFormatError(`${what} count ${n} exceeds ${max}`, at);
    return n;
  }
  get remaining(): number { return this.bytes.length - this.offset; }
}
