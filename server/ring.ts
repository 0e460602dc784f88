// A single-producer ring of fixed-size slots in a SharedArrayBuffer, read by one or more consumers
// that each keep their own cursor (LMAX Disruptor style). The producer never overwrites a slot a
// consumer has not passed: when the ring is full, claim() answers 0 and the caller holds back intake.
// Cursors are monotonically increasing int32 counters compared with wrap-around arithmetic, so a
// ring runs forever; the slot of position p is p & (slotCount - 1).

/** Int32 cells of the control block. */
const PUBLISHED = 0;
const CONSUMER_BASE = 1;

export interface RingBuffers {
  readonly control: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
}

export interface RingShape {
  readonly slotCount: number;
  readonly slotSizeBytes: number;
  readonly consumers: number;
}

export function createRingBuffers(shape: RingShape): RingBuffers {
  const { slotCount, slotSizeBytes, consumers } = shape;
  if (!Number.isInteger(Math.log2(slotCount)) || slotCount < 2 || slotCount > 1 << 24) throw new RangeError(`ring slotCount must be a power of two in 2..2^24, got ${slotCount}`);
  if (slotSizeBytes % 8 !== 0 || slotSizeBytes <= 0) throw new RangeError(`ring slotSizeBytes must be a positive multiple of 8, got ${slotSizeBytes}`);
  return { control: new SharedArrayBuffer(4 * (CONSUMER_BASE + consumers)), slots: new SharedArrayBuffer(slotCount * slotSizeBytes) };
}

/** A view of a ring, usable from any thread that was handed the same buffers. */
export class Ring {
  readonly slotCount: number;
  readonly slotSizeBytes: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  private readonly control: Int32Array;
  private readonly mask: number;
  private readonly consumers: number;

  constructor(buffers: RingBuffers, slotSizeBytes: number) {
    this.control = new Int32Array(buffers.control);
    this.bytes = new Uint8Array(buffers.slots);
    this.view = new DataView(buffers.slots);
    this.slotSizeBytes = slotSizeBytes;
    this.slotCount = buffers.slots.byteLength / slotSizeBytes;
    this.mask = this.slotCount - 1;
    this.consumers = this.control.length - CONSUMER_BASE;
  }

  /** Byte offset of the slot holding position `position`. */
  offsetOf(position: number): number {
    return (position & this.mask) * this.slotSizeBytes;
  }

  published(): number {
    return Atomics.load(this.control, PUBLISHED);
  }

  consumed(consumer: number): number {
    return Atomics.load(this.control, CONSUMER_BASE + consumer);
  }

  /** Producer: how many slots may be written now (the slowest consumer bounds it). */
  free(): number {
    return this.freeAfter(this.published());
  }

  /**
   * Producer: how many slots may be written after `position`, the producer's own write position,
   * which runs ahead of what it has published while it fills a batch.
   */
  freeAfter(position: number): number {
    let used = 0;
    for (let c = 0; c < this.consumers; c++) used = Math.max(used, (position - this.consumed(c)) | 0);
    return this.slotCount - used;
  }

  /** Producer: makes positions up to `position` (exclusive) visible and wakes waiting consumers. */
  publish(position: number): void {
    Atomics.store(this.control, PUBLISHED, position);
    Atomics.notify(this.control, PUBLISHED);
  }

  /** Consumer: positions [consumed, published) are readable; returns how many. */
  available(consumer: number): number {
    return (this.published() - this.consumed(consumer)) | 0;
  }

  /** Consumer: releases every position before `position` and wakes a producer waiting for room. */
  release(consumer: number, position: number): void {
    Atomics.store(this.control, CONSUMER_BASE + consumer, position);
    Atomics.notify(this.control, CONSUMER_BASE + consumer);
  }

  /** Worker consumers: blocks until something is published past `position` or `timeoutMs` passes. */
  waitForPublished(position: number, timeoutMs: number): void {
    Atomics.wait(this.control, PUBLISHED, position, timeoutMs);
  }

  /** Worker producers: blocks until consumer `consumer` moves past `position` or `timeoutMs` passes. */
  waitForConsumer(consumer: number, position: number, timeoutMs: number): void {
    Atomics.wait(this.control, CONSUMER_BASE + consumer, position, timeoutMs);
  }

  /** Without blocking the event loop: resolves when the published cursor moves from `position` or `timeoutMs` passes. */
  waitForPublishedAsync(position: number, timeoutMs: number): Promise<unknown> {
    const result = Atomics.waitAsync(this.control, PUBLISHED, position, timeoutMs);
    return result.async ? result.value : Promise.resolve(result.value);
  }

  /** Without blocking the event loop: resolves when consumer `consumer` moves from `position` or `timeoutMs` passes. */
  waitForConsumerAsync(consumer: number, position: number, timeoutMs: number): Promise<unknown> {
    const result = Atomics.waitAsync(this.control, CONSUMER_BASE + consumer, position, timeoutMs);
    return result.async ? result.value : Promise.resolve(result.value);
  }
}
