// Replay: every journaled command after the engine's seqLast, validated batch by batch by the
// scan and applied in seq order. The events it produces are handed on in runs so memory stays
// bounded however long the journal is. An engine exception stops the replay with the file,
// batch offset and seq of the command, never skipping it.

import type { Engine } from '../engine/engine.ts';
import { COMMAND_RECORD_SIZE_BYTES } from './core-records.ts';
import { ReplayError } from './errors.ts';
import type { FsOps } from './fs-ops.ts';
import { scanJournal, type BatchLocation, type JournalScanReport } from './journal-scan.ts';
import { commandLayout, readRecordTimeUs } from './record-layout.ts';

/** Events are handed on at least this often (and at every batch end), bounding the engine's buffer. */
const REPLAY_EVENTS_FLUSH_COUNT = 4096;
const COMMAND_LAYOUT = commandLayout(COMMAND_RECORD_SIZE_BYTES);

export interface ReplayOptions {
  readonly dir: string;
  readonly engine: Engine;
  /** Cut a torn tail off the journal (a restart does); false leaves the files untouched. */
  readonly truncateTail: boolean;
  readonly fsOps: FsOps;
  /** The events of the replayed commands in order, `count` records at the start of a reused view. */
  readonly onEvents: (events: Uint8Array, count: number) => void;
  /** After each command is applied (and before its events are handed on). */
  readonly onApplied?: (seq: number) => void;
}

export interface ReplayReport {
  readonly scan: JournalScanReport;
  readonly commandsReplayed: number;
  /** Time of the last replayed command; NaN when none was replayed. */
  readonly timeUsLast: number;
}

export function replayJournal(options: ReplayOptions): ReplayReport {
  const { engine, onEvents, onApplied } = options;
  const events = engine.events;
  let batch: BatchLocation | null = null;
  let view: DataView | null = null;
  let commandsReplayed = 0;
  let timeUsLast = NaN;
  const flush = (): void => {
    if (events.count > 0) onEvents(events.written(), events.count);
    events.clear();
  };
  if (events.count !== 0) throw new Error(`replay needs an engine with no pending events, it holds ${events.count}`);
  const scan = scanJournal(options.dir, {
    recordSizeBytes: COMMAND_RECORD_SIZE_BYTES,
    seqFrom: engine.seqLast + 1,
    truncateTail: options.truncateTail,
    fsOps: options.fsOps,
    onBatch: (location) => {
      flush();
      batch = location;
    },
    onRecord: (bytes, offsetBytes, seq) => {
      if (view === null || view.buffer !== bytes.buffer || view.byteOffset !== bytes.byteOffset) {
        view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      try {
        engine.applyRecord(view, offsetBytes);
      } catch (error) {
        const location = batch as BatchLocation | null;
        throw new ReplayError(location?.path ?? options.dir, location?.offsetBytes ?? 0, seq, { cause: error });
      }
      commandsReplayed++;
      timeUsLast = readRecordTimeUs(bytes, offsetBytes, COMMAND_LAYOUT);
      onApplied?.(seq);
      if (events.count >= REPLAY_EVENTS_FLUSH_COUNT) flush();
    },
  });
  flush();
  return { scan, commandsReplayed, timeUsLast };
}
