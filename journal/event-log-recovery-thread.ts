// Recovery of a large event log on a worker thread. Startup must both validate the event log
// (gigabytes of CRC checks: seconds) and replay the command journal; the two are independent until
// replayed events reach the part of the log not yet validated, so on two cores recovery costs the
// longer of them instead of their sum. The main thread learns how far validation has come through
// shared memory and blocks there only when its replay catches up. Recovery is synchronous, so
// nothing here uses the event loop: the outcome is read from a MessagePort with receiveMessageOnPort.

import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { JournalStateError } from './errors.ts';
import type { EventLogRecovery } from './event-log-recovery.ts';
import { moduleUrlBeside, startModuleWorker } from './module-worker.ts';
import { EVENTS_DIR_NAME } from './segment-files.ts';

/** A worker that reports no progress for this long failed to start or hangs: startup stops instead of waiting forever. */
export const EVENT_LOG_RECOVERY_STALL_MS = 60_000;

/** The shared slot: events known kept while the worker runs, ENDED once its outcome is posted. */
const KEPT_SLOT = 0;
const ENDED = -1n;

export interface EventLogRecoveryWorkerData {
  readonly dir: string;
  readonly commandSeqRecovered: number;
  readonly kept: SharedArrayBuffer;
  readonly port: MessagePort;
}

type EventLogRecoveryOutcome = { readonly recovery: EventLogRecovery } | { readonly error: unknown };

/** An event log recovery that may still be running. */
export interface PendingEventLogRecovery {
  /**
   * Blocks until at least `eventIndexEnd` events are known to be kept or the recovery has ended;
   * returns how many are known kept (once it has ended: its eventIndexNext, which may be less).
   */
  keptAtLeast(eventIndexEnd: number): number;
  /** Blocks until the recovery ends; throws what it failed with. */
  outcome(): EventLogRecovery;
}

/** A recovery that already ran on this thread. */
export function settledRecovery(recovery: EventLogRecovery): PendingEventLogRecovery {
  return { keptAtLeast: () => recovery.eventIndexNext, outcome: () => recovery };
}

export class EventLogRecoveryThread implements PendingEventLogRecovery {
  readonly #dir: string;
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #kept: BigInt64Array;
  #outcome: EventLogRecoveryOutcome | null = null;

  /** Starts recoverEventLog of the durable core's event log in `dir`, from event 0, on a worker thread (real file system only). */
  constructor(dir: string, commandSeqRecovered: number) {
    this.#dir = dir;
    const shared = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
    this.#kept = new BigInt64Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    const workerData: EventLogRecoveryWorkerData = { dir, commandSeqRecovered, kept: shared, port: port2 };
    this.#worker = startModuleWorker(moduleUrlBeside(import.meta.url, 'event-log-recovery-worker'), {
      workerData,
      transferList: [port2],
      name: 'event-log-recovery',
    });
    this.#worker.unref();
    // A worker that dies outside reportEventLogRecovery (its modules failed to load) is seen as a stall
    // by the waiting thread; the event only keeps its error from crashing the process later.
    this.#worker.once('error', (error) => {
      this.#outcome ??= { error };
    });
  }

  keptAtLeast(eventIndexEnd: number): number {
    const kept = this.#waitUntilKept(BigInt(eventIndexEnd));
    return kept === ENDED ? this.outcome().eventIndexNext : Number(kept);
  }

  outcome(): EventLogRecovery {
    if (this.#outcome === null) {
      this.#waitUntilKept(BigInt(Number.MAX_SAFE_INTEGER));
      // The worker posts its outcome before it marks the slot ENDED, so the message is there now.
      this.#outcome = (receiveMessageOnPort(this.#port)?.message as EventLogRecoveryOutcome | undefined) ?? {
        error: new Error('the event log recovery thread ended without an outcome'),
      };
      this.#port.close();
    }
    if ('error' in this.#outcome) {
      const error = this.#outcome.error;
      if (error instanceof JournalStateError) throw error;
      // Cloned across threads, the worker's error keeps its message but not its class.
      throw new JournalStateError(join(this.#dir, EVENTS_DIR_NAME), `event log recovery failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return this.#outcome.recovery;
  }

  /** The events known kept once they reach `wanted`, or ENDED. */
  #waitUntilKept(wanted: bigint): bigint {
    for (;;) {
      const kept = Atomics.load(this.#kept, KEPT_SLOT);
      if (kept === ENDED || kept >= wanted) return kept;
      if (Atomics.wait(this.#kept, KEPT_SLOT, kept, EVENT_LOG_RECOVERY_STALL_MS) === 'timed-out') this.#stalled(Number(kept));
    }
  }

  #stalled(kept: number): never {
    void this.#worker.terminate();
    const error = new JournalStateError(
      join(this.#dir, EVENTS_DIR_NAME),
      `event log recovery made no progress for ${EVENT_LOG_RECOVERY_STALL_MS} ms (${kept} events validated): its worker thread failed to start or hangs`,
    );
    // The terminated worker never marks the slot ENDED: outcome() must not wait for it again.
    this.#outcome = { error };
    throw error;
  }
}

/** The worker's side: publishes progress, then posts the outcome and marks the slot ENDED. */
export function reportEventLogRecovery(data: EventLogRecoveryWorkerData, run: (onKept: (eventIndexNext: number) => void) => EventLogRecovery): void {
  const kept = new BigInt64Array(data.kept);
  let outcome: EventLogRecoveryOutcome;
  try {
    outcome = {
      recovery: run((eventIndexNext) => {
        Atomics.store(kept, KEPT_SLOT, BigInt(eventIndexNext));
        Atomics.notify(kept, KEPT_SLOT);
      }),
    };
  } catch (error) {
    outcome = { error };
  }
  data.port.postMessage(outcome);
  data.port.close();
  Atomics.store(kept, KEPT_SLOT, ENDED);
  Atomics.notify(kept, KEPT_SLOT);
}
