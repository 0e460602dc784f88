// Committed consumer offsets, durable: an append-only file of entries [u32 size][u32 CRC-32C]
// [JSON], one write and one fdatasync for all commits that arrive while the previous write is
// under way (group commit). A commit is acknowledged, and visible to OffsetFetch, only after its
// fdatasync. At start the file is read up to the first torn or corrupt entry and cut there; it is
// rewritten with only the latest offsets (temp file, fsync, rename) once it grows past a limit.

import { crc32c } from '@node-rs/crc32';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { readU32BE, writeU32BE } from '../../bytes.ts';
import { syncDirectoryAsync } from '../../fs-async.ts';
import { nodeFsOps, readWholeFile, truncateFileDurably } from '../../fs-ops.ts';
import type { EndpointLog } from '../endpoint-log.ts';
import { OFFSETS_FILE_COMPACT_BYTES } from '../limits.ts';

const OFFSETS_FILE_NAME = 'offsets.log';
const OFFSETS_TEMP_FILE_NAME = 'offsets.log.tmp';
const ENTRY_HEADER_SIZE_BYTES = 8;

export interface CommittedOffset {
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

export interface OffsetCommitEntry extends CommittedOffset {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
}

interface QueuedCommit {
  readonly entries: readonly OffsetCommitEntry[];
  readonly bytes: Buffer;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function encodeEntry(entry: OffsetCommitEntry): Buffer {
  const payload = Buffer.from(JSON.stringify(entry), 'utf8');
  const bytes = Buffer.allocUnsafe(ENTRY_HEADER_SIZE_BYTES + payload.length);
  writeU32BE(bytes, 0, payload.length);
  writeU32BE(bytes, 4, crc32c(payload));
  payload.copy(bytes, ENTRY_HEADER_SIZE_BYTES);
  return bytes;
}

function isEntry(value: unknown): value is OffsetCommitEntry {
  const entry = value as Partial<OffsetCommitEntry> | null;
  return (
    typeof entry === 'object' && entry !== null &&
    typeof entry.groupId === 'string' && typeof entry.topic === 'string' && Number.isSafeInteger(entry.partition) &&
    Number.isSafeInteger(entry.offset) && Number.isSafeInteger(entry.leaderEpoch) &&
    (entry.metadata === null || typeof entry.metadata === 'string')
  );
}

/** Entries of `bytes` up to the first torn or corrupt one, and where that one starts. */
function parseEntries(bytes: Buffer): { entries: OffsetCommitEntry[]; goodEndBytes: number } {
  const entries: OffsetCommitEntry[] = [];
  let pos = 0;
  while (bytes.length - pos >= ENTRY_HEADER_SIZE_BYTES) {
    const sizeBytes = readU32BE(bytes, pos);
    const end = pos + ENTRY_HEADER_SIZE_BYTES + sizeBytes;
    if (end > bytes.length) break;
    const payload = bytes.subarray(pos + ENTRY_HEADER_SIZE_BYTES, end);
    if (crc32c(payload) !== readU32BE(bytes, pos + 4)) break;
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8'));
    } catch {
      break;
    }
    if (!isEntry(value)) break;
    entries.push(value);
    pos = end;
  }
  return { entries, goodEndBytes: pos };
}

export class OffsetStore {
  readonly #dir: string;
  readonly #log: EndpointLog;
  #handle: FileHandle;
  #sizeBytes: number;
  /** groupId -> "topic\npartition" -> offset. */
  readonly #groups = new Map<string, Map<string, CommittedOffset>>();
  #queue: QueuedCommit[] = [];
  #writing = false;
  /** Bytes cut off a torn or corrupt tail at open (0 when the file was sound). */
  readonly truncatedBytes: number;

  private constructor(dir: string, log: EndpointLog, handle: FileHandle, sizeBytes: number, entries: readonly OffsetCommitEntry[], truncatedBytes: number) {
    this.#dir = dir;
    this.#log = log;
    this.#handle = handle;
    this.#sizeBytes = sizeBytes;
    this.truncatedBytes = truncatedBytes;
    for (const entry of entries) this.#apply(entry);
  }

  static async open(dir: string, log: EndpointLog): Promise<OffsetStore> {
    const path = join(dir, OFFSETS_FILE_NAME);
    const bytes = nodeFsOps.existsSync(path) ? readWholeFile(nodeFsOps, path) : Buffer.alloc(0);
    const { entries, goodEndBytes } = parseEntries(bytes);
    if (goodEndBytes < bytes.length) truncateFileDurably(nodeFsOps, path, goodEndBytes);
    const handle = await open(path, 'a');
    return new OffsetStore(dir, log, handle, goodEndBytes, entries, bytes.length - goodEndBytes);
  }

  get groupCount(): number {
    return this.#groups.size;
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.#groups.get(groupId)?.get(`${topic}\n${partition}`);
  }

  /** Every committed offset of `groupId` as [topic, partition, offset]. */
  list(groupId: string): { topic: string; partition: number; committed: CommittedOffset }[] {
    const offsets = this.#groups.get(groupId);
    if (offsets === undefined) return [];
    return [...offsets].map(([key, committed]) => {
      const [topic, partition] = key.split('\n') as [string, string];
      return { topic, partition: Number(partition), committed };
    });
  }

  /** Resolves once `entries` are durable (and visible to get/list); rejects if the write failed. */
  commit(entries: readonly OffsetCommitEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#queue.push({ entries, bytes: Buffer.concat(entries.map(encodeEntry)), resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async close(): Promise<void> {
    while (this.#writing) await new Promise((resolve) => setImmediate(resolve));
    await this.#handle.close();
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        const bytes = Buffer.concat(batch.map((commit) => commit.bytes));
        await this.#handle.write(bytes, 0, bytes.length);
        await this.#handle.datasync();
        this.#sizeBytes += bytes.length;
        for (const commit of batch) for (const entry of commit.entries) this.#apply(entry);
        for (const commit of batch) commit.resolve();
      } catch (error) {
        for (const commit of batch) commit.reject(error);
        continue;
      }
      if (this.#sizeBytes <= OFFSETS_FILE_COMPACT_BYTES) continue;
      try {
        await this.#compact();
      } catch (error) {
        // The old file is intact until the rename, so appending to it goes on; compaction is retried.
        this.#log.error({ err: error }, 'compacting the committed-offsets file failed');
      }
    }
    this.#writing = false;
  }

  #apply(entry: OffsetCommitEntry): void {
    let offsets = this.#groups.get(entry.groupId);
    if (offsets === undefined) {
      offsets = new Map();
      this.#groups.set(entry.groupId, offsets);
    }
    offsets.set(`${entry.topic}\n${entry.partition}`, { offset: entry.offset, leaderEpoch: entry.leaderEpoch, metadata: entry.metadata });
  }

  async #compact(): Promise<void> {
    const entries: Buffer[] = [];
    for (const groupId of this.#groups.keys()) {
      for (const { topic, partition, committed } of this.list(groupId)) entries.push(encodeEntry({ groupId, topic, partition, ...committed }));
    }
    const bytes = Buffer.concat(entries);
    const tempPath = join(this.#dir, OFFSETS_TEMP_FILE_NAME);
    const temp = await open(tempPath, 'w');
    try {
      await temp.write(bytes, 0, bytes.length, 0);
      await temp.sync();
    } finally {
      await temp.close();
    }
    const next = await open(tempPath, 'a');
    try {
      await rename(tempPath, join(this.#dir, OFFSETS_FILE_NAME));
    } catch (error) {
      await next.close();
      throw error;
    }
    await syncDirectoryAsync(this.#dir);
    const previous = this.#handle;
    // The handle opened before the rename follows the file to its new name.
    this.#handle = next;
    this.#sizeBytes = bytes.length;
    await previous.close();
  }
}
