// Drives one projection store from the on-disk event log, off the matching path: take the events
// that are durable (their command's seq <= the journal's durable seq), hand them over in batches,
// and on any failure (store down, slow, or refusing) close everything, wait with exponential
// backoff and resume from what the store says it holds. A store that is down only falls behind;
// the log on disk is where it catches up from.
import { reconnectDelayMs } from '../client/backoff.ts';
import type { ProjectionStore, ResumePoint } from '../projections/store.ts';
import { EventLogTail } from './projector-tail.ts';

export const RETRY_DELAY_MS_FIRST = 100;
export const RETRY_DELAY_MS_MAX = 5_000;

export class ProjectionMismatchError extends Error {
  override name = 'ProjectionMismatchError';
}

export type LoopState = 'starting' | 'catching-up' | 'live' | 'retrying' | 'stopped';

export interface LoopStatus {
  readonly store: string;
  readonly state: LoopState;
  readonly eventIndexStored: number;
  readonly failures: number;
  readonly lastError: string | null;
}

export interface LoopOptions {
  readonly dataDir: string;
  /** Most events in one store write. */
  readonly batchEventsMax: number;
  /** Sleep when no durable event is waiting. */
  readonly pollIntervalMs: number;
  /** Longest a durable event waits for a fuller batch: fewer, larger writes under a steady stream. */
  readonly lingerMs: number;
  /** The journal's durable seq: later events may still vanish in a crash, so they wait. */
  readonly durableSeq: () => number;
  readonly nowMs: () => number;
  readonly onFailure: (store: string, error: unknown, attempt: number) => void;
}

export class ProjectionLoop {
  #tail: EventLogTail | null = null;
  #state: LoopState = 'starting';
  #failures = 0;
  #lastError: string | null = null;
  #stopAtMs = Number.POSITIVE_INFINITY;
  /** Since when durable events have been waiting for a fuller batch. */
  #waitingSinceMs: number | null = null;
  #wake: (() => void) | null = null;

  constructor(private readonly store: ProjectionStore, private readonly options: LoopOptions) {}

  status(): LoopStatus {
    return { store: this.store.name, state: this.#state, eventIndexStored: this.store.eventIndexStored, failures: this.#failures, lastError: this.#lastError };
  }

  /** Ends run() once every durable event is applied, or at `deadlineMs` whatever is left. */
  stop(deadlineMs: number): void {
    this.#stopAtMs = deadlineMs;
    this.#wake?.();
  }

  async run(): Promise<void> {
    let attempt = 0;
    // The backoff starts over only once the store holds more than it did at the last failure: a
    // PostgreSQL batch's failure surfaces at the next call, after calls that seemed to succeed.
    let storedAtFailure = -1;
    const progressed = (): void => {
      if (this.store.eventIndexStored > storedAtFailure) attempt = 0;
    };
    while (this.options.nowMs() < this.#stopAtMs) {
      try {
        const tail = this.#tail ?? (await this.open());
        if (tail.buffered < this.options.batchEventsMax) tail.poll();
        const count = this.durableCount(tail);
        if (count === 0) {
          await this.store.idle();
          progressed();
          if (this.#stopAtMs !== Number.POSITIVE_INFINITY) break;
          this.#state = 'live';
          await this.sleep(this.options.pollIntervalMs);
          continue;
        }
        if (count < this.options.batchEventsMax && this.#stopAtMs === Number.POSITIVE_INFINITY) {
          this.#waitingSinceMs ??= this.options.nowMs();
          if (this.options.nowMs() - this.#waitingSinceMs < this.options.lingerMs) {
            await this.sleep(this.options.pollIntervalMs);
            continue;
          }
        }
        this.#waitingSinceMs = null;
        this.#state = count === this.options.batchEventsMax ? 'catching-up' : 'live';
        await this.store.apply(tail.batch(count));
        tail.consume(count);
        progressed();
      } catch (error) {
        storedAtFailure = this.store.eventIndexStored;
        this.#tail?.close();
        this.#tail = null;
        this.#state = 'retrying';
        this.#failures++;
        this.#lastError = error instanceof Error ? error.message : String(error);
        this.options.onFailure(this.store.name, error, attempt);
        await this.sleep(reconnectDelayMs(attempt++, RETRY_DELAY_MS_FIRST, RETRY_DELAY_MS_MAX));
      }
    }
    this.#tail?.close();
    this.#state = 'stopped';
    await this.store.close();
  }

  /** Resumes the store and positions a tail after the last event it holds, checking that event's seq. */
  private async open(): Promise<EventLogTail> {
    const point: ResumePoint = await this.store.resume();
    const last = point.last;
    const tail = new EventLogTail(this.options.dataDir, last?.eventIndex ?? point.eventIndexNext, this.options.nowMs);
    if (last !== null) {
      tail.poll();
      if (tail.buffered === 0) {
        tail.close();
        throw new ProjectionMismatchError(`${this.store.name} holds event ${last.eventIndex}, which the event log does not (yet) hold`);
      }
      if (tail.seqAt(0) !== last.commandSeq) {
        tail.close();
        throw new ProjectionMismatchError(`${this.store.name} holds event ${last.eventIndex} of command ${last.commandSeq}; the event log has command ${tail.seqAt(0)} there: it was built from another log`);
      }
      tail.consume(1);
    }
    this.#tail = tail;
    return tail;
  }

  /** Buffered events from the head whose command is durable, up to a batch. */
  private durableCount(tail: EventLogTail): number {
    const seqDurable = this.options.durableSeq();
    const limit = Math.min(tail.buffered, this.options.batchEventsMax);
    let count = 0;
    while (count < limit && tail.seqAt(count) <= seqDurable) count++;
    return count;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
