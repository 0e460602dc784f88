// The open-loop scheduler: request j is due at startMs + j * intervalMs whatever happened to earlier
// requests. It sleeps until the next due time (on the precise clock) and then sends everything due;
// when it falls behind it sends late, and the caller measures from the due time, so a stall is
// charged to every request it delayed (no coordinated omission).
import { PreciseClock } from './loadgen-clock.ts';

/** Requests sent in one turn before received frames get a turn: a catch-up burst must not starve the reader. */
export const SEND_BURST_MAX = 256;

export interface Schedule {
  /** performance.now() time of request 0. */
  readonly startMs: number;
  readonly intervalMs: number;
  readonly count: number;
  /** Sends request `index`, due at `dueMs`. */
  readonly send: (index: number, dueMs: number) => void;
  /** A generator that has fallen this far behind stops: what is still unsent at this time is never sent. */
  readonly stopMs: number;
}

/** Resolves with how many requests were sent (all `count` unless it stopped at `stopMs`). */
export async function runSchedule(schedule: Schedule): Promise<number> {
  const { startMs, intervalMs, count, send, stopMs } = schedule;
  const clock = new PreciseClock();
  const sent = await new Promise<number>((resolve) => {
    let index = 0;
    const turn = (): void => {
      const nowMs = performance.now();
      if (nowMs >= stopMs) return resolve(index);
      let burst = 0;
      while (index < count && burst < SEND_BURST_MAX) {
        const dueMs = startMs + index * intervalMs;
        if (dueMs > nowMs) break;
        send(index, dueMs);
        index++;
        burst++;
      }
      if (index >= count) return resolve(index);
      const dueMs = startMs + index * intervalMs;
      // Behind: received frames get a turn (setImmediate runs after I/O) before the next burst.
      if (dueMs <= performance.now()) setImmediate(turn);
      else void clock.sleepUntil(dueMs).then(turn);
    };
    turn();
  });
  await clock.close();
  return sent;
}
