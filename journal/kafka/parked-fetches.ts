// Fetches parked at the end of the log (long poll): each waits until its condition holds after a
// log advance, its deadline passes, or its connection closes, whichever comes first. Every wait
// removes its timer and close hook when it ends, so parked fetches leak neither.

import type { JournalTopics } from './log/journal-topics.ts';
import { PARKED_FETCHES_MAX } from './limits.ts';

/** Lets a parked fetch end early when its connection goes away. */
export interface CloseHooks {
  readonly closed: boolean;
  onClose(hook: () => void): () => void;
}

/** Why a wait ended: the condition held, time ran out, the connection closed, or no room to park. */
export type WaitOutcome = 'ready' | 'timeout' | 'closed' | 'full';

interface Waiter {
  readonly ready: () => boolean;
  readonly finish: (outcome: WaitOutcome) => void;
}

export class ParkedFetches {
  readonly #waiters = new Set<Waiter>();
  readonly #unsubscribe: () => void;

  constructor(topics: JournalTopics) {
    this.#unsubscribe = topics.onAdvance(() => {
      for (const waiter of [...this.#waiters]) if (waiter.ready()) waiter.finish('ready');
    });
  }

  /**
   * Resolves when `ready()` holds (now or after an advance), after `waitMs`, or when the connection
   * closes; at once with 'full' when PARKED_FETCHES_MAX fetches are already waiting.
   */
  wait(ready: () => boolean, waitMs: number, connection: CloseHooks): Promise<WaitOutcome> {
    if (ready()) return Promise.resolve('ready');
    if (connection.closed) return Promise.resolve('closed');
    if (waitMs <= 0) return Promise.resolve('timeout');
    if (this.#waiters.size >= PARKED_FETCHES_MAX) return Promise.resolve('full');
    return new Promise((resolve) => {
      const finish = (outcome: WaitOutcome): void => {
        if (!this.#waiters.delete(waiter)) return;
        clearTimeout(timer);
        removeCloseHook();
        resolve(outcome);
      };
      const waiter: Waiter = { ready, finish };
      const timer = setTimeout(() => finish('timeout'), waitMs);
      const removeCloseHook = connection.onClose(() => finish('closed'));
      this.#waiters.add(waiter);
    });
  }

  /** Ends every wait now (shutdown). */
  close(): void {
    this.#unsubscribe();
    for (const waiter of [...this.#waiters]) waiter.finish('closed');
  }
}
