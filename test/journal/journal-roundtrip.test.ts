// Proves what the writer acknowledges is exactly what recovery reads back, across segment rolls, reopenings and both durability modes, and that the writer refuses records breaking its contract.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JournalAppendError, JournalStateError, JournalWriterClosedError } from '../../journal/errors.ts';
import type { BatchLocation } from '../../journal/journal-scan.ts';
import { JournalWriter } from '../../journal/journal-writer.ts';
import { RECORD_SIZE_BYTES, appendBatches, makeCommands, openWriter, range, scan, scanSeqs, withTempDir } from './helpers.ts';

const BATCH_COUNTS = [1, 7, 64, 3, 200, 1, 50, 129, 2, 90];
const SEGMENT_SIZE_BYTES_MAX = 8 * 1024;

test('records written across segment rolls come back in order, byte for byte', async () => {
  await withTempDir((dir) => {
    const writer = openWriter(dir, { durability: 'fsync', segmentSizeBytesMax: SEGMENT_SIZE_BYTES_MAX });
    appendBatches(writer, BATCH_COUNTS);
    const total = BATCH_COUNTS.reduce((sum, count) => sum + count, 0);
    assert.equal(writer.seqDurable, total);
    writer.close();
    const names = readdirSync(join(dir, 'commands'));
    assert.ok(names.length >= 3, `expected several segments, got ${names.join(', ')}`);
    assert.equal(names[0], '00000000000000000001.log');
    const batches: BatchLocation[] = [];
    const { seqs, report } = scanSeqs(dir, { onBatch: (batch) => batches.push(batch) });
    assert.deepEqual(seqs, range(1, total));
    assert.equal(report.truncation, null);
    assert.equal(report.seqFirst, 1);
    assert.equal(report.seqLast, total);
    assert.equal(report.recordCount, total);
    assert.deepEqual(batches.map((batch) => batch.recordCount), BATCH_COUNTS);
    for (const segment of report.segments) assert.ok(segment.sizeBytes <= SEGMENT_SIZE_BYTES_MAX);
    assert.deepEqual(report.segments.map((segment) => `${String(segment.seqFirst).padStart(20, '0')}.log`), names);
  });
});

test('a reopened writer continues the same journal; seqFrom skips what a snapshot covers', async () => {
  await withTempDir((dir) => {
    for (const counts of [[5, 6], [1], [40, 40, 40]]) {
      const writer = openWriter(dir, { segmentSizeBytesMax: SEGMENT_SIZE_BYTES_MAX });
      appendBatches(writer, counts);
      writer.close();
    }
    assert.deepEqual(scanSeqs(dir).seqs, range(1, 132));
    assert.deepEqual(scanSeqs(dir, { seqFrom: 100 }).seqs, range(100, 132));
  });
});

test('an empty journal starts at seqFirst', async () => {
  await withTempDir((dir) => {
    const report = scan(dir);
    assert.equal(report.tail, null);
    assert.equal(report.seqLast, 0);
    const writer = openWriter(dir, { seqFirst: 1000 });
    assert.equal(writer.seqDurable, 999);
    writer.append(makeCommands(1000, 2), 2);
    writer.close();
    assert.deepEqual(scanSeqs(dir).seqs, [1000, 1001]);
    assert.equal(readdirSync(join(dir, 'commands'))[0], '00000000000000001000.log');
  });
});

test('append refuses gaps, type-0 commands, bad counts and short buffers, and writes nothing', async () => {
  await withTempDir((dir) => {
    const writer = openWriter(dir);
    appendBatches(writer, [3]);
    const rejectedWith = (reason: string) => (error: unknown) => error instanceof JournalAppendError && error.reason === reason;
    assert.throws(() => writer.append(makeCommands(5, 2), 2), rejectedWith('seq'));
    const typeZero = makeCommands(4, 2);
    typeZero[RECORD_SIZE_BYTES] = 0;
    assert.throws(() => writer.append(typeZero, 2), rejectedWith('commandType'));
    assert.throws(() => writer.append(makeCommands(4, 1), 0), rejectedWith('count'));
    assert.throws(() => writer.append(makeCommands(4, 1), writer.batchRecordsMax + 1), rejectedWith('count'));
    assert.throws(() => writer.append(makeCommands(4, 1), 2), rejectedWith('recordsLength'));
    assert.equal(writer.seqDurable, 3);
    appendBatches(writer, [2]);
    writer.close();
    assert.throws(() => writer.append(makeCommands(6, 1), 1), JournalWriterClosedError);
    assert.deepEqual(scanSeqs(dir).seqs, range(1, 5));
  });
});

test('the writer refuses to resume from a scan that no longer matches the disk', async () => {
  await withTempDir((dir) => {
    const stale = scan(dir);
    const writer = openWriter(dir);
    appendBatches(writer, [2]);
    const recovered = scan(dir);
    appendBatches(writer, [2]);
    writer.close();
    const open = (report: typeof stale) => JournalWriter.open({ dir, recordSizeBytes: RECORD_SIZE_BYTES, recovered: report });
    assert.throws(() => open(stale), JournalStateError);
    assert.throws(() => open(recovered), JournalStateError);
  });
});
