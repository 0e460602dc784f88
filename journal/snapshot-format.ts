// The bytes of one snapshot file: a fixed little-endian header, the state hash, then the payload
// (the engine's encoded state, opaque here). The header CRC covers the header and the state hash,
// the payload CRC the payload, so a flip anywhere in the file is caught.
//
//   off size field
//     0    4 magic "EXSN"
//     4    2 version (1)
//     6    2 stateHashSizeBytes
//     8    8 seq (u64): the last command applied to the captured state
//    16    8 payloadSizeBytes (u64)
//    24    4 payloadCrc32c
//    28    4 headerCrc32c over bytes [0, 28) and the state hash
//    32    n state hash
//  32+n    m payload

import { crc32c } from '@node-rs/crc32';
import { readSafeU64LE, readU16LE, readU32LE, writeU16LE, writeU32LE, writeU64LE } from './bytes.ts';
import { SnapshotCorruptError } from './errors.ts';

export const SNAPSHOT_MAGIC = 0x4e53_5845; // "EXSN" read as a little-endian u32
export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_HEADER_SIZE_BYTES = 32;
export const STATE_HASH_SIZE_BYTES_MAX = 0xffff;
const MAGIC_POS = 0;
const VERSION_POS = 4;
const STATE_HASH_SIZE_POS = 6;
const SEQ_POS = 8;
const PAYLOAD_SIZE_POS = 16;
const PAYLOAD_CRC_POS = 24;
const HEADER_CRC_POS = 28;

export interface Snapshot {
  readonly seq: number;
  readonly stateHash: Uint8Array;
  readonly payload: Uint8Array;
}

/** Header and state hash; the payload follows them in the file unchanged. */
export function encodeSnapshotHeader(snapshot: Snapshot): Uint8Array {
  const { seq, stateHash, payload } = snapshot;
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`snapshot seq ${seq} is not a non-negative safe integer`);
  if (stateHash.length > STATE_HASH_SIZE_BYTES_MAX) throw new RangeError(`state hash of ${stateHash.length} bytes > ${STATE_HASH_SIZE_BYTES_MAX}`);
  const header = new Uint8Array(SNAPSHOT_HEADER_SIZE_BYTES + stateHash.length);
  writeU32LE(header, MAGIC_POS, SNAPSHOT_MAGIC);
  writeU16LE(header, VERSION_POS, SNAPSHOT_VERSION);
  writeU16LE(header, STATE_HASH_SIZE_POS, stateHash.length);
  writeU64LE(header, SEQ_POS, seq);
  writeU64LE(header, PAYLOAD_SIZE_POS, payload.length);
  writeU32LE(header, PAYLOAD_CRC_POS, crc32c(payload));
  header.set(stateHash, SNAPSHOT_HEADER_SIZE_BYTES);
  writeU32LE(header, HEADER_CRC_POS, headerCrc(header));
  return header;
}

function headerCrc(header: Uint8Array): number {
  return crc32c(header.subarray(SNAPSHOT_HEADER_SIZE_BYTES), crc32c(header.subarray(0, HEADER_CRC_POS)));
}

/** Decodes and verifies a whole snapshot file; throws SnapshotCorruptError naming `path`. */
export function decodeSnapshot(path: string, file: Uint8Array): Snapshot {
  const corrupt = (defect: SnapshotCorruptError['defect'], detail: string): never => {
    throw new SnapshotCorruptError(path, defect, detail);
  };
  if (file.length < SNAPSHOT_HEADER_SIZE_BYTES) corrupt('truncated', `${file.length} bytes, header needs ${SNAPSHOT_HEADER_SIZE_BYTES}`);
  const magic = readU32LE(file, MAGIC_POS);
  if (magic !== SNAPSHOT_MAGIC) corrupt('magic', `magic ${magic.toString(16)}`);
  const version = readU16LE(file, VERSION_POS);
  if (version !== SNAPSHOT_VERSION) corrupt('version', `version ${version}, expected ${SNAPSHOT_VERSION}`);
  const stateHashSizeBytes = readU16LE(file, STATE_HASH_SIZE_POS);
  const headerEnd = SNAPSHOT_HEADER_SIZE_BYTES + stateHashSizeBytes;
  if (file.length < headerEnd) corrupt('truncated', `${file.length} bytes, header and state hash need ${headerEnd}`);
  const header = file.subarray(0, headerEnd);
  const headerCrcStored = readU32LE(file, HEADER_CRC_POS);
  if (headerCrcStored !== headerCrc(header)) corrupt('headerCrc', `stored ${headerCrcStored.toString(16)}, computed ${headerCrc(header).toString(16)}`);
  const payloadSizeBytes = readSafeU64LE(file, PAYLOAD_SIZE_POS);
  if (payloadSizeBytes !== file.length - headerEnd) corrupt('length', `payload of ${payloadSizeBytes} bytes, file holds ${file.length - headerEnd}`);
  const payload = file.subarray(headerEnd);
  const payloadCrcStored = readU32LE(file, PAYLOAD_CRC_POS);
  if (payloadCrcStored !== crc32c(payload)) corrupt('payloadCrc', `stored ${payloadCrcStored.toString(16)}, computed ${crc32c(payload).toString(16)}`);
  const seq = readSafeU64LE(file, SEQ_POS);
  if (Number.isNaN(seq)) corrupt('seq', 'seq is not a safe integer');
  return { seq, stateHash: file.subarray(SNAPSHOT_HEADER_SIZE_BYTES, headerEnd), payload };
}
