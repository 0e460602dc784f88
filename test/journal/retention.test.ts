// Proves retention keeps the K newest valid snapshots, removes only command segments the oldest kept snapshot covers (deleting or archiving them), and leaves a journal that still recovers from that snapshot.

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { applyRetention, type ArchivedSegment } from '../../journal/retention.ts';
import { listSnapshots, writeSnapshot } from '../../journal/snapshot-store.ts';
import { appendBatches, openWriter, range, scan, scanSeqs, withTempDir } from './helpers.ts';

const SEGMENT_SIZE_BYTES_MAX = 1024;

function buildJournal(dir: string): void {
  const writer = openWriter(dir, { segmentSizeBytesMax: SEGMENT_SIZE_BYTES_MAX });
  appendBatches(writer, Array.from({ length: 20 }, () => 10));
  writer.close();
  for (const seq of [40, 90, 150]) writeSnapshot(dir, { seq, timeUs: seq, eventIndexNext: seq, stateHash: Buffer.from('h'), payload: Buffer.from([seq]) });
}

test('keep 2: the oldest snapshot goes, and so do segments ending at or before the oldest kept seq', async () => {
  await withTempDir(async (dir) => {
    buildJournal(dir);
    const segmentsBefore = scan(dir).segments;
    const report = await applyRetention(dir, { snapshotsKeepCount: 2, segmentDisposal: { kind: 'delete' } });
    assert.deepEqual(report.snapshotSeqsKept, [150, 90]);
    assert.deepEqual(report.snapshotsDeleted.map((path) => basename(path)), ['00000000000000000040.snap']);
    const expectedDisposed = segmentsBefore.filter((segment) => segment.seqLast <= 90);
    assert.ok(expectedDisposed.length > 0 && expectedDisposed.length < segmentsBefore.length - 1);
    assert.deepEqual(report.segmentsDisposed.map((segment) => segment.path), expectedDisposed.map((segment) => segment.path));
    for (const segment of expectedDisposed) assert.equal(existsSync(segment.path), false);
    const { seqs, report: scanReport } = scanSeqs(dir);
    assert.ok(scanReport.seqFirst <= 91, 'replay from the oldest kept snapshot is still possible');
    assert.deepEqual(seqs, range(scanReport.seqFirst, 200));
  });
});

test('archive mode hands each segment to the archiver before deleting it', async () => {
  await withTempDir(async (dir) => {
    buildJournal(dir);
    const archiveDir = join(dir, 'archive');
    mkdirSync(archiveDir);
    const archived: ArchivedSegment[] = [];
    const archiver = {
      archiveSegment: async (segment: ArchivedSegment): Promise<void> => {
        assert.equal(existsSync(segment.path), true);
        copyFileSync(segment.path, join(archiveDir, basename(segment.path)));
        archived.push(segment);
      },
    };
    const report = await applyRetention(dir, { snapshotsKeepCount: 1, segmentDisposal: { kind: 'archive', archiver } });
    assert.deepEqual(report.segmentsDisposed, archived);
    assert.ok(archived.length > 0);
    assert.ok(archived.every((segment) => segment.seqLast <= 150));
    assert.equal(archived[0]?.seqFirst, 1);
    for (const segment of archived) assert.equal(readFileSync(join(archiveDir, basename(segment.path))).length > 0, true);
  });
});

test('a corrupt snapshot does not count towards K, stays for inspection, and protects older segments', async () => {
  await withTempDir(async (dir) => {
    buildJournal(dir);
    const newest = listSnapshots(dir).snapshots[2]!.path;
    writeFileSync(newest, Buffer.from('not a snapshot at all, just bytes'));
    writeFileSync(join(dir, 'snapshots', '00000000000000000160.snap.tmp'), 'leftover');
    const coveredBy40 = scan(dir).segments.filter((segment) => segment.seqLast <= 40).map((segment) => segment.path);
    const report = await applyRetention(dir, { snapshotsKeepCount: 2, segmentDisposal: { kind: 'delete' } });
    assert.deepEqual(report.snapshotSeqsKept, [90, 40]);
    assert.deepEqual(report.snapshotsCorrupt.map((error) => error.path), [newest]);
    assert.equal(report.tempFilesDeleted.length, 1);
    assert.ok(coveredBy40.length > 0);
    assert.deepEqual(report.segmentsDisposed.map((segment) => segment.path), coveredBy40);
    assert.equal(existsSync(newest), true);
  });
});

test('with fewer valid snapshots than K no snapshot is deleted and the oldest one bounds the segments', async () => {
  await withTempDir(async (dir) => {
    buildJournal(dir);
    const coveredBy40 = scan(dir).segments.filter((segment) => segment.seqLast <= 40).map((segment) => segment.path);
    const report = await applyRetention(dir, { snapshotsKeepCount: 5, segmentDisposal: { kind: 'delete' } });
    assert.deepEqual(report.snapshotSeqsKept, [150, 90, 40]);
    assert.deepEqual(report.snapshotsDeleted, []);
    assert.deepEqual(report.segmentsDisposed.map((segment) => segment.path), coveredBy40);
  });
});

test('keep mode trims snapshots but leaves every command segment, so the journal still replays from seq 1', async () => {
  await withTempDir(async (dir) => {
    buildJournal(dir);
    const segmentsBefore = scan(dir).segments.map((segment) => segment.path);
    const report = await applyRetention(dir, { snapshotsKeepCount: 1, segmentDisposal: { kind: 'keep' } });
    assert.deepEqual(report.snapshotSeqsKept, [150]);
    assert.equal(report.snapshotsDeleted.length, 2);
    assert.deepEqual(report.segmentsDisposed, []);
    assert.deepEqual(scan(dir).segments.map((segment) => segment.path), segmentsBefore);
    assert.deepEqual(scanSeqs(dir).seqs, range(1, 200));
  });
});
