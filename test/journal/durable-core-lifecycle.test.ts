// Proves the durable core's commit contract: a batch is one write plus one fdatasync before the engine sees it and before its acknowledgement and events are released, batches take what is queued up to the bound, a full queue pushes back, a failed fdatasync applies nothing and fails the core; and that snapshots follow the count and time policy while retention keeps K of them and still leaves a recoverable journal.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { commandToBytes, type Command } from '../../engine/commands.ts';
import { CommandType, EventType } from '../../engine/schema.ts';
import type { DurableCore } from '../../journal/durable-core.ts';
import { JournalWriteError, JournalWriterClosedError } from '../../journal/errors.ts';
import { auditJournal } from '../../journal/journal-audit.ts';
import { nodeFsOps, type FsOps } from '../../journal/fs-ops.ts';
import type { RetentionOutcome } from '../../journal/retention-runner.ts';
import { listSnapshots } from '../../journal/snapshot-store.ts';
import { RISK_ENGINE_CONFIG, liveRun, riskCommands, streamClockUs } from './command-streams.ts';
import { feed, openStreamCore } from './core-helpers.ts';
import { errnoError, withTempDir } from './helpers.ts';

const SEED = 41;
const COMMANDS = riskCommands(SEED, 3000);

/** fs-ops that log each write and fdatasync on command segments, with the engine's seq at that moment. */
function tracingFsOps(trace: string[], engineSeq: () => number): FsOps {
  const commandFds = new Set<number>();
  return {
    ...nodeFsOps,
    openSync: (path, flags) => {
      const fd = nodeFsOps.openSync(path, flags);
      if (path.includes('/commands/')) commandFds.add(fd);
      return fd;
    },
    writeSync: (fd, buffer, offset, length, position) => {
      if (commandFds.has(fd)) trace.push(`write@${engineSeq()}`);
      return nodeFsOps.writeSync(fd, buffer, offset, length, position);
    },
    fdatasyncSync: (fd) => {
      nodeFsOps.fdatasyncSync(fd);
      if (commandFds.has(fd)) trace.push(`sync@${engineSeq()}`);
    },
  };
}

function enqueueAll(core: DurableCore, commands: readonly Command[]): void {
  for (const command of commands) assert.equal(core.enqueue(command), true);
}

test('each commit is one write and one fdatasync, then apply, then release; it takes at most the bound', async () => {
  await withTempDir(async (dir) => {
    const trace: string[] = [];
    let core: DurableCore | null = null;
    const fsOps = tracingFsOps(trace, () => core?.engine.seqLast ?? -1);
    core = openStreamCore({ dir, engineConfig: RISK_ENGINE_CONFIG, batchCommandsMax: 100, queueCommandsMax: 250, fsOps }, SEED);
    const live = liveRun(RISK_ENGINE_CONFIG, COMMANDS.slice(0, 250), streamClockUs(SEED, 1));
    enqueueAll(core, COMMANDS.slice(0, 250));
    assert.equal(core.enqueue(COMMANDS[250]!), false, 'a full queue pushes back');
    // The events view is reused by the next commit: copy each batch's as it is released.
    const results = [1, 2, 3].map(() => {
      const result = core?.commit() ?? null;
      assert.ok(result !== null);
      return { ...result, events: Buffer.from(result.events) };
    });
    assert.equal(core.commit(), null);
    assert.deepEqual(results.map((result) => [result.seqFirst, result.seqDurable]), [[1, 100], [101, 200], [201, 250]]);
    // Each batch: write and fdatasync while the engine still stands at the previous batch's end.
    assert.deepEqual(trace.filter((entry) => !entry.startsWith('sync@-1') && !entry.startsWith('write@-1')), ['write@0', 'sync@0', 'write@100', 'sync@100', 'write@200', 'sync@200']);
    const released = Buffer.concat(results.map((result) => result.events));
    assert.ok(released.equals(live.events), 'the released events are the live run\'s, batch by batch');
    assert.deepEqual(results.map((result) => result.eventIndexFirst), [0, results[0]!.eventCount, results[0]!.eventCount + results[1]!.eventCount]);
    await core.close();
  });
});

test('a failed fdatasync applies nothing, fails the core, and a restart recovers the last durable batch', async () => {
  await withTempDir(async (dir) => {
    let failSync = false;
    const fsOps: FsOps = {
      ...nodeFsOps,
      fdatasyncSync: (fd) => {
        if (failSync) throw errnoError('EIO');
        nodeFsOps.fdatasyncSync(fd);
      },
    };
    const core = openStreamCore({ dir, engineConfig: RISK_ENGINE_CONFIG, fsOps }, SEED);
    enqueueAll(core, COMMANDS.slice(0, 40));
    core.commit();
    const hashDurable = core.engine.stateHash();
    enqueueAll(core, COMMANDS.slice(40, 60));
    failSync = true;
    assert.throws(() => core.commit(), JournalWriteError);
    assert.equal(core.engine.seqLast, 40, 'nothing of the failed batch reached the engine');
    assert.equal(core.engine.stateHash(), hashDurable);
    assert.throws(() => core.commit(), JournalWriterClosedError);
    assert.throws(() => core.enqueue(COMMANDS[60]!), JournalWriterClosedError);
    await core.close();
    failSync = false;
    const recovered = openStreamCore({ dir, fsOps }, SEED);
    assert.equal(recovered.seqDurable, 40);
    assert.equal(recovered.engine.stateHash(), hashDurable);
    await recovered.close();
  });
});

test('encoded slots are journaled as they are; a type the engine does not know is answered with a rejection, type 0 is refused', async () => {
  await withTempDir(async (dir) => {
    const core = openStreamCore({ dir, engineConfig: RISK_ENGINE_CONFIG }, SEED);
    const unknown = commandToBytes({ type: CommandType.CLOCK, seq: 0, timeUs: 0 });
    unknown[0] = 99;
    assert.equal(core.enqueueRecord(unknown, 0), true);
    const typeZero = new Uint8Array(unknown.length);
    assert.throws(() => core.enqueueRecord(typeZero, 0), RangeError);
    const result = core.commit();
    assert.equal(result?.eventCount, 1);
    assert.equal(result?.events[0], EventType.REJECTED);
    await core.close();
    const recovered = openStreamCore({ dir }, SEED);
    assert.equal(recovered.seqDurable, 1);
    await recovered.close();
  });
});

test('snapshots come every N commands; retention keeps K, deletes covered segments, reports, and the rest recovers', async () => {
  await withTempDir(async (dir) => {
    const outcomes: RetentionOutcome[] = [];
    const options = {
      dir, engineConfig: RISK_ENGINE_CONFIG, snapshotEveryCommands: 400, snapshotIntervalMs: Number.POSITIVE_INFINITY, snapshotsKeepCount: 2,
      segmentSizeBytesMax: 32 * 1024, onRetention: (outcome: RetentionOutcome) => outcomes.push(outcome),
    };
    const core = openStreamCore(options, SEED);
    for (let seqLast = 250; seqLast <= COMMANDS.length; seqLast += 250) {
      feed(core, COMMANDS, seqLast, SEED, 60);
      await new Promise(setImmediate);
    }
    await core.close();
    const seqs = listSnapshots(dir).snapshots.map((snapshot) => snapshot.seq);
    assert.equal(seqs.length, 2);
    assert.ok(seqs.every((seq, index) => index === 0 || seq - seqs[index - 1]! >= 400));
    assert.ok(outcomes.length >= 5 && outcomes.every((outcome) => 'report' in outcome));
    const disposed = outcomes.flatMap((outcome) => ('report' in outcome ? outcome.report.segmentsDisposed : []));
    assert.ok(disposed.length > 0 && disposed.every((segment) => segment.seqLast <= seqs[0]!));
    assert.notEqual(readdirSync(join(dir, 'commands'))[0], '00000000000000000001.log');
    const recovered = openStreamCore({ dir }, SEED);
    assert.equal(recovered.recovery.snapshotSeq, seqs[1]);
    const liveHash = liveRun(RISK_ENGINE_CONFIG, COMMANDS, streamClockUs(SEED, 1)).engine.stateHash();
    assert.equal(recovered.engine.stateHash(), liveHash);
    await recovered.close();
    // Without seq 1, verify's second replay starts at the oldest snapshot and must pass the newer one.
    const audit = await auditJournal(dir);
    assert.deepEqual([audit.auditBaseSeq, audit.commandsAudited, audit.snapshotsChecked, audit.stateHash], [seqs[0], COMMANDS.length - seqs[0]!, 2, liveHash]);
  });
});

test('snapshots come every T ms of command time when the count never triggers', async () => {
  await withTempDir(async (dir) => {
    // The stream clock advances 250 us per command: 100 ms is about 400 commands.
    const core = openStreamCore({ dir, engineConfig: RISK_ENGINE_CONFIG, snapshotEveryCommands: Number.POSITIVE_INFINITY, snapshotIntervalMs: 100, snapshotsKeepCount: 100 }, SEED);
    feed(core, COMMANDS, 2000, SEED, 30);
    await core.close();
    const seqs = listSnapshots(dir).snapshots.map((snapshot) => snapshot.seq);
    assert.ok(seqs.length >= 3 && seqs.length <= 5, `snapshots at ${seqs.join(', ')}`);
    for (let index = 1; index < seqs.length; index++) {
      const gap = seqs[index]! - seqs[index - 1]!;
      assert.ok(gap >= 390 && gap <= 480, `gap ${gap}`);
    }
  });
});

test('snapshots taken while retention runs get one more run afterwards, so K holds once the core is idle', async () => {
  await withTempDir(async (dir) => {
    const outcomes: RetentionOutcome[] = [];
    const core = openStreamCore({ dir, engineConfig: RISK_ENGINE_CONFIG, snapshotEveryCommands: 100, snapshotsKeepCount: 1, onRetention: (outcome) => outcomes.push(outcome) }, SEED);
    // One synchronous stretch: the first snapshot starts a run, the later ones can only ask for another.
    feed(core, COMMANDS, 700, SEED, 30);
    assert.equal(outcomes.length, 0);
    await core.close();
    assert.equal(outcomes.length, 2);
    assert.deepEqual(listSnapshots(dir).snapshots.length, 1);
  });
});
