// What the projector's loop (server/projector-loop.ts) drives: a store that says where to resume,
// takes consecutive batches, and may check itself while the log is quiet. After any failure the
// loop calls resume() again, so a store never has to guess what a failed write left behind.
import type { EventBatch } from './event-batch.ts';

/** An event both sides can name: its index in the log and the seq of its command. */
export interface EventKey {
  readonly eventIndex: number;
  readonly commandSeq: number;
}

export interface ResumePoint {
  /** The next event to feed. */
  readonly eventIndexNext: number;
  /** The last event the store holds, which the log must still hold at that index with that seq. */
  readonly last: EventKey | null;
}

export interface ProjectionStore {
  /** The `store` label of the lag metric. */
  readonly name: string;
  /** Events [0, eventIndexStored) are in the store for good: the position lag is measured from. */
  readonly eventIndexStored: number;
  /** Connects (again) and says where to go on. */
  resume(): Promise<ResumePoint>;
  /** Applies events that start exactly where resume() or the previous apply() left off. */
  apply(batch: EventBatch): Promise<void>;
  /** Called while no events are waiting. */
  idle(): Promise<void>;
  close(): Promise<void>;
}
