// The memory the main thread and the two workers share: the command ring (read by the journal and
// the core), the event ring (read by the main thread), the durable sequence and the wake-up signals.
import { createRingBuffers, type RingBuffers } from './ring.ts';
import { COMMAND_SIZE_BYTES, EVENT_SIZE_BYTES } from '../engine/schema.ts';

export const JOURNAL_CONSUMER = 0;
export const CORE_CONSUMER = 1;
export const MAIN_CONSUMER = 0;

/** Int32 cells of the signal block. */
export const Signal = {
  /** Bumped after every durable batch and every batch of events: the main thread waits on it. */
  WAKE: 0,
  /** Set by the main thread: finish what is in the command ring, then stop. */
  STOP: 1,
  /** How many commands the core has applied (wrap-around counter, like the ring cursors). */
  CORE_APPLIED: 2,
} as const;
const SIGNAL_CELLS = 4;

export interface PipelineMemory {
  readonly commands: RingBuffers;
  readonly events: RingBuffers;
  readonly signals: SharedArrayBuffer;
  /** One BigInt64: the highest durable seq. */
  readonly durable: SharedArrayBuffer;
}

export function createPipelineMemory(commandSlots: number, eventSlots: number): PipelineMemory {
  return {
    commands: createRingBuffers({ slotCount: commandSlots, slotSizeBytes: COMMAND_SIZE_BYTES, consumers: 2 }),
    events: createRingBuffers({ slotCount: eventSlots, slotSizeBytes: EVENT_SIZE_BYTES, consumers: 1 }),
    signals: new SharedArrayBuffer(4 * SIGNAL_CELLS),
    durable: new SharedArrayBuffer(8),
  };
}

/** Wakes the main thread. */
export function wake(signals: Int32Array): void {
  Atomics.add(signals, Signal.WAKE, 1);
  Atomics.notify(signals, Signal.WAKE);
}

/** Timings a worker reports for metrics, posted at most every STATS_INTERVAL_MS, at most STATS_SAMPLES_MAX per kind. */
export const STATS_INTERVAL_MS = 1_000;
export const STATS_SAMPLES_MAX = 10_000;

export class StatsBuffer {
  private samples: number[] = [];
  private sizes: number[] = [];
  private postedAtMs = performance.now();

  constructor(private readonly post: (samples: number[], sizes: number[]) => void) {}

  add(seconds: number, size: number): void {
    if (this.samples.length < STATS_SAMPLES_MAX) {
      this.samples.push(seconds);
      this.sizes.push(size);
    }
    const now = performance.now();
    if (now - this.postedAtMs >= STATS_INTERVAL_MS) this.flush(now);
  }

  flush(now = performance.now()): void {
    if (this.samples.length > 0) this.post(this.samples, this.sizes);
    this.samples = [];
    this.sizes = [];
    this.postedAtMs = now;
  }
}

export function seqDurableOf(durable: BigInt64Array): number {
  return Number(Atomics.load(durable, 0));
}
