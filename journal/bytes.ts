// 64-bit integer access on plain Uint8Array without DataView or BigInt, so hot paths allocate
// nothing. Values are JS numbers; anything outside the safe-integer range reads as NaN.

const TWO_POW_32 = 0x1_0000_0000;
/** High 32-bit words above this make the 64-bit value unsafe (2^53 = 2^21 * 2^32). */
const SAFE_HIGH_WORD_MAX = 0x1f_ffff;

export function readU32LE(bytes: Uint8Array, pos: number): number {
  return (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16)) + bytes[pos + 3]! * 0x100_0000;
}

export function readU16LE(bytes: Uint8Array, pos: number): number {
  return bytes[pos]! | (bytes[pos + 1]! << 8);
}

export function writeU16LE(bytes: Uint8Array, pos: number, value: number): void {
  bytes[pos] = value;
  bytes[pos + 1] = value >>> 8;
}

export function readU32BE(bytes: Uint8Array, pos: number): number {
  return bytes[pos]! * 0x100_0000 + ((bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!);
}

export function readI32BE(bytes: Uint8Array, pos: number): number {
  return (bytes[pos]! << 24) | (bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
}

export function readI16BE(bytes: Uint8Array, pos: number): number {
  return ((bytes[pos]! << 24) | (bytes[pos + 1]! << 16)) >> 16;
}

export function writeU32BE(bytes: Uint8Array, pos: number, value: number): void {
  bytes[pos] = value >>> 24;
  bytes[pos + 1] = value >>> 16;
  bytes[pos + 2] = value >>> 8;
  bytes[pos + 3] = value;
}

export function writeI16BE(bytes: Uint8Array, pos: number, value: number): void {
  bytes[pos] = value >> 8;
  bytes[pos + 1] = value;
}

export function writeU32LE(bytes: Uint8Array, pos: number, value: number): void {
  bytes[pos] = value;
  bytes[pos + 1] = value >>> 8;
  bytes[pos + 2] = value >>> 16;
  bytes[pos + 3] = value >>> 24;
}

/** Unsigned 64-bit little-endian; NaN when the value exceeds Number.MAX_SAFE_INTEGER. */
export function readSafeU64LE(bytes: Uint8Array, pos: number): number {
  const high = readU32LE(bytes, pos + 4);
  if (high > SAFE_HIGH_WORD_MAX) return NaN;
  return high * TWO_POW_32 + readU32LE(bytes, pos);
}

/** `value` must be a non-negative safe integer. */
export function writeU64LE(bytes: Uint8Array, pos: number, value: number): void {
  writeU32LE(bytes, pos, value >>> 0);
  writeU32LE(bytes, pos + 4, Math.floor(value / TWO_POW_32));
}

/** Signed 64-bit big-endian (Kafka's int64); NaN outside the safe-integer range. */
export function readSafeI64BE(bytes: Uint8Array, pos: number): number {
  const high = readI32BE(bytes, pos);
  if (high > SAFE_HIGH_WORD_MAX || high < -SAFE_HIGH_WORD_MAX - 1) return NaN;
  const value = high * TWO_POW_32 + readU32BE(bytes, pos + 4);
  return Number.isSafeInteger(value) ? value : NaN;
}

/** `value` must be a safe integer; negative values are written in two's complement. */
export function writeI64BE(bytes: Uint8Array, pos: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  writeU32BE(bytes, pos, high >>> 0);
  writeU32BE(bytes, pos + 4, (value - high * TWO_POW_32) >>> 0);
}
