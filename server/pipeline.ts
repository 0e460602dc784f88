// The main thread's side of the pipeline: it is the sequencer (stamping seq and time into command
// slots of the command ring) and the releaser (handing the gateway only events whose command is
// durable). The journal and core workers run between the two rings.
import { encodeCommand, type Command } from '../engine/commands.ts';
import { COMMAND_SIZE_BYTES, EVENT_SIZE_BYTES, readU64 } from '../engine/schema.ts';
import { EVENT_RECORD_LAYOUT } from '../journal/core-records.ts';
import { Sequencer, type ClockUs } from '../journal/sequencer.ts';
import type { Venue } from '../gateway/venue.ts';
import { MAIN_CONSUMER, Signal, seqDurableOf, type PipelineMemory } from './pipeline-memory.ts';
import { Ring } from './ring.ts';

/** Longest the releaser sleeps without a wake-up, so a lost notification costs at most this. */
const RELEASE_WAIT_MS = 100;
const SEQ_OFFSET_BYTES = EVENT_RECORD_LAYOUT.seqOffsetBytes;

export interface Releaser {
  /** `count` durable events starting at `offset` of `view`, contiguous in memory. */
  release(view: DataView, offset: number, count: number): void;
  /** Called once after each release round. */
  afterRelease(): void;
  /** Seconds from a command's submission to the release of its first event. */
  acknowledged(seconds: number): void;
}

export class Pipeline implements Venue {
  private readonly commands: Ring;
  private readonly events: Ring;
  private readonly signals: Int32Array;
  private readonly durable: BigInt64Array;
  private readonly sequencer: Sequencer;
  private position: number;
  /** Submission time of the command in each ring slot, for the ingress-to-ack latency. */
  private readonly submittedAtMs: Float64Array;
  private acceptingCommands = false;
  /** The workers were told to stop: nothing more may enter the command ring. */
  private stopping = false;
  private running = false;
  /** A publish of the commands submitted in this turn of the event loop is due (setImmediate). */
  private publishScheduled = false;
  private seqReleasedLast: number;
  /** The seq that ring position 0 holds (positions wrap, seqs do not). */
  private readonly seqAtPosition0: number;

  constructor(memory: PipelineMemory, clockUs: ClockUs, seqLast: number, timeUsLast: number, private readonly nowMs: () => number) {
    this.commands = new Ring(memory.commands, COMMAND_SIZE_BYTES);
    this.events = new Ring(memory.events, EVENT_SIZE_BYTES);
    this.signals = new Int32Array(memory.signals);
    this.durable = new BigInt64Array(memory.durable);
    this.sequencer = new Sequencer(clockUs, seqLast, timeUsLast);
    this.position = this.commands.published();
    this.submittedAtMs = new Float64Array(this.commands.slotCount);
    this.seqReleasedLast = seqLast;
    this.seqAtPosition0 = seqLast + 1 - this.position;
  }

  nextOrderId(): number {
    return 2 * (this.sequencer.seqLast + 1);
  }

  accepting(): boolean {
    return this.acceptingCommands;
  }

  setAccepting(accepting: boolean): void {
    this.acceptingCommands = accepting;
  }

  /** Returns 0, and writes nothing, when the command ring is full (intake waits for it to drain) or the workers were told to stop. */
  submit(command: Command): number {
    if (this.stopping || this.commands.freeAfter(this.position) === 0) return 0;
    const offset = this.commands.offsetOf(this.position);
    encodeCommand(command, this.commands.view, offset);
    const seq = this.sequencer.stamp(this.commands.bytes, offset);
    this.submittedAtMs[offset / COMMAND_SIZE_BYTES] = this.nowMs();
    this.position = (this.position + 1) | 0;
    if (!this.publishScheduled) {
      this.publishScheduled = true;
      setImmediate(this.publishSubmitted);
    }
    return seq;
  }

  /**
   * The commands of one turn of the event loop (every frame its poll phase read) are published
   * together, after it: one wake-up of the sleeping workers for all of them, not one per command.
   */
  private readonly publishSubmitted = (): void => {
    this.publishScheduled = false;
    this.commands.publish(this.position);
  };

  get seqLast(): number {
    return this.sequencer.seqLast;
  }

  get seqDurable(): number {
    return seqDurableOf(this.durable);
  }

  /** Share of each ring in use (for metrics). */
  occupancy(): { commands: number; events: number } {
    return { commands: 1 - this.commands.free() / this.commands.slotCount, events: 1 - this.events.free() / this.events.slotCount };
  }

  /** Releases durable events until stop() (and then until every event is released). */
  async run(releaser: Releaser): Promise<void> {
    this.running = true;
    while (this.running) {
      const seen = Atomics.load(this.signals, Signal.WAKE);
      this.releaseDurable(releaser);
      const waited = Atomics.waitAsync(this.signals, Signal.WAKE, seen, RELEASE_WAIT_MS);
      if (waited.async) await waited.value;
    }
    this.releaseDurable(releaser);
  }

  stopReleasing(): void {
    this.running = false;
    Atomics.add(this.signals, Signal.WAKE, 1);
    Atomics.notify(this.signals, Signal.WAKE);
  }

  /** Tells the workers to finish the commands already published and stop. */
  stopWorkers(): void {
    this.stopping = true;
    Atomics.store(this.signals, Signal.STOP, 1);
    this.commands.publish(this.position);
  }

  private releaseDurable(releaser: Releaser): void {
    const seqDurable = seqDurableOf(this.durable);
    const available = this.events.available(MAIN_CONSUMER);
    let position = this.events.consumed(MAIN_CONSUMER);
    let released = 0;
    while (released < available) {
      // The longest run of durable events that does not wrap around the ring's end.
      const offset = this.events.offsetOf(position);
      const room = Math.min(available - released, (this.events.bytes.length - offset) / EVENT_SIZE_BYTES);
      let n = 0;
      while (n < room && readU64(this.events.view, offset + n * EVENT_SIZE_BYTES + SEQ_OFFSET_BYTES) <= seqDurable) n++;
      if (n === 0) break;
      this.measure(offset, n, releaser);
      releaser.release(this.events.view, offset, n);
      position = (position + n) | 0;
      released += n;
      this.events.release(MAIN_CONSUMER, position);
    }
    if (released > 0) releaser.afterRelease();
  }

  /** Latency of each command whose first event is in this run. */
  private measure(offset: number, count: number, releaser: Releaser): void {
    const now = this.nowMs();
    for (let i = 0; i < count; i++) {
      const seq = readU64(this.events.view, offset + i * EVENT_SIZE_BYTES + SEQ_OFFSET_BYTES);
      if (seq === this.seqReleasedLast) continue;
      this.seqReleasedLast = seq;
      const slot = (seq - this.seqAtPosition0) & (this.commands.slotCount - 1);
      releaser.acknowledged((now - (this.submittedAtMs[slot] as number)) / 1_000);
    }
  }
}
