// Proves snapshots round-trip with their seq and state hash, that any damaged snapshot is detected and loading falls back to the newest valid one while reporting the rest, and that stray files are not ignored.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SnapshotCorruptError } from '../../journal/errors.ts';
import type { Snapshot } from '../../journal/snapshot-format.ts';
import { loadNewestSnapshot, listSnapshots, writeSnapshot } from '../../journal/snapshot-store.ts';
import { withTempDir } from './helpers.ts';

function snapshotAt(seq: number): Snapshot {
  return {
    seq,
    timeUs: 1_000_000 + seq,
    eventIndexNext: 3 * seq,
    stateHash: Buffer.from(`hash-${seq}`),
    payload: Buffer.from(Array.from({ length: 200 + seq }, (_, index) => (index * seq) & 0xff)),
  };
}

test('the newest snapshot loads with its seq, state hash and payload', async () => {
  await withTempDir((dir) => {
    for (const seq of [10, 30, 20]) writeSnapshot(dir, snapshotAt(seq));
    assert.deepEqual(readdirSync(join(dir, 'snapshots')), ['00000000000000000010.snap', '00000000000000000020.snap', '00000000000000000030.snap']);
    const { snapshot, rejected } = loadNewestSnapshot(dir);
    assert.deepEqual(rejected, []);
    assert.equal(snapshot?.seq, 30);
    assert.equal(snapshot?.timeUs, 1_000_030);
    assert.equal(snapshot?.eventIndexNext, 90);
    assert.deepEqual(Buffer.from(snapshot?.stateHash ?? []), Buffer.from('hash-30'));
    assert.deepEqual(Buffer.from(snapshot?.payload ?? []), Buffer.from(snapshotAt(30).payload));
  });
});

test('a snapshot with a bad CRC falls back to the previous one and is reported', async () => {
  await withTempDir((dir) => {
    for (const seq of [10, 20, 30]) writeSnapshot(dir, snapshotAt(seq));
    const newestPath = join(dir, 'snapshots', '00000000000000000030.snap');
    const damaged = readFileSync(newestPath);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0x10;
    writeFileSync(newestPath, damaged);
    const { snapshot, rejected } = loadNewestSnapshot(dir);
    assert.equal(snapshot?.seq, 20);
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]?.path, newestPath);
    assert.equal(rejected[0]?.defect, 'payloadCrc');
  });
});

test('every bit flip and every truncation of a snapshot file is detected', async () => {
  await withTempDir((dir) => {
    const path = writeSnapshot(dir, snapshotAt(7));
    const original = readFileSync(path);
    for (let byte = 0; byte < original.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = Buffer.from(original);
        damaged[byte] = damaged[byte]! ^ (1 << bit);
        writeFileSync(path, damaged);
        const { snapshot, rejected } = loadNewestSnapshot(dir);
        assert.equal(snapshot, null, `flip of bit ${bit} at byte ${byte}`);
        assert.equal(rejected.length, 1);
      }
    }
    for (let sizeBytes = 0; sizeBytes < original.length; sizeBytes++) {
      writeFileSync(path, original.subarray(0, sizeBytes));
      assert.equal(loadNewestSnapshot(dir).snapshot, null, `cut to ${sizeBytes} bytes`);
    }
  });
});

test('a snapshot renamed to another seq is rejected; leftover temp files are never loaded; stray files are errors', async () => {
  await withTempDir((dir) => {
    writeSnapshot(dir, snapshotAt(10));
    const snapshotsDir = join(dir, 'snapshots');
    writeFileSync(join(snapshotsDir, '00000000000000000020.snap'), readFileSync(join(snapshotsDir, '00000000000000000010.snap')));
    writeFileSync(join(snapshotsDir, '00000000000000000040.snap.tmp'), 'half a snapshot');
    const { snapshot, rejected } = loadNewestSnapshot(dir);
    assert.equal(snapshot?.seq, 10);
    assert.equal(rejected[0]?.defect, 'seq');
    assert.deepEqual(listSnapshots(dir).tempPaths, [join(snapshotsDir, '00000000000000000040.snap.tmp')]);
    writeFileSync(join(snapshotsDir, 'latest.snap'), '');
    assert.throws(() => loadNewestSnapshot(dir), (error: unknown) => error instanceof SnapshotCorruptError && error.defect === 'name');
  });
});

test('no snapshot directory means no snapshot', async () => {
  await withTempDir((dir) => {
    assert.deepEqual(loadNewestSnapshot(dir), { snapshot: null, rejected: [] });
  });
});
