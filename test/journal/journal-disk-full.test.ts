// Proves a full disk or a failing fdatasync gives a clear JournalWriteError, leaves no partial batch behind, never advances seqDurable past what is durable, and fails the writer for good.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { JournalWriteError, JournalWriterClosedError } from '../../journal/errors.ts';
import type { FsOps } from '../../journal/fs-ops.ts';
import { nodeFsOps } from '../../journal/fs-ops.ts';
import { appendBatches, errnoError, fsOpsWith, makeCommands, openWriter, range, scanSeqs, withTempDir } from './helpers.ts';

/** Writes succeed until `budgetBytes` are used up; the write crossing it is short, the next one fails with ENOSPC. */
function diskWithBudget(budgetBytes: number): FsOps & { budgetBytes: number } {
  const disk = {
    ...nodeFsOps,
    budgetBytes,
    writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
      if (disk.budgetBytes <= 0) throw errnoError('ENOSPC');
      const allowedBytes = Math.min(length, disk.budgetBytes);
      disk.budgetBytes -= allowedBytes;
      return nodeFsOps.writeSync(fd, buffer, offset, allowedBytes, position);
    },
  };
  return disk;
}

function writeError(code: string, seq: number, truncatedBack: boolean) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof JournalWriteError, `expected JournalWriteError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.seq, seq);
    assert.equal(error.truncatedBack, truncatedBack);
    assert.match(error.message, new RegExp(`at byte ${error.offsetBytes} \\(seq ${seq}\\): write failed with ${code}`));
    return true;
  };
}

test('a disk filling up mid-batch: clear error, batch cut off, seqDurable unchanged, writer failed', async () => {
  await withTempDir((dir) => {
    const disk = diskWithBudget(Number.MAX_SAFE_INTEGER);
    const writer = openWriter(dir, { durability: 'fsync', fsOps: disk });
    appendBatches(writer, [10, 10]);
    const sizeBeforeBytes = readFileSync(writer.segmentPath).length;
    disk.budgetBytes = 100;
    assert.throws(() => writer.append(makeCommands(21, 10), 10), writeError('ENOSPC', 21, true));
    assert.equal(writer.seqDurable, 20);
    assert.equal(readFileSync(writer.segmentPath).length, sizeBeforeBytes);
    disk.budgetBytes = Number.MAX_SAFE_INTEGER;
    assert.throws(() => writer.append(makeCommands(21, 1), 1), JournalWriterClosedError);
    writer.close();
    const { seqs, report } = scanSeqs(dir);
    assert.deepEqual(seqs, range(1, 20));
    assert.equal(report.truncation, null);
  });
});

test('a failing fdatasync: nothing acknowledged, the unsynced batch removed', async () => {
  await withTempDir((dir) => {
    let failSync = false;
    const writer = openWriter(dir, {
      durability: 'fsync',
      fsOps: fsOpsWith({
        fdatasyncSync: (fd) => {
          if (failSync) throw errnoError('EIO');
          nodeFsOps.fdatasyncSync(fd);
        },
      }),
    });
    appendBatches(writer, [4]);
    failSync = true;
    // Truncating back cannot be made durable either, so the writer says it is not sure.
    assert.throws(() => writer.append(makeCommands(5, 3), 3), writeError('EIO', 5, false));
    assert.equal(writer.seqDurable, 4);
    writer.close();
    assert.deepEqual(scanSeqs(dir).seqs, range(1, 4));
  });
});

test('seqDurable moves only after fdatasync returned', async () => {
  await withTempDir((dir) => {
    const seqDurableSeenAtSync: number[] = [];
    const writer = openWriter(dir, {
      durability: 'fsync',
      fsOps: fsOpsWith({
        fdatasyncSync: (fd) => {
          seqDurableSeenAtSync.push(writer.seqDurable);
          nodeFsOps.fdatasyncSync(fd);
        },
      }),
    });
    appendBatches(writer, [3, 2, 5]);
    writer.close();
    assert.deepEqual(seqDurableSeenAtSync, [0, 3, 5]);
  });
});

test('when truncating back fails too, recovery cuts the torn batch and keeps every acknowledged one', async () => {
  await withTempDir((dir) => {
    const disk = diskWithBudget(Number.MAX_SAFE_INTEGER);
    const writer = openWriter(dir, {
      durability: 'fsync',
      fsOps: { ...disk, ftruncateSync: () => { throw errnoError('EIO'); } },
    });
    appendBatches(writer, [6]);
    disk.budgetBytes = 50;
    assert.throws(() => writer.append(makeCommands(7, 6), 6), writeError('ENOSPC', 7, false));
    assert.equal(writer.seqDurable, 6);
    writer.close();
    const { seqs, report } = scanSeqs(dir);
    assert.deepEqual(seqs, range(1, 6));
    assert.equal(report.truncatedBytes, 50);
  });
});

test('a segment roll that cannot create the new file fails without acknowledging anything', async () => {
  await withTempDir((dir) => {
    let failOpen = false;
    const writer = openWriter(dir, {
      durability: 'fsync',
      segmentSizeBytesMax: 512,
      fsOps: fsOpsWith({
        openSync: (path, flags) => {
          if (failOpen && flags === 'wx') throw errnoError('ENOSPC');
          return nodeFsOps.openSync(path, flags);
        },
      }),
    });
    appendBatches(writer, [10]);
    failOpen = true;
    assert.throws(() => writer.append(makeCommands(11, 10), 10), writeError('ENOSPC', 11, true));
    assert.equal(writer.seqDurable, 10);
    writer.close();
    assert.deepEqual(scanSeqs(dir).seqs, range(1, 10));
  });
});
