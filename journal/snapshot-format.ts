// The bytes of one snapshot file: a fixed little-endian header, the state hash, then the payload
// (the engine's encoded state, opaque here). The header CRC covers the header and the state hash,
// the payload CRC the payload, so a flip anywhere in the file is caught. Besides the seq, the header
// holds what recovery needs to continue from the snapshot without looking inside the payload: the
// time of the last command (the sequencer never goes back from it) and the event log position that
// matches the captured state (events before it are already in the log).
//
//   off size field
//     0    4 magic "EXSN"
//     4    2 version (2)
//     6    2 stateHashSizeBytes
//     8    8 seq (u64): the last command applied to the captured state
//    16    8 timeUs (u64): that command's time
//    24    8 eventIndexNext (u64): events the commands up to seq produced, counted from event index 0
//    32    8 payloadSizeBytes (u64)
//    40    4 payloadCrc32c
//    44    4 headerCrc32c over bytes [0, 44) and the state hash
//    48    n state hash
//  48+n    m payload

import { crc32c } from '@node-rs/crc32';
import { readSafeU64LE, readU16LE, readU32LE, writeU16LE, writeU32LE, writeU64LE } from './bytes.ts';
import { SnapshotCorruptError } from './errors.ts';

export const SNAPSHOT_MAGIC = 0x4e53_5845; // "EXSN" read as a little-endian u32
export const SNAPSHOT_VERSION = 2;
export const SNAPSHOT_HEADER_SIZE_BYTES = 48;
export const STATE_HASH_SIZE_BYTES_MAX = 0xffff;
const MAGIC_POS = 0;
const VERSION_POS = 4;
const STATE_HASH_SIZE_POS = 6;
const SEQ_POS = 8;
const TIME_US_POS = 16;
const EVENT_INDEX_NEXT_POS = 24;
const PAYLOAD_SIZE_POS = 32;
const PAYLOAD_CRC_POS = 40;
const HEADER_CRC_POS = 44;

export interface Snapshot {
  readonly seq: number;
  readonly timeUs: number;
  readonly eventIndexNext: number;
  readonly stateHash: Uint8Array;
  readonly payload: Uint8Array;
}

/** A snapshot file and the seq its name claims. */
export interface SnapshotFile {
  readonly path: string;
  readonly seq: number;
}

/** Header and state hash; the payload follows them in the file unchanged. */
export function encodeSnapshotHeader(snapshot: Snapshot): Uint8Array {
  const { seq, timeUs, eventIndexNext, stateHash, payload } = snapshot;
  for (const [name, value] of [['seq', seq], ['timeUs', timeUs], ['eventIndexNext', eventIndexNext]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`snapshot ${name} ${value} is not a non-negative safe integer`);
  }
  if (stateHash.length > STATE_HASH_SIZE_BYTES_MAX) throw new RangeError(`state hash of ${stateHash.length} bytes > ${STATE_HASH_SIZE_BYTES_MAX}`);
  const header = new Uint8Array(SNAPSHOT_HEADER_SIZE_BYTES + stateHash.length);
  writeU32LE(header, MAGIC_POS, SNAPSHOT_MAGIC);
  writeU16LE(header, VERSION_POS, SNAPSHOT_VERSION);
  writeU16LE(header, STATE_HASH_SIZE_POS, stateHash.length);
  writeU64LE(header, SEQ_POS, seq);
  writeU64LE(header, TIME_US_POS, timeUs);
  writeU64LE(header, EVENT_INDEX_NEXT_POS, eventIndexNext);
  writeU64LE(header, PAYLOAD_SIZE_POS, payload.length);
  writeU32LE(header, PAYLOAD_CRC_POS, crc32c(payload));
  header.set(stateHash, SNAPSHOT_HEADER_SIZE_BYTES);
  writeU32LE(header, HEADER_CRC_POS, headerCrc(header));
  return header;
}

function headerCrc(header: Uint8Array): number {
  return crc32c(header.subarray(SNAPSHOT_HEADER_SIZE_BYTES), crc32c(header.subarray(0, HEADER_CRC_POS)));
}

/** Decodes and verifies a whole snapshot file; throws SnapshotCorruptError naming the file, the field's offset and the seq. */
export function decodeSnapshot(file: SnapshotFile, bytes: Uint8Array): Snapshot {
  const corrupt = (defect: SnapshotCorruptError['defect'], offsetBytes: number, detail: string): never => {
    throw new SnapshotCorruptError(file.path, defect, offsetBytes, file.seq, detail);
  };
  if (bytes.length < SNAPSHOT_HEADER_SIZE_BYTES) corrupt('truncated', bytes.length, `${bytes.length} bytes, header needs ${SNAPSHOT_HEADER_SIZE_BYTES}`);
  const magic = readU32LE(bytes, MAGIC_POS);
  if (magic !== SNAPSHOT_MAGIC) corrupt('magic', MAGIC_POS, `magic ${magic.toString(16)}`);
  const version = readU16LE(bytes, VERSION_POS);
  if (version !== SNAPSHOT_VERSION) corrupt('version', VERSION_POS, `version ${version}, expected ${SNAPSHOT_VERSION}`);
  const stateHashSizeBytes = readU16LE(bytes, STATE_HASH_SIZE_POS);
  const headerEnd = SNAPSHOT_HEADER_SIZE_BYTES + stateHashSizeBytes;
  if (bytes.length < headerEnd) corrupt('truncated', bytes.length, `${bytes.length} bytes, header and state hash need ${headerEnd}`);
  const header = bytes.subarray(0, headerEnd);
  const headerCrcStored = readU32LE(bytes, HEADER_CRC_POS);
  if (headerCrcStored !== headerCrc(header)) {
    corrupt('headerCrc', HEADER_CRC_POS, `stored ${headerCrcStored.toString(16)}, computed ${headerCrc(header).toString(16)}`);
  }
  const payloadSizeBytes = readSafeU64LE(bytes, PAYLOAD_SIZE_POS);
  if (payloadSizeBytes !== bytes.length - headerEnd) {
    corrupt('length', PAYLOAD_SIZE_POS, `payload of ${payloadSizeBytes} bytes, file holds ${bytes.length - headerEnd}`);
  }
  const payload = bytes.subarray(headerEnd);
  const payloadCrcStored = readU32LE(bytes, PAYLOAD_CRC_POS);
  if (payloadCrcStored !== crc32c(payload)) {
    corrupt('payloadCrc', PAYLOAD_CRC_POS, `stored ${payloadCrcStored.toString(16)}, computed ${crc32c(payload).toString(16)}`);
  }
  const seq = readSafeU64LE(bytes, SEQ_POS);
  if (seq !== file.seq) corrupt('seq', SEQ_POS, `header seq ${seq} differs from the name`);
  const timeUs = readSafeU64LE(bytes, TIME_US_POS);
  const eventIndexNext = readSafeU64LE(bytes, EVENT_INDEX_NEXT_POS);
  if (Number.isNaN(timeUs) || Number.isNaN(eventIndexNext)) corrupt('field', TIME_US_POS, 'timeUs or eventIndexNext is not a safe integer');
  return { seq, timeUs, eventIndexNext, stateHash: bytes.subarray(SNAPSHOT_HEADER_SIZE_BYTES, headerEnd), payload };
}
