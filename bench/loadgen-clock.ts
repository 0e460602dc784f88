// Sub-millisecond wake-ups for the scheduler. Timers and Atomics.waitAsync round to whole
// milliseconds (a request due in 0.4 ms would go out up to a millisecond late, and that lateness
// would be measured as latency); spinning would take a core from the server on a 2-core machine.
// So a small thread sleeps in Atomics.wait, which honours fractional timeouts, and at the due time
// wakes the main thread, which waits with Atomics.waitAsync: about 0.1 ms late, at almost no CPU.
import { Worker } from 'node:worker_threads';

/** Int32 cells: the sequence of the latest wake-up asked for, and of the latest one given. */
const ASKED = 0;
const FIRED = 1;
const CELLS_BYTES = 16;
/** ASKED is set to this to stop the thread. */
const STOP = -1;

// Plain JavaScript, evaluated on the worker thread (which has no TypeScript loader). The due time is
// epoch milliseconds, since the two threads' performance.now() have different origins.
const CLOCK_THREAD = `
const { workerData } = require('node:worker_threads');
const cells = new Int32Array(workerData, 0, 4);
const dueEpochMs = new Float64Array(workerData, ${CELLS_BYTES}, 1);
let fired = 0;
for (;;) {
  const asked = Atomics.load(cells, ${ASKED});
  if (asked === ${STOP}) break;
  if (asked === fired) { Atomics.wait(cells, ${ASKED}, asked); continue; }
  const waitMs = dueEpochMs[0] - (performance.timeOrigin + performance.now());
  if (waitMs > 0) { Atomics.wait(cells, ${ASKED}, asked, waitMs); continue; }
  fired = asked;
  Atomics.store(cells, ${FIRED}, fired);
  Atomics.notify(cells, ${FIRED});
}
`;

export class PreciseClock {
  private readonly shared = new SharedArrayBuffer(CELLS_BYTES + Float64Array.BYTES_PER_ELEMENT);
  private readonly cells = new Int32Array(this.shared, 0, 4);
  private readonly dueEpochMs = new Float64Array(this.shared, CELLS_BYTES, 1);
  private readonly thread = new Worker(CLOCK_THREAD, { eval: true, workerData: this.shared });
  private asked = 0;

  /** Resolves at `dueMs` (this thread's performance.now() time), or at once if it has passed. */
  sleepUntil(dueMs: number): Promise<unknown> {
    this.asked++;
    this.dueEpochMs[0] = performance.timeOrigin + dueMs;
    Atomics.store(this.cells, ASKED, this.asked);
    Atomics.notify(this.cells, ASKED);
    const waited = Atomics.waitAsync(this.cells, FIRED, this.asked - 1);
    return waited.async ? waited.value : Promise.resolve();
  }

  async close(): Promise<void> {
    Atomics.store(this.cells, ASKED, STOP);
    Atomics.notify(this.cells, ASKED);
    await new Promise((resolve) => this.thread.once('exit', resolve));
  }
}
