// Proves the endpoint's view of the journal files: any offset (first, second and last of each batch) reads as whole, unchanged batches starting at the batch that holds it (across segments, capped by size, KIP-74 oversize allowed), timestamps map to the first record at or after them, events become visible only once the commands that caused them are durable, a half-written or corrupt tail is never served, retention moves the log start, and a rewritten log is read anew.

import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SILENT_LOG } from '../../../journal/kafka/endpoint-log.ts';
import { JournalTopics } from '../../../journal/kafka/log/journal-topics.ts';
import { BATCH_SIZES, appendBatches, batchBounds, expectedRecords } from './journal-fixture.ts';

const SEGMENT_SIZE_BYTES = 128 * 1024;

let source = '';

before(async () => {
  source = mkdtempSync(join(tmpdir(), 'kafka-log-'));
  await appendBatches(source, BATCH_SIZES, SEGMENT_SIZE_BYTES);
});

after(() => rmSync(source, { recursive: true, force: true }));

async function withCopy(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-log-copy-'));
  try {
    for (const topic of ['commands', 'events']) {
      mkdirSync(join(dir, topic));
      for (const name of readdirSync(join(source, topic))) copyFileSync(join(source, topic, name), join(dir, topic, name));
    }
    await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withTopics(dir: string, run: (topics: JournalTopics) => Promise<void>): Promise<void> {
  const topics = await JournalTopics.open(dir, SILENT_LOG);
  try {
    await run(topics);
  } finally {
    await topics.close();
  }
}

/** Base offsets and record counts of the batches in `bytes`, checking they are whole. */
function batchesIn(bytes: Buffer): { baseOffset: number; recordCount: number }[] {
  const batches = [];
  let pos = 0;
  while (pos < bytes.length) {
    batches.push({ baseOffset: Number(bytes.readBigInt64BE(pos)), recordCount: bytes.readInt32BE(pos + 57) });
    pos += 12 + bytes.readInt32BE(pos + 8);
  }
  assert.equal(pos, bytes.length, 'whole batches only');
  return batches;
}

test('any offset reads from the batch holding it, as the file holds it, within the size cap', async () => {
  await withTopics(source, async (topics) => {
    for (const topic of ['commands', 'events']) {
      const log = topics.topic(topic)!;
      const bounds = batchBounds(source, topic);
      const records = expectedRecords(source, topic);
      assert.equal(log.logStartOffset, records[0]!.offset);
      assert.equal(log.highWatermark, records.at(-1)!.offset + 1);
      const files = readdirSync(join(source, topic)).sort().map((name) => readFileSync(join(source, topic, name)));
      assert.ok(files.length > 1, 'several segments');
      // The first, second and last offset of every batch: the edges where a lookup can go wrong.
      for (const batch of bounds) {
        for (const offset of new Set([batch.baseOffset, Math.min(batch.baseOffset + 1, batch.baseOffset + batch.recordCount - 1), batch.baseOffset + batch.recordCount - 1])) {
          const bytes = await log.read(offset, 4096, true);
          const batches = batchesIn(bytes);
          assert.equal(batches[0]!.baseOffset, batch.baseOffset, `${topic} offset ${offset}`);
          assert.ok(bytes.length <= 4096 || batches.length === 1, 'only a lone first batch may exceed the cap');
          assert.ok(files.some((file) => file.includes(bytes)), 'bytes unchanged from the segment');
        }
      }
      assert.equal((await log.read(records[0]!.offset, 100, false)).length, 0, 'no oversize batch unless allowed');
      assert.equal((await log.read(log.highWatermark, 4096, true)).length, 0);
    }
  });
});

test('a timestamp maps to the first record at or after it', async () => {
  await withTopics(source, async (topics) => {
    for (const topic of ['commands', 'events']) {
      const records = expectedRecords(source, topic);
      const log = topics.topic(topic)!;
      for (const record of records.filter((_, index) => index % 97 === 0)) {
        const first = records.find((each) => each.timestampMs >= record.timestampMs)!;
        assert.deepEqual(await log.offsetForTimestamp(record.timestampMs), { offset: first.offset, timestampMs: first.timestampMs });
      }
      assert.equal(await log.offsetForTimestamp(records.at(-1)!.timestampMs + 1), null);
      assert.equal(log.maxTimestampMs, records.at(-1)!.timestampMs);
    }
  });
});

test('events are visible only up to the durable commands; a half-written or corrupt command batch is not served', async () => {
  await withCopy(async (dir) => {
    const commandsDir = join(dir, 'commands');
    const names = readdirSync(commandsDir).sort();
    const lastPath = join(commandsDir, names.at(-1)!);
    const full = readFileSync(lastPath);
    const lastBatchStart = full.length - (12 + full.readInt32BE(findLastBatch(full) + 8));
    // The last command batch is missing, then half there, then corrupt, then whole.
    truncateSync(lastPath, lastBatchStart);
    const events = expectedRecords(source, 'events');
    const allCommands = expectedRecords(source, 'commands');
    const lastBatchSeq = Number(full.readBigInt64BE(lastBatchStart));
    await withTopics(dir, async (topics) => {
      assert.equal(topics.topic('commands')!.highWatermark, lastBatchSeq);
      const visibleEvents = events.filter((event) => event.journalSeq < lastBatchSeq).length;
      assert.equal(topics.topic('events')!.highWatermark, visibleEvents);
      appendFileSync(lastPath, full.subarray(lastBatchStart, lastBatchStart + 100));
      await topics.refreshNow();
      assert.equal(topics.topic('commands')!.highWatermark, lastBatchSeq);
      const corrupt = Buffer.from(full.subarray(lastBatchStart));
      corrupt[corrupt.length - 1]! ^= 0xff;
      writeFileSync(lastPath, Buffer.concat([full.subarray(0, lastBatchStart), corrupt]));
      await topics.refreshNow();
      assert.equal(topics.topic('commands')!.highWatermark, lastBatchSeq);
      assert.match(topics.topic('commands')!.stall?.reason ?? '', /crc/);
      writeFileSync(lastPath, full);
      await topics.refreshNow();
      assert.equal(topics.topic('commands')!.highWatermark, allCommands.at(-1)!.offset + 1);
      assert.equal(topics.topic('events')!.highWatermark, events.length);
      assert.equal(topics.topic('commands')!.stall, null);
    });
  });
});

test('retention deleting old segments moves the log start; a rewritten log is read anew', async () => {
  await withCopy(async (dir) => {
    await withTopics(dir, async (topics) => {
      const commands = topics.topic('commands')!;
      const names = readdirSync(join(dir, 'commands')).sort();
      unlinkSync(join(dir, 'commands', names[0]!));
      await topics.refreshNow();
      assert.equal(commands.logStartOffset, Number(names[1]!.slice(0, 20)));
      assert.equal(batchesIn(await commands.read(commands.logStartOffset, 4096, true))[0]!.baseOffset, commands.logStartOffset);

      const eventsLog = topics.topic('events')!;
      const eventNames = readdirSync(join(dir, 'events')).sort();
      const lastEvents = join(dir, 'events', eventNames.at(-1)!);
      const bytes = readFileSync(lastEvents);
      truncateSync(lastEvents, findLastBatch(bytes));
      await topics.refreshNow();
      assert.equal(eventsLog.resets, 1);
      assert.equal(eventsLog.highWatermark, Number(bytes.readBigInt64BE(findLastBatch(bytes))));
    });
  });
});

/** Where the last batch of a segment's bytes starts. */
function findLastBatch(bytes: Buffer): number {
  let pos = 0;
  let last = 0;
  while (pos < bytes.length) {
    last = pos;
    pos += 12 + bytes.readInt32BE(pos + 8);
  }
  return last;
}
