// Fixtures for tests of the durable core: opening a core on the deterministic stream clock,
// journaling commands in seeded batch sizes, and reading the derived event log back as bytes.

import type { Command } from '../../engine/commands.ts';
import { EVENT_SIZE_BYTES } from '../../engine/schema.ts';
import { DurableCore, type DurableCoreOptions } from '../../journal/durable-core.ts';
import { readEventLog } from '../../journal/event-log-reader.ts';
import type { ClockUs } from '../../journal/sequencer.ts';
import { randomFor, streamClockUs } from './command-streams.ts';

/** Opens `options.dir` with a clock that continues the stream of `seed` after whatever recovery found. */
export function openStreamCore(options: Omit<DurableCoreOptions, 'clockUs'>, seed: number): DurableCore {
  let clockUs: ClockUs = () => {
    throw new Error('the clock was read during recovery');
  };
  const core = DurableCore.open({ ...options, clockUs: () => clockUs() });
  clockUs = streamClockUs(seed, core.seqDurable + 1);
  return core;
}

/**
 * Queues commands[seqDurable .. seqLast - 1] (command i has seq i + 1) in seeded runs of 1..enqueueRunMax
 * and commits after each run, as a gateway feeding a queue would; returns the acknowledgements.
 */
export function feed(core: DurableCore, commands: readonly Command[], seqLast: number, seed: number, enqueueRunMax: number): number[] {
  const acked: number[] = [];
  while (core.seqDurable < seqLast) {
    const random = randomFor(seed ^ 0x2545f491, core.seqDurable);
    const runCount = Math.min(1 + Math.floor(random() * enqueueRunMax), seqLast - core.seqDurable - core.queuedCount);
    for (let index = 0; index < runCount; index++) {
      const command = commands[core.seqDurable + core.queuedCount];
      if (command === undefined || !core.enqueue(command)) break;
    }
    const result = core.commit();
    if (result !== null) acked.push(result.seqDurable);
  }
  return acked;
}

/** The whole event log, in order, as one buffer. */
export function eventLogBytes(dir: string): Buffer {
  const chunks: Buffer[] = [];
  readEventLog(dir, (bytes, offsetBytes) => chunks.push(Buffer.from(bytes.subarray(offsetBytes, offsetBytes + EVENT_SIZE_BYTES))));
  return Buffer.concat(chunks);
}
