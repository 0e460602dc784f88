// Proves startup that validates the event log on a worker thread (during the journal replay) ends exactly as startup that validates it first on its own thread: same report, state and event log bytes, for a whole, damaged, gapped, torn, missing or ahead-of-journal log; a journal defect stops it only once the worker's cut is complete, and a worker failure stops it with a clear error.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMAND_RECORD_SIZE_BYTES } from '../../journal/core-records.ts';
import type { RecoveryReport } from '../../journal/core-recovery.ts';
import { JournalCorruptError, JournalStateError } from '../../journal/errors.ts';
import { nodeFsOps } from '../../journal/fs-ops.ts';
import { scanJournal, type BatchLocation } from '../../journal/journal-scan.ts';
import { listSegments } from '../../journal/segment-files.ts';
import { RISK_ENGINE_CONFIG, liveRun, riskCommands, streamClockUs } from './command-streams.ts';
import { eventLogBytes, feed, openStreamCore } from './core-helpers.ts';
import { withTempDir } from './helpers.ts';

const SEED = 47;
const COMMAND_COUNT = 3000;
const COMMANDS = riskCommands(SEED, COMMAND_COUNT);
/** Small segments, so the event log spans many and damage can sit in the middle of it. */
const SEGMENT_SIZE_BYTES_MAX = 128 * 1024;
const ON_THIS_THREAD = Number.POSITIVE_INFINITY;
const ON_A_WORKER = 0;

function coreOptions(dir: string, eventLogThreadBytesMin: number) {
  return { dir, engineConfig: RISK_ENGINE_CONFIG, snapshotEveryCommands: Infinity, snapshotIntervalMs: Infinity, segmentSizeBytesMax: SEGMENT_SIZE_BYTES_MAX, eventLogThreadBytesMin };
}

async function journal(dir: string): Promise<void> {
  const core = openStreamCore(coreOptions(dir, ON_THIS_THREAD), SEED);
  feed(core, COMMANDS, COMMAND_COUNT, SEED, 100);
  await core.close();
}

function eventSegments(dir: string): string[] {
  return listSegments(nodeFsOps, join(dir, 'events')).map((segment) => segment.path);
}

function journalBatches(dir: string): BatchLocation[] {
  const batches: BatchLocation[] = [];
  scanJournal(dir, { recordSizeBytes: COMMAND_RECORD_SIZE_BYTES, onBatch: (batch) => batches.push(batch) });
  return batches;
}

/** The report without the paths, which name the directory. */
function comparable(report: RecoveryReport, dir: string) {
  const relative = (path: string) => path.slice(dir.length);
  const { eventLog } = report;
  return {
    commandsReplayed: report.commandsReplayed,
    seqLast: report.seqLast,
    eventsRebuilt: report.eventsRebuilt,
    eventLogCutToJournal: report.eventLogCutToJournal,
    eventLog: {
      eventIndexNext: eventLog.eventIndexNext,
      commandSeqLast: eventLog.commandSeqLast,
      commandSeqLastEventCount: eventLog.commandSeqLastEventCount,
      truncatedBytes: eventLog.truncatedBytes,
      segmentsRemoved: eventLog.segmentsRemoved.map(relative),
      cut: eventLog.cut === null ? null : { ...eventLog.cut, path: relative(eventLog.cut.path) },
    },
  };
}

/** Each damage returns the seq the journal still reaches. */
const DAMAGES: ReadonlyArray<readonly [string, (dir: string) => number]> = [
  ['a whole log', () => COMMAND_COUNT],
  ['a flipped byte in the middle of the log', (dir) => {
    const path = eventSegments(dir)[2]!;
    const bytes = readFileSync(path);
    bytes[5_000] = bytes[5_000]! ^ 0x10;
    writeFileSync(path, bytes);
    return COMMAND_COUNT;
  }],
  ['a missing segment in the middle of the log', (dir) => {
    rmSync(eventSegments(dir)[3]!);
    return COMMAND_COUNT;
  }],
  ['a torn last batch', (dir) => {
    const path = eventSegments(dir).at(-1)!;
    truncateSync(path, readFileSync(path).length - 7);
    return COMMAND_COUNT;
  }],
  ['no event log at all', (dir) => {
    rmSync(join(dir, 'events'), { recursive: true });
    mkdirSync(join(dir, 'events'));
    return COMMAND_COUNT;
  }],
  ['a log ahead of a journal that lost its second half', (dir) => {
    const batches = journalBatches(dir);
    const cutAt = batches[Math.floor(batches.length / 2)]!;
    truncateSync(cutAt.path, cutAt.offsetBytes);
    for (const segment of listSegments(nodeFsOps, join(dir, 'commands'))) if (segment.offsetFirst > cutAt.seqFirst) rmSync(segment.path);
    return cutAt.seqFirst - 1;
  }],
];

for (const [damage, apply] of DAMAGES) {
  test(`${damage}: recovered on a worker thread exactly as on this one`, async () => {
    await withTempDir(async (root) => {
      const here = join(root, 'here');
      const worker = join(root, 'worker');
      await journal(here);
      cpSync(here, worker, { recursive: true });
      const seqLast = apply(here);
      assert.equal(apply(worker), seqLast);
      const live = liveRun(RISK_ENGINE_CONFIG, COMMANDS.slice(0, seqLast), streamClockUs(SEED, 1));
      const reports = [];
      for (const [dir, threadBytesMin] of [[here, ON_THIS_THREAD], [worker, ON_A_WORKER]] as const) {
        const core = openStreamCore(coreOptions(dir, threadBytesMin), SEED);
        assert.equal(core.seqDurable, seqLast);
        assert.equal(core.engine.stateHash(), live.engine.stateHash());
        reports.push(comparable(core.recovery, dir));
        await core.close();
        assert.ok(eventLogBytes(dir).equals(live.events), `${dir}: the event log is the live run's`);
      }
      assert.deepEqual(reports[1], reports[0]);
      // The damage took effect: events were rebuilt, or (journal shorter than the log) the log was cut back.
      assert.equal(reports[0]!.eventsRebuilt > 0 || reports[0]!.eventLogCutToJournal, damage !== 'a whole log');
    });
  });
}

test('a journal defect found while the worker validates stops startup only after the worker has cut the event log', async () => {
  await withTempDir(async (dir) => {
    await journal(dir);
    const events = eventSegments(dir);
    const damaged = readFileSync(events[1]!);
    damaged[5_000] = damaged[5_000]! ^ 0x10;
    writeFileSync(events[1]!, damaged);
    // The first command batch is corrupt and later segments exist: the scan refuses it at once, while the worker starts.
    const commandsPath = listSegments(nodeFsOps, join(dir, 'commands'))[0]!.path;
    const commands = readFileSync(commandsPath);
    commands[100] = commands[100]! ^ 0x10;
    writeFileSync(commandsPath, commands);
    assert.throws(() => openStreamCore(coreOptions(dir, ON_A_WORKER), SEED), (error: unknown) => error instanceof JournalCorruptError && error.seq === 1);
    // The worker's cut (segment 1 truncated, the later ones removed) is complete when startup reports the failure.
    assert.deepEqual(eventSegments(dir), events.slice(0, 2));
  });
});

test('a worker that cannot read the log stops startup with a JournalStateError naming the event log and the cause', async () => {
  await withTempDir(async (dir) => {
    await journal(dir);
    const path = eventSegments(dir)[1]!;
    rmSync(path);
    mkdirSync(path);
    assert.throws(
      () => openStreamCore(coreOptions(dir, ON_A_WORKER), SEED),
      (error: unknown) => {
        assert.ok(error instanceof JournalStateError, String(error));
        assert.equal(error.path, join(dir, 'events'));
        assert.match(error.message, /event log recovery failed: EISDIR/);
        return true;
      },
    );
  });
});
