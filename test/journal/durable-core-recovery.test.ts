// Proves startup refuses what it must (a snapshot whose stored hash disagrees with its decoded state, a command the engine rejects on replay, a journal shorter than its snapshot, a foreign journal.json) with errors naming file, offset and seq, and repairs what it may: a snapshot with a bad CRC falls back to the previous one, and an event log ahead of the journal is cut back; each time to the live run's state and events.

import assert from 'node:assert/strict';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FLOW_ENGINE_CONFIG } from '../../engine/orderflow.ts';
import { writeU64LE } from '../../journal/bytes.ts';
import { COMMAND_RECORD_SIZE_BYTES } from '../../journal/core-records.ts';
import { JournalStateError, ReplayError, SnapshotMismatchError } from '../../journal/errors.ts';
import type { BatchLocation } from '../../journal/journal-scan.ts';
import { scanJournal } from '../../journal/journal-scan.ts';
import { JournalWriter } from '../../journal/journal-writer.ts';
import { COMMAND_TIME_US_OFFSET_BYTES } from '../../journal/record-layout.ts';
import { SNAPSHOT_HEADER_SIZE_BYTES } from '../../journal/snapshot-format.ts';
import { listSnapshots, readSnapshot, writeSnapshot } from '../../journal/snapshot-store.ts';
import { RISK_ENGINE_CONFIG, liveRun, riskCommands, streamClockUs } from './command-streams.ts';
import { eventLogBytes, feed, openStreamCore } from './core-helpers.ts';
import { withTempDir } from './helpers.ts';

const SEED = 31;
const COMMAND_COUNT = 2500;
const SNAPSHOT_EVERY_COMMANDS = 600;
const COMMANDS = riskCommands(SEED, COMMAND_COUNT);

function coreOptions(dir: string) {
  return { dir, engineConfig: RISK_ENGINE_CONFIG, snapshotEveryCommands: SNAPSHOT_EVERY_COMMANDS, snapshotsKeepCount: 3, segmentDisposal: { kind: 'keep' } as const, batchCommandsMax: 64 };
}

/** Journals the first `count` commands and closes; returns the snapshot seqs on disk. */
async function journal(dir: string, count = COMMAND_COUNT): Promise<number[]> {
  const core = openStreamCore(coreOptions(dir), SEED);
  feed(core, COMMANDS, count, SEED, 100);
  await core.close();
  return listSnapshots(dir).snapshots.map((snapshot) => snapshot.seq);
}

function liveHash(count: number): string {
  return liveRun(RISK_ENGINE_CONFIG, COMMANDS.slice(0, count), streamClockUs(SEED, 1)).engine.stateHash();
}

test('a snapshot whose stored state hash disagrees with its decoded state stops startup, naming file, offset and seq', async () => {
  await withTempDir(async (dir) => {
    const seqs = await journal(dir);
    const newest = listSnapshots(dir).snapshots.at(-1)!;
    const snapshot = readSnapshot(newest);
    const wrongHash = Buffer.from('0'.repeat(64), 'ascii');
    writeSnapshot(dir, { ...snapshot, stateHash: wrongHash });
    assert.throws(
      () => openStreamCore(coreOptions(dir), SEED),
      (error: unknown) => {
        assert.ok(error instanceof SnapshotMismatchError, String(error));
        assert.equal(error.path, newest.path);
        assert.equal(error.offsetBytes, SNAPSHOT_HEADER_SIZE_BYTES);
        assert.equal(error.seq, seqs.at(-1));
        assert.match(error.message, new RegExp(`^${newest.path} at byte ${SNAPSHOT_HEADER_SIZE_BYTES} \\(seq ${error.seq}\\): stored state hash 0{64}`));
        return true;
      },
    );
  });
});

test('a snapshot with a bad CRC is passed over for the previous one, and replay from there reaches the same state', async () => {
  await withTempDir(async (dir) => {
    const seqs = await journal(dir);
    assert.ok(seqs.length >= 2);
    const newest = listSnapshots(dir).snapshots.at(-1)!;
    const bytes = readFileSync(newest.path);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x01;
    writeFileSync(newest.path, bytes);
    const core = openStreamCore(coreOptions(dir), SEED);
    assert.equal(core.recovery.snapshotSeq, seqs.at(-2));
    assert.deepEqual(core.recovery.snapshotsRejected.map((error) => [error.path, error.defect]), [[newest.path, 'payloadCrc']]);
    assert.equal(core.recovery.commandsReplayed, COMMAND_COUNT - seqs.at(-2)!);
    assert.equal(core.engine.stateHash(), liveHash(COMMAND_COUNT));
    await core.close();
  });
});

test('a journaled command the engine refuses on replay stops startup with the segment, batch offset and seq', async () => {
  await withTempDir(async (dir) => {
    await journal(dir, 300);
    rmSync(join(dir, 'snapshots'), { recursive: true, force: true });
    // Bypass the sequencer: a record whose time goes back is valid to the journal, fatal to the engine.
    const recovered = scanJournal(dir, { recordSizeBytes: COMMAND_RECORD_SIZE_BYTES });
    const writer = JournalWriter.open({ dir, recordSizeBytes: COMMAND_RECORD_SIZE_BYTES, recovered });
    const record = Buffer.alloc(COMMAND_RECORD_SIZE_BYTES);
    record[0] = 20; // CLOCK
    writeU64LE(record, 8, 301);
    writeU64LE(record, COMMAND_TIME_US_OFFSET_BYTES, 1);
    writer.append(record, 1);
    writer.close();
    const batches: BatchLocation[] = [];
    scanJournal(dir, { recordSizeBytes: COMMAND_RECORD_SIZE_BYTES, onBatch: (batch) => batches.push(batch) });
    const last = batches.at(-1)!;
    assert.throws(
      () => openStreamCore(coreOptions(dir), SEED),
      (error: unknown) => {
        assert.ok(error instanceof ReplayError, String(error));
        assert.deepEqual([error.path, error.offsetBytes, error.seq], [last.path, last.offsetBytes, 301]);
        assert.match(error.message, /^.+\.log at byte \d+ \(seq 301\): replay failed: command time 1 goes back/);
        return true;
      },
    );
  });
});

test('a journal that ends before its snapshot (durable commands lost) stops startup', async () => {
  await withTempDir(async (dir) => {
    const seqs = await journal(dir);
    const batches: BatchLocation[] = [];
    scanJournal(dir, { recordSizeBytes: COMMAND_RECORD_SIZE_BYTES, onBatch: (batch) => batches.push(batch) });
    const cutAt = batches.find((batch) => batch.seqFirst + batch.recordCount > seqs.at(-1)!)!;
    truncateSync(cutAt.path, cutAt.offsetBytes);
    assert.throws(() => openStreamCore(coreOptions(dir), SEED), (error: unknown) => error instanceof JournalStateError && /durable commands are missing/.test(error.message));
  });
});

test('an event log ahead of the journal (commands lost without fsync) is cut back and rebuilt to the recovered commands', async () => {
  await withTempDir(async (dir) => {
    await journal(dir);
    rmSync(join(dir, 'snapshots'), { recursive: true });
    const batches: BatchLocation[] = [];
    scanJournal(dir, { recordSizeBytes: COMMAND_RECORD_SIZE_BYTES, onBatch: (batch) => batches.push(batch) });
    const cutAt = batches[Math.floor(batches.length / 2)]!;
    truncateSync(cutAt.path, cutAt.offsetBytes);
    const seqLast = cutAt.seqFirst - 1;
    const core = openStreamCore(coreOptions(dir), SEED);
    assert.equal(core.recovery.eventLogCutToJournal, true);
    assert.equal(core.seqDurable, seqLast);
    const live = liveRun(RISK_ENGINE_CONFIG, COMMANDS.slice(0, seqLast), streamClockUs(SEED, 1));
    assert.equal(core.engine.stateHash(), live.engine.stateHash());
    await core.close();
    assert.ok(eventLogBytes(dir).equals(live.events));
  });
});

test('journal.json pins the engine: a missing file or another configuration is refused', async () => {
  await withTempDir(async (dir) => {
    assert.throws(() => openStreamCore({ dir }, SEED), (error: unknown) => error instanceof JournalStateError && /missing/.test(error.message));
    await journal(dir, 10);
    assert.throws(() => openStreamCore({ dir, engineConfig: FLOW_ENGINE_CONFIG }, SEED), (error: unknown) => error instanceof JournalStateError && /another engine configuration/.test(error.message));
    const core = openStreamCore({ dir }, SEED);
    assert.deepEqual(core.meta.engineConfig, RISK_ENGINE_CONFIG);
    await core.close();
  });
});
