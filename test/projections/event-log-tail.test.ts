// Proves the projector's tail of the event log hands out every event once, in order, across segment rolls and from any start, never an event of a batch that is only partly on disk (the log grown byte run by byte run), and reports a batch that stays invalid as damage once the grace period is over.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EVENT_SIZE_BYTES, readU64, writeU64 } from '../../engine/schema.ts';
import { EVENT_RECORD_LAYOUT } from '../../journal/core-records.ts';
import { recoverEventLog } from '../../journal/event-log-recovery.ts';
import { EventLogWriter } from '../../journal/event-log-writer.ts';
import { nodeFsOps } from '../../journal/fs-ops.ts';
import { BATCH_LENGTH_OVERHEAD_BYTES, BATCH_LENGTH_POS, CRC_POS, RECORDS_COUNT_POS } from '../../journal/record-batch.ts';
import { EVENTS_DIR_NAME, listSegments, paddedName, SEGMENT_SUFFIX } from '../../journal/segment-files.ts';
import { EventLogDefectError, EventLogTail, TAIL_DEFECT_GRACE_MS } from '../../server/projector-tail.ts';
import { seededRandom } from '../engine/random-commands.ts';

const SEGMENT_SIZE_BYTES_MAX = 4_096;
const EVENT_COUNT = 700;
const TIME_US_BASE = 1_767_225_600_000_000;
/** Where each test event stores its own index, to check order. */
const INDEX_OFFSET_BYTES = 24;

const root = mkdtempSync(join(tmpdir(), 'projector-tail-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A log of EVENT_COUNT events in appends of 1..12 events, several per command; returns each event's command seq. */
function writeLog(dir: string, seed: number): number[] {
  const random = seededRandom(seed);
  const writer = EventLogWriter.open({
    dir, layout: EVENT_RECORD_LAYOUT, recovered: recoverEventLog(dir, { layout: EVENT_RECORD_LAYOUT, commandSeqRecovered: Number.MAX_SAFE_INTEGER }),
    segmentSizeBytesMax: SEGMENT_SIZE_BYTES_MAX,
  });
  const seqs: number[] = [];
  let seq = 1;
  while (seqs.length < EVENT_COUNT) {
    const count = Math.min(1 + Math.floor(random() * 12), EVENT_COUNT - seqs.length);
    const bytes = new Uint8Array(count * EVENT_SIZE_BYTES);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < count; i++) {
      if (random() < 0.4) seq++;
      view.setUint8(i * EVENT_SIZE_BYTES, 3);
      writeU64(view, i * EVENT_SIZE_BYTES + 8, seq);
      writeU64(view, i * EVENT_SIZE_BYTES + 16, TIME_US_BASE + seq);
      writeU64(view, i * EVENT_SIZE_BYTES + INDEX_OFFSET_BYTES, seqs.length);
      seqs.push(seq);
    }
    writer.append(bytes, count);
  }
  writer.close();
  return seqs;
}

/** Polls until `until` says stop; returns the index stored in each event handed out. */
function drain(tail: EventLogTail, until: () => boolean = () => true): number[] {
  const seen: number[] = [];
  do {
    tail.poll();
    const batch = tail.batch(tail.buffered);
    for (let i = 0; i < batch.count; i++) {
      const stored = readU64(batch.view, i * EVENT_SIZE_BYTES + INDEX_OFFSET_BYTES);
      assert.equal(stored, batch.eventIndexFirst + i, 'each event arrives at its own index');
      seen.push(stored);
    }
    tail.consume(batch.count);
  } while (!until());
  return seen;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

test('every event once, in order, across segment rolls and from any start', () => {
  const dir = join(root, 'whole');
  const seqs = writeLog(dir, 1);
  assert.ok(listSegments(nodeFsOps, join(dir, EVENTS_DIR_NAME)).length > 5, 'the log rolled over several segments');
  for (const from of [0, 1, 137, 350, EVENT_COUNT - 1, EVENT_COUNT]) {
    const tail = new EventLogTail(dir, from, () => 0);
    assert.deepEqual(drain(tail), range(from, EVENT_COUNT), `from ${from}`);
    assert.equal(tail.eventIndexNext, EVENT_COUNT);
    tail.close();
  }
  const tail = new EventLogTail(dir, 200, () => 0);
  tail.poll();
  assert.equal(tail.seqAt(0), seqs[200], 'the command seq of each event');
  tail.close();
});

test('a batch only partly on disk is never handed out; the rest follows once it is whole', () => {
  const source = join(root, 'source');
  writeLog(source, 2);
  const growing = join(root, 'growing');
  mkdirSync(join(growing, EVENTS_DIR_NAME), { recursive: true });
  const random = seededRandom(3);
  const tail = new EventLogTail(growing, 0, () => 0);
  let handedOut = 0;
  for (const segment of listSegments(nodeFsOps, join(source, EVENTS_DIR_NAME))) {
    const bytes = readFileSync(segment.path);
    const target = join(growing, EVENTS_DIR_NAME, paddedName(segment.offsetFirst, SEGMENT_SUFFIX));
    writeFileSync(target, '');
    // Whole batches in this segment so far, to compare against: a batch counts only when all of it is there.
    const batchEnds = batchEndsOf(segment.path, segment.offsetFirst);
    for (let written = 0; written < bytes.length;) {
      const piece = Math.min(1 + Math.floor(random() * 300), bytes.length - written);
      appendFileSync(target, bytes.subarray(written, written + piece));
      written += piece;
      const whole = batchEnds.filter((b) => b.endBytes <= written).at(-1)?.eventIndexNext ?? segment.offsetFirst;
      handedOut += drain(tail).length;
      assert.equal(handedOut, whole, `${written} bytes of ${segment.path}: exactly the whole batches`);
    }
  }
  assert.equal(handedOut, EVENT_COUNT);
  tail.close();
});

test('a batch that stays invalid is damage once the grace period is over', () => {
  const dir = join(root, 'damaged');
  writeLog(dir, 4);
  const [first] = listSegments(nodeFsOps, join(dir, EVENTS_DIR_NAME));
  assert.ok(first !== undefined);
  const [batch1, batch2] = batchEndsOf(first.path, 0);
  assert.ok(batch1 !== undefined && batch2 !== undefined);
  const bytes = readFileSync(first.path);
  bytes[batch1.endBytes + CRC_POS] = (bytes[batch1.endBytes + CRC_POS] as number) ^ 0xff;
  writeFileSync(first.path, bytes);
  let nowMs = 0;
  const tail = new EventLogTail(dir, 0, () => nowMs);
  assert.deepEqual(drain(tail), range(0, batch1.eventIndexNext), 'the events before the damage');
  nowMs += TAIL_DEFECT_GRACE_MS - 1;
  assert.equal(tail.poll(), 0, 'within the grace period: perhaps a write in progress');
  nowMs += 1;
  assert.throws(() => tail.poll(), EventLogDefectError);
  tail.close();
});

/** Byte end and next event index of each batch of a segment, read from the batch headers. */
function batchEndsOf(path: string, offsetFirst: number): { endBytes: number; eventIndexNext: number }[] {
  const bytes = readFileSync(path);
  const ends: { endBytes: number; eventIndexNext: number }[] = [];
  let eventIndexNext = offsetFirst;
  for (let pos = 0; pos < bytes.length;) {
    const sizeBytes = BATCH_LENGTH_OVERHEAD_BYTES + bytes.readInt32BE(pos + BATCH_LENGTH_POS);
    eventIndexNext += bytes.readInt32BE(pos + RECORDS_COUNT_POS);
    pos += sizeBytes;
    ends.push({ endBytes: pos, eventIndexNext });
  }
  return ends;
}
