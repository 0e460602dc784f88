// Where the event log ends (the index after its last whole batch), for the lag each store reports.
// Read incrementally from the last segment on, so it costs one pass over new bytes per report.
import { join } from 'node:path';
import { nodeFsOps } from '../journal/fs-ops.ts';
import { EVENTS_DIR_NAME, listSegments } from '../journal/segment-files.ts';
import { EventLogDefectError, EventLogTail } from './projector-tail.ts';

export class LogEnd {
  readonly #tail: EventLogTail;

  constructor(dataDir: string, nowMs: () => number) {
    const segments = listSegments(nodeFsOps, join(dataDir, EVENTS_DIR_NAME));
    this.#tail = new EventLogTail(dataDir, segments[segments.length - 1]?.offsetFirst ?? 0, nowMs);
  }

  /** The log's end now; a damaged tail leaves it where it was (the stores report that damage). */
  read(): number {
    try {
      while (this.#tail.poll() > 0) this.#tail.consume(this.#tail.buffered);
    } catch (error) {
      if (!(error instanceof EventLogDefectError)) throw error;
    }
    return this.#tail.eventIndexNext;
  }

  close(): void {
    this.#tail.close();
  }
}
