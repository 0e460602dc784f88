// Kafka's variable-length integers: protobuf-style zig-zag varints (int32) and varlongs (int64) of
// records, and the unsigned varints of flexible protocol versions; 7 bits per byte, least
// significant group first. Values are JS numbers, so a varlong outside the safe-integer range is
// rejected as an overflow rather than silently rounded.

export const VARINT_SIZE_BYTES_MAX = 5;
export const VARLONG_SIZE_BYTES_MAX = 10;
const UINT32_MAX = 0xffff_ffff;

export type VarintDefect = 'overflow' | 'truncated';

export class VarintError extends Error {
  override readonly name = 'VarintError';
  constructor(
    readonly defect: VarintDefect,
    readonly positionBytes: number,
  ) {
    super(`varint ${defect} at byte ${positionBytes}`);
  }
}

/** A read position that the decoding functions advance, reused to avoid returning pairs. */
export interface ByteCursor {
  bytes: Uint8Array;
  pos: number;
}

function zigZag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function unZigZag(raw: number): number {
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/** Bytes of `raw` (a non-negative safe integer) as an unsigned varint. */
export function uvarintSizeBytes(raw: number): number {
  let rest = raw;
  let sizeBytes = 1;
  while (rest >= 0x80) {
    rest = Math.floor(rest / 0x80);
    sizeBytes++;
  }
  return sizeBytes;
}

export function varintSizeBytes(value: number): number {
  return uvarintSizeBytes(zigZag(value));
}

/** Writes `raw` (a non-negative safe integer) as an unsigned varint at `pos`; returns the position after it. */
export function writeUvarint(bytes: Uint8Array, pos: number, raw: number): number {
  let rest = raw;
  let at = pos;
  while (rest >= 0x80) {
    bytes[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[at++] = rest;
  return at;
}

/** Writes `value` (a safe integer) zig-zag encoded at `pos`; returns the position after it. */
export function writeVarint(bytes: Uint8Array, pos: number, value: number): number {
  return writeUvarint(bytes, pos, zigZag(value));
}

function readRaw(cursor: ByteCursor, end: number, sizeBytesMax: number): number {
  const bytes = cursor.bytes;
  const start = cursor.pos;
  let pos = start;
  let raw = 0;
  let scale = 1;
  for (;;) {
    if (pos >= end) throw new VarintError('truncated', start);
    const byte = bytes[pos++]!;
    raw += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
    if (pos - start >= sizeBytesMax) throw new VarintError('overflow', start);
    scale *= 0x80;
  }
  cursor.pos = pos;
  return raw;
}

/** Reads an unsigned varint of at most 32 bits (Kafka's compact lengths, tags and counts) that must end before `end`. */
export function readUvarint32(cursor: ByteCursor, end: number): number {
  const start = cursor.pos;
  const raw = readRaw(cursor, end, VARINT_SIZE_BYTES_MAX);
  // Five groups carry 35 bits; 32 of them are allowed.
  if (raw > UINT32_MAX) throw new VarintError('overflow', start);
  return raw;
}

/** Reads a zig-zag int32 that must end before `end`. */
export function readVarint(cursor: ByteCursor, end: number): number {
  return unZigZag(readUvarint32(cursor, end));
}

/** Reads a zig-zag int64 that must end before `end` and fit a safe integer. */
export function readVarlong(cursor: ByteCursor, end: number): number {
  const start = cursor.pos;
  const raw = readRaw(cursor, end, VARLONG_SIZE_BYTES_MAX);
  if (raw > Number.MAX_SAFE_INTEGER) throw new VarintError('overflow', start);
  return unZigZag(raw);
}
