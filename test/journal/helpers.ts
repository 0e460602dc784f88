// Shared fixtures for the journal tests: temp dirs that are always removed, deterministic command
// and event records, and an fs-ops wrapper that injects failures.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeU64LE } from '../../journal/bytes.ts';
import { nodeFsOps, type FsOps } from '../../journal/fs-ops.ts';
import { scanJournal, type JournalScanReport, type ScanOptions } from '../../journal/journal-scan.ts';
import { JournalWriter, type JournalWriterOptions } from '../../journal/journal-writer.ts';
import { COMMAND_SEQ_OFFSET_BYTES, COMMAND_TIME_US_OFFSET_BYTES, type RecordLayout } from '../../journal/record-layout.ts';

export const RECORD_SIZE_BYTES = 32;
/** 2026-01-01T00:00:00Z in microseconds. */
export const TIME_US_BASE = 1_767_225_600_000_000;

export async function withTempDir<T>(run: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'journal-test-'));
  try {
    return await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Command `seq` has type 1 + seq % 7, time advancing 337 us per seq and a seq-derived payload. */
export function fillCommand(target: Uint8Array, pos: number, seq: number, sizeBytes: number): void {
  target[pos] = 1 + (seq % 7);
  writeU64LE(target, pos + COMMAND_SEQ_OFFSET_BYTES, seq);
  writeU64LE(target, pos + COMMAND_TIME_US_OFFSET_BYTES, TIME_US_BASE + seq * 337);
  for (let index = 24; index < sizeBytes; index++) target[pos + index] = (seq * 31 + index) & 0xff;
}

export function makeCommands(seqFirst: number, count: number, sizeBytes = RECORD_SIZE_BYTES): Buffer {
  const records = Buffer.alloc(count * sizeBytes);
  for (let index = 0; index < count; index++) fillCommand(records, index * sizeBytes, seqFirst + index, sizeBytes);
  return records;
}

export function scan(dir: string, options: Partial<ScanOptions> = {}): JournalScanReport {
  return scanJournal(dir, { recordSizeBytes: RECORD_SIZE_BYTES, ...options });
}

/** Seqs delivered by a scan, checking each record's bytes against the fixture. */
export function scanSeqs(dir: string, options: Partial<ScanOptions> = {}): { seqs: number[]; report: JournalScanReport } {
  const seqs: number[] = [];
  const expected = Buffer.alloc(RECORD_SIZE_BYTES);
  const report = scan(dir, {
    ...options,
    onRecord: (bytes, offsetBytes, seq) => {
      fillCommand(expected, 0, seq, RECORD_SIZE_BYTES);
      if (!expected.equals(bytes.subarray(offsetBytes, offsetBytes + RECORD_SIZE_BYTES))) throw new Error(`record ${seq} differs`);
      seqs.push(seq);
    },
  });
  return { seqs, report };
}

export function openWriter(dir: string, options: Partial<JournalWriterOptions> = {}): JournalWriter {
  const recovered = options.recovered ?? scan(dir);
  return JournalWriter.open({ dir, recordSizeBytes: RECORD_SIZE_BYTES, durability: 'none', ...options, recovered });
}

/** Appends one batch per entry of `batchCounts`, continuing the journal's seqs. */
export function appendBatches(writer: JournalWriter, batchCounts: readonly number[]): void {
  for (const count of batchCounts) writer.append(makeCommands(writer.seqDurable + 1, count), count);
}

export function range(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, index) => first + index);
}

export function errnoError(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** nodeFsOps with selected calls replaced. */
export function fsOpsWith(overrides: Partial<FsOps>): FsOps {
  return { ...nodeFsOps, ...overrides };
}

/** Events: fixed 40-byte records, command seq at 8, time at 16, event index payload at 24. */
export const EVENT_LAYOUT: RecordLayout = { sizeBytes: 40, seqOffsetBytes: 8, timeUsOffsetBytes: 16 };

/** Events for commands `commandSeqs` (one entry per event), numbered from `eventIndexFirst`. */
export function makeEvents(commandSeqs: readonly number[], eventIndexFirst: number): Buffer {
  const sizeBytes = EVENT_LAYOUT.sizeBytes;
  const events = Buffer.alloc(commandSeqs.length * sizeBytes);
  commandSeqs.forEach((seq, index) => {
    const pos = index * sizeBytes;
    events[pos] = 0x40;
    writeU64LE(events, pos + EVENT_LAYOUT.seqOffsetBytes, seq);
    writeU64LE(events, pos + EVENT_LAYOUT.timeUsOffsetBytes, TIME_US_BASE + seq * 337);
    writeU64LE(events, pos + 24, eventIndexFirst + index);
  });
  return events;
}
