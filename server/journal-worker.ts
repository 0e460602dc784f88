// The journal worker: takes every command the main thread publishes, in batches (group commit: one
// write and one fdatasync per batch), then publishes the durable seq and wakes the main thread,
// which releases effects only up to it. A write failure stops the worker for good: the process
// must restart and recover (nothing beyond the durable point was released).
import { parentPort, workerData } from 'node:worker_threads';
import { JournalWriter } from '../journal/journal-writer.ts';
import type { JournalScanReport } from '../journal/journal-scan.ts';
import { COMMAND_SIZE_BYTES } from '../engine/schema.ts';
import { JOURNAL_CONSUMER, Signal, StatsBuffer, wake, type PipelineMemory } from './pipeline-memory.ts';
import { Ring } from './ring.ts';
import type { Durability } from './config.ts';

export interface JournalWorkerData {
  readonly memory: PipelineMemory;
  readonly dataDir: string;
  readonly durability: Durability;
  readonly segmentSizeBytes: number;
  readonly batchRecordsMax: number;
  readonly scan: JournalScanReport;
}

/** How long an idle worker sleeps before it looks at the stop flag again. */
const IDLE_WAIT_MS = 50;

function run(data: JournalWorkerData): void {
  const ring = new Ring(data.memory.commands, COMMAND_SIZE_BYTES);
  const signals = new Int32Array(data.memory.signals);
  const durable = new BigInt64Array(data.memory.durable);
  const writer = JournalWriter.open({ dir: data.dataDir, recordSizeBytes: COMMAND_SIZE_BYTES, recovered: data.scan, durability: data.durability, segmentSizeBytesMax: data.segmentSizeBytes });
  const batchMax = Math.min(data.batchRecordsMax, writer.batchRecordsMax);
  const scratch = new Uint8Array(batchMax * COMMAND_SIZE_BYTES);
  Atomics.store(durable, 0, BigInt(writer.seqDurable));
  parentPort?.postMessage({ kind: 'ready', seqDurable: writer.seqDurable });
  let position = ring.consumed(JOURNAL_CONSUMER);
  const stats = new StatsBuffer((fsyncSeconds, batchSizes) => parentPort?.postMessage({ kind: 'stats', fsyncSeconds, batchSizes }));
  try {
    for (;;) {
      const available = ring.available(JOURNAL_CONSUMER);
      if (available === 0) {
        stats.flush();
        if (Atomics.load(signals, Signal.STOP) === 1) break;
        ring.waitForPublished(ring.published(), IDLE_WAIT_MS);
        continue;
      }
      const count = Math.min(available, batchMax);
      const offset = ring.offsetOf(position);
      const contiguous = offset + count * COMMAND_SIZE_BYTES <= ring.bytes.length;
      let records: Uint8Array;
      if (contiguous) {
        records = ring.bytes.subarray(offset, offset + count * COMMAND_SIZE_BYTES);
      } else {
        const head = ring.bytes.length - offset;
        scratch.set(ring.bytes.subarray(offset), 0);
        scratch.set(ring.bytes.subarray(0, count * COMMAND_SIZE_BYTES - head), head);
        records = scratch.subarray(0, count * COMMAND_SIZE_BYTES);
      }
      const startedMs = performance.now();
      const seqDurable = writer.append(records, count);
      stats.add((performance.now() - startedMs) / 1_000, count);
      Atomics.store(durable, 0, BigInt(seqDurable));
      position = (position + count) | 0;
      ring.release(JOURNAL_CONSUMER, position);
      wake(signals);
    }
  } finally {
    stats.flush();
    writer.close();
  }
  parentPort?.postMessage({ kind: 'stopped', seqDurable: writer.seqDurable });
}

try {
  run(workerData as JournalWorkerData);
} catch (error) {
  parentPort?.postMessage({ kind: 'fatal', message: (error as Error).stack ?? String(error) });
  process.exitCode = 1;
}
