// When the durable core takes a snapshot: after every N commands or T milliseconds of command
// time, whichever comes first, and never when nothing was applied since the last one. Time is the
// sequencer's (the injected clock's), read from the commands, so a replayed run snapshots alike.

const US_PER_MS = 1000;

export interface SnapshotPolicy {
  /** Positive integer, or Infinity for never by count. */
  readonly everyCommands: number;
  /** Positive, or Infinity for never by time. */
  readonly intervalMs: number;
}

function assertBound(name: string, value: number): void {
  if (value !== Number.POSITIVE_INFINITY && !(Number.isSafeInteger(value) && value >= 1)) {
    throw new RangeError(`${name} ${value} must be a positive integer or Infinity`);
  }
}

export class SnapshotSchedule {
  readonly #everyCommands: number;
  readonly #intervalUs: number;
  #seqLast: number;
  /** Command time of the last snapshot; null until there is one or commands start arriving. */
  #timeUs: number | null;

  /** `seqLast` and `timeUs` describe the newest snapshot (0 and null when there is none). */
  constructor(policy: SnapshotPolicy, seqLast: number, timeUs: number | null) {
    assertBound('snapshot everyCommands', policy.everyCommands);
    assertBound('snapshot intervalMs', policy.intervalMs);
    this.#everyCommands = policy.everyCommands;
    this.#intervalUs = policy.intervalMs * US_PER_MS;
    this.#seqLast = seqLast;
    this.#timeUs = timeUs;
  }

  /** Whether the state after command `seqLast`, stamped `timeUsLast`, should be captured now. */
  due(seqLast: number, timeUsLast: number): boolean {
    if (seqLast === this.#seqLast) return false;
    // Without a snapshot yet, the interval runs from the first commands this run applied.
    this.#timeUs ??= timeUsLast;
    return seqLast - this.#seqLast >= this.#everyCommands || timeUsLast - this.#timeUs >= this.#intervalUs;
  }

  taken(seq: number, timeUs: number): void {
    this.#seqLast = seq;
    this.#timeUs = timeUs;
  }
}
