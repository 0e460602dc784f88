// Commands and batches as text for people (`journal inspect`): seq, time, type and every field
// the engine's schema names, decoded by that schema.

import { commandLayout, decodeRecord, readU64 } from '../engine/schema.ts';
import { COMMAND_SEQ_OFFSET_BYTES, COMMAND_TIME_US_OFFSET_BYTES, COMMAND_TYPE_OFFSET_BYTES } from './record-layout.ts';
import type { BatchLocation } from './journal-scan.ts';

const US_PER_MS = 1000;
const HEADER_FIELDS = new Set(['type', 'seq', 'timeUs']);

/** ISO 8601 with microseconds, e.g. 2026-01-01T00:00:00.000123Z. */
export function isoTimeUs(timeUs: number): string {
  const ms = Math.floor(timeUs / US_PER_MS);
  return `${new Date(ms).toISOString().slice(0, -1)}${String(timeUs - ms * US_PER_MS).padStart(3, '0')}Z`;
}

export function commandText(view: DataView, offsetBytes: number): string {
  const type = view.getUint8(offsetBytes + COMMAND_TYPE_OFFSET_BYTES);
  const seq = readU64(view, offsetBytes + COMMAND_SEQ_OFFSET_BYTES);
  const timeUs = readU64(view, offsetBytes + COMMAND_TIME_US_OFFSET_BYTES);
  const head = `seq ${seq} ${isoTimeUs(timeUs)}`;
  const layout = commandLayout(type);
  if (layout === undefined) return `${head} type ${type} (no such command; the engine rejects it)`;
  const fields = Object.entries(decodeRecord(layout, view, offsetBytes)).filter(([name]) => !HEADER_FIELDS.has(name));
  return `${head} ${layout.name} ${fields.map(([name, value]) => `${name}=${value}`).join(' ')}`;
}

export function batchText(batch: BatchLocation): string {
  const seqLast = batch.seqFirst + batch.recordCount - 1;
  return `batch seq ${batch.seqFirst}..${seqLast} (${batch.recordCount} commands, ${batch.sizeBytes} bytes) at ${batch.path} byte ${batch.offsetBytes}`;
}
