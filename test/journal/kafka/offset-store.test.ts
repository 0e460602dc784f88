// Proves committed offsets are durable state: they survive a reopen, a torn last entry is cut off at open (earlier commits kept), and compaction past the size limit keeps exactly the latest offset of every group.

import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SILENT_LOG } from '../../../journal/kafka/endpoint-log.ts';
import { OffsetStore } from '../../../journal/kafka/groups/offset-store.ts';
import { OFFSETS_FILE_COMPACT_BYTES } from '../../../journal/kafka/limits.ts';

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-offsets-'));
  try {
    await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = (groupId: string, offset: number) => ({ groupId, topic: 'commands', partition: 0, offset, leaderEpoch: 0, metadata: `m${offset}` });

test('commits survive a reopen and a torn tail is cut', async () => {
  await withDir(async (dir) => {
    const store = await OffsetStore.open(dir, SILENT_LOG);
    await Promise.all([store.commit([entry('a', 10)]), store.commit([entry('b', 20)]), store.commit([entry('a', 11)])]);
    assert.equal(store.get('a', 'commands', 0)?.offset, 11);
    await store.close();
    appendFileSync(join(dir, 'offsets.log'), Buffer.from([0, 0, 0, 40, 1, 2, 3]));
    const reopened = await OffsetStore.open(dir, SILENT_LOG);
    assert.equal(reopened.truncatedBytes, 7);
    assert.deepEqual(reopened.get('a', 'commands', 0), { offset: 11, leaderEpoch: 0, metadata: 'm11' });
    assert.equal(reopened.get('b', 'commands', 0)?.offset, 20);
    assert.equal(reopened.get('c', 'commands', 0), undefined);
    await reopened.close();
  });
});

test('compaction keeps only the latest offset of each group', async () => {
  await withDir(async (dir) => {
    const store = await OffsetStore.open(dir, SILENT_LOG);
    const groups = 50;
    let offset = 0;
    while (statSync(join(dir, 'offsets.log')).size < OFFSETS_FILE_COMPACT_BYTES / 2 || offset < groups * 2) {
      await store.commit(Array.from({ length: 500 }, (_, index) => entry(`g${index % groups}`, ++offset)));
      if (offset > 200_000) break;
    }
    await store.commit([entry('g0', ++offset)]);
    await store.close();
    const reopened = await OffsetStore.open(dir, SILENT_LOG);
    assert.ok(readFileSync(join(dir, 'offsets.log')).length < OFFSETS_FILE_COMPACT_BYTES);
    assert.equal(reopened.get('g0', 'commands', 0)?.offset, offset);
    assert.equal(reopened.groupCount, groups);
    await reopened.close();
  });
});
