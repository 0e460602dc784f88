// Commands waiting for the next group commit, as fixed-size binary slots in one buffer allocated
// up front. The front of the buffer is always the next batch, so the journal writes it with one
// call and the engine applies it in place; a full queue refuses more (backpressure, not growth).

import { encodeCommand, type Command } from '../engine/commands.ts';
import { COMMAND_RECORD_SIZE_BYTES } from './core-records.ts';
import { COMMAND_TYPE_OFFSET_BYTES } from './record-layout.ts';

export class CommandQueue {
  readonly capacityCommands: number;
  /** Slot i is bytes [i * COMMAND_RECORD_SIZE_BYTES, (i + 1) * COMMAND_RECORD_SIZE_BYTES). */
  readonly slots: Uint8Array;
  readonly view: DataView;
  #count = 0;

  constructor(capacityCommands: number) {
    if (!Number.isSafeInteger(capacityCommands) || capacityCommands < 1) throw new RangeError(`queue capacity ${capacityCommands} must be a positive integer`);
    this.capacityCommands = capacityCommands;
    this.slots = new Uint8Array(capacityCommands * COMMAND_RECORD_SIZE_BYTES);
    this.view = new DataView(this.slots.buffer);
  }

  get count(): number {
    return this.#count;
  }

  /** Encodes `command` into the next slot (its seq and time are stamped later); false when full. */
  pushCommand(command: Command): boolean {
    if (this.#count === this.capacityCommands) return false;
    encodeCommand(command, this.view, this.#count * COMMAND_RECORD_SIZE_BYTES);
    this.#count++;
    return true;
  }

  /** Copies one encoded command record from `record[offsetBytes...]`; false when full. */
  pushRecord(record: Uint8Array, offsetBytes: number): boolean {
    if (offsetBytes < 0 || offsetBytes + COMMAND_RECORD_SIZE_BYTES > record.length) {
      throw new RangeError(`no ${COMMAND_RECORD_SIZE_BYTES}-byte record at byte ${offsetBytes} of ${record.length}`);
    }
    // Type 0 is never a command; the journal would refuse the whole batch holding it.
    if (record[offsetBytes + COMMAND_TYPE_OFFSET_BYTES] === 0) throw new RangeError('command type 0 is never valid');
    if (this.#count === this.capacityCommands) return false;
    this.slots.set(record.subarray(offsetBytes, offsetBytes + COMMAND_RECORD_SIZE_BYTES), this.#count * COMMAND_RECORD_SIZE_BYTES);
    this.#count++;
    return true;
  }

  /** Removes the first `count` commands (committed) and moves the rest to the front. */
  shift(count: number): void {
    if (!Number.isInteger(count) || count < 0 || count > this.#count) throw new RangeError(`cannot shift ${count} of ${this.#count} commands`);
    this.slots.copyWithin(0, count * COMMAND_RECORD_SIZE_BYTES, this.#count * COMMAND_RECORD_SIZE_BYTES);
    this.#count -= count;
  }
}
