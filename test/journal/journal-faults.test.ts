// Proves recovery cuts a torn or corrupt tail at the last good batch and reports it, and stops with an error naming file, byte offset and seq for any corruption that valid data follows, for every truncation point and every bit flip tried.

import assert from 'node:assert/strict';
import { readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JournalCorruptError, JournalStateError } from '../../journal/errors.ts';
import type { BatchLocation } from '../../journal/journal-scan.ts';
import { appendBatches, openWriter, range, scan, scanSeqs, withTempDir } from './helpers.ts';

const BATCH_COUNTS = [3, 1, 5, 2, 4];
const SEQ_LAST = 15;

interface Fixture {
  readonly path: string;
  readonly original: Buffer;
  readonly batches: readonly BatchLocation[];
}

function buildJournal(dir: string, batchCounts: readonly number[] = BATCH_COUNTS, segmentSizeBytesMax?: number): Fixture {
  const writer = openWriter(dir, segmentSizeBytesMax === undefined ? {} : { segmentSizeBytesMax });
  appendBatches(writer, batchCounts);
  writer.close();
  const batches: BatchLocation[] = [];
  scan(dir, { onBatch: (batch) => batches.push(batch) });
  const path = batches[batches.length - 1]!.path;
  return { path, original: readFileSync(path), batches };
}

function corruptError(path: string, offsetBytes: number, seq: number) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof JournalCorruptError, `expected JournalCorruptError, got ${String(error)}`);
    assert.equal(error.path, path);
    assert.equal(error.offsetBytes, offsetBytes);
    assert.equal(error.seq, seq);
    assert.ok(error.message.startsWith(`${path} at byte ${offsetBytes} (seq ${seq < 0 ? 'unknown' : seq})`), error.message);
    return true;
  };
}

test('a last batch cut at every byte offset is truncated at the previous batch and reported', async () => {
  await withTempDir((dir) => {
    const { path, original, batches } = buildJournal(dir);
    const last = batches[batches.length - 1]!;
    for (let keptBytes = 1; keptBytes < last.sizeBytes; keptBytes++) {
      writeFileSync(path, original.subarray(0, last.offsetBytes + keptBytes));
      const { seqs, report } = scanSeqs(dir);
      assert.deepEqual(seqs, range(1, last.seqFirst - 1), `cut after ${keptBytes} bytes`);
      assert.equal(report.truncatedBytes, keptBytes);
      assert.equal(report.truncation?.offsetBytes, last.offsetBytes);
      assert.equal(report.truncation?.seq, last.seqFirst);
      assert.equal(readFileSync(path).length, last.offsetBytes);
      // The repaired journal takes new batches where the torn one was.
      const writer = openWriter(dir);
      appendBatches(writer, [2]);
      writer.close();
      assert.deepEqual(scanSeqs(dir).seqs, range(1, last.seqFirst + 1));
    }
  });
});

test('every bit flip in the last batch is truncated and reported, never accepted', async () => {
  await withTempDir((dir) => {
    const { path, original, batches } = buildJournal(dir);
    const last = batches[batches.length - 1]!;
    for (let byte = last.offsetBytes; byte < original.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = Buffer.from(original);
        damaged[byte] = damaged[byte]! ^ (1 << bit);
        writeFileSync(path, damaged);
        const { seqs, report } = scanSeqs(dir);
        assert.deepEqual(seqs, range(1, last.seqFirst - 1), `flip of bit ${bit} at byte ${byte}`);
        assert.equal(report.truncation?.offsetBytes, last.offsetBytes);
        assert.equal(report.truncatedBytes, last.sizeBytes);
      }
    }
  });
});

test('every bit flip in a middle batch stops recovery with an error naming file, offset and seq', async () => {
  await withTempDir((dir) => {
    const { path, original, batches } = buildJournal(dir);
    const middle = batches[2]!;
    for (let byte = middle.offsetBytes; byte < middle.offsetBytes + middle.sizeBytes; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = Buffer.from(original);
        damaged[byte] = damaged[byte]! ^ (1 << bit);
        writeFileSync(path, damaged);
        assert.throws(() => scan(dir), corruptError(path, middle.offsetBytes, middle.seqFirst), `flip of bit ${bit} at byte ${byte}`);
        assert.deepEqual(readFileSync(path), damaged, 'a refused journal is left untouched');
      }
    }
  });
});

test('a zero-filled tail, also over the end of the last batch, is truncated and reported as zero-filled', async () => {
  await withTempDir((dir) => {
    const { path, original, batches } = buildJournal(dir);
    const last = batches[batches.length - 1]!;
    writeFileSync(path, Buffer.concat([original, Buffer.alloc(4096)]));
    let report = scan(dir);
    assert.equal(report.seqLast, SEQ_LAST);
    assert.equal(report.truncatedBytes, 4096);
    assert.equal(report.truncation?.zeroFilled, true);
    const zeroedFromMiddleOfLast = Buffer.concat([original.subarray(0, last.offsetBytes + 20), Buffer.alloc(4096)]);
    writeFileSync(path, zeroedFromMiddleOfLast);
    report = scan(dir);
    assert.equal(report.seqLast, last.seqFirst - 1);
    assert.equal(report.truncatedBytes, 20 + 4096);
    assert.equal(report.truncation?.zeroFilled, false);
    assert.equal(readFileSync(path).length, last.offsetBytes);
  });
});

test('garbage after the last batch is truncated; a valid batch after garbage is an error', async () => {
  await withTempDir((dir) => {
    const { path, original, batches } = buildJournal(dir);
    const garbage = Buffer.from(Array.from({ length: 300 }, (_, index) => (index * 73 + 11) & 0xff));
    writeFileSync(path, Buffer.concat([original, garbage]));
    assert.equal(scan(dir).truncatedBytes, garbage.length);
    const last = batches[batches.length - 1]!;
    const lastBatch = original.subarray(last.offsetBytes);
    writeFileSync(path, Buffer.concat([original, garbage, lastBatch]));
    assert.throws(() => scan(dir), corruptError(path, original.length, SEQ_LAST + 1));
  });
});

test('a read-only scan reports the torn tail without cutting it, and the writer refuses that state', async () => {
  await withTempDir((dir) => {
    const { path, original } = buildJournal(dir);
    writeFileSync(path, original.subarray(0, original.length - 5));
    const report = scan(dir, { truncateTail: false });
    assert.equal(report.truncation?.applied, false);
    assert.equal(readFileSync(path).length, original.length - 5);
    assert.throws(() => openWriter(dir, { recovered: report }), JournalStateError);
  });
});

test('corruption at the end of a segment that is not the last is an error, not a tail', async () => {
  await withTempDir((dir) => {
    const { batches } = buildJournal(dir, [20, 20, 20, 20], 1024);
    const firstSegmentBatches = batches.filter((batch) => batch.path === batches[0]!.path);
    assert.ok(firstSegmentBatches.length < batches.length, 'the fixture needs several segments');
    const lastOfFirst = firstSegmentBatches[firstSegmentBatches.length - 1]!;
    truncateSync(lastOfFirst.path, lastOfFirst.offsetBytes + lastOfFirst.sizeBytes - 1);
    assert.throws(() => scan(dir), corruptError(lastOfFirst.path, lastOfFirst.offsetBytes, lastOfFirst.seqFirst));
  });
});

test('a seq gap between segments, a stray file and an empty middle segment are errors naming the file', async () => {
  await withTempDir((dir) => {
    const { batches } = buildJournal(dir, [20, 20, 20, 20], 1024);
    const second = batches.find((batch) => batch.path !== batches[0]!.path)!;
    const gapPath = join(dir, 'commands', `${String(second.seqFirst + 1).padStart(20, '0')}.log`);
    renameSync(second.path, gapPath);
    assert.throws(() => scan(dir), corruptError(gapPath, 0, second.seqFirst));
    renameSync(gapPath, second.path);
    const strayPath = join(dir, 'commands', 'notes.txt');
    writeFileSync(strayPath, 'x');
    assert.throws(() => scan(dir), corruptError(strayPath, 0, -1));
    renameSync(strayPath, join(dir, 'notes-moved'));
    truncateSync(batches[0]!.path, 0);
    assert.throws(() => scan(dir), corruptError(batches[0]!.path, 0, 1));
  });
});
