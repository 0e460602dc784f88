// The sequencer: the one place where commands get their seq and time. It stamps consecutive seqs
// and a time that never goes back (the larger of the last time and the clock) into fixed-size
// command slots, so the engine, which refuses anything else, can stay free of clocks.

import { writeU64LE } from './bytes.ts';
import { COMMAND_SEQ_OFFSET_BYTES, COMMAND_TIME_US_OFFSET_BYTES } from './record-layout.ts';

/** Whole microseconds since the Unix epoch. Injected, so tests and replays control time. */
export type ClockUs = () => number;

export class Sequencer {
  readonly #clockUs: ClockUs;
  #seqLast: number;
  #timeUsLast: number;

  /** Continues after `seqLast` stamped at `timeUsLast` (0 and 0 for an empty journal). */
  constructor(clockUs: ClockUs, seqLast: number, timeUsLast: number) {
    if (!Number.isSafeInteger(seqLast) || seqLast < 0) throw new RangeError(`seqLast ${seqLast} must be a non-negative safe integer`);
    if (!Number.isSafeInteger(timeUsLast) || timeUsLast < 0) throw new RangeError(`timeUsLast ${timeUsLast} must be a non-negative safe integer`);
    this.#clockUs = clockUs;
    this.#seqLast = seqLast;
    this.#timeUsLast = timeUsLast;
  }

  get seqLast(): number {
    return this.#seqLast;
  }

  get timeUsLast(): number {
    return this.#timeUsLast;
  }

  /** Stamps the next seq and the current time into the command slot at `offsetBytes`; returns the seq. */
  stamp(slots: Uint8Array, offsetBytes: number): number {
    const clockUs = this.#clockUs();
    if (!Number.isSafeInteger(clockUs) || clockUs < 0) throw new RangeError(`the clock returned ${clockUs}, not whole microseconds`);
    // A clock stepped back (NTP, a VM migration) must not move command time back: the engine would refuse it.
    if (clockUs > this.#timeUsLast) this.#timeUsLast = clockUs;
    this.#seqLast++;
    writeU64LE(slots, offsetBytes + COMMAND_SEQ_OFFSET_BYTES, this.#seqLast);
    writeU64LE(slots, offsetBytes + COMMAND_TIME_US_OFFSET_BYTES, this.#timeUsLast);
    return this.#seqLast;
  }
}

/**
 * A clock that reads `timeUsFirst` and then advances `stepUs` per reading. With (1, 1) a journal
 * gets exactly the times compileFlow gives (time = seq), so its state hash equals an in-memory replay's.
 */
export function stepClockUs(timeUsFirst: number, stepUs: number): ClockUs {
  let timeUsNext = timeUsFirst;
  return () => {
    const timeUs = timeUsNext;
    timeUsNext += stepUs;
    return timeUs;
  };
}

/** The clock of a core opened only to be read (verify, replay, benchmarks): reading it is a bug. */
export const NO_CLOCK_US: ClockUs = () => {
  throw new Error('this core was opened to be read and never stamps commands');
};
