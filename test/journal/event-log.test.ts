// Proves the derived event log keeps a dense event index with each event's command seq, and that recovery cuts it back to the recovered commands (or to a defect) so a rebuild from commands yields exactly the stream a clean run writes, and that the progress it reports on the way never runs ahead of what it keeps.

import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSafeU64LE } from '../../journal/bytes.ts';
import { JournalAppendError } from '../../journal/errors.ts';
import { nodeFsOps } from '../../journal/fs-ops.ts';
import { recoverEventLog, type EventLogRecovery } from '../../journal/event-log-recovery.ts';
import { EventLogWriter } from '../../journal/event-log-writer.ts';
import { readRecordSeq } from '../../journal/record-layout.ts';
import { listSegments } from '../../journal/segment-files.ts';
import { createWalkScratch, walkSegment } from '../../journal/segment-walk.ts';
import { EVENT_LAYOUT, makeEvents, withTempDir } from './helpers.ts';

const SEGMENT_SIZE_BYTES_MAX = 2048;
const COMMAND_SEQ_LAST = 60;
const FORMAT = { layout: EVENT_LAYOUT, seqHeader: true };

/** Command `seq` produces seq % 4 events (some produce none). */
function commandSeqsOfEvents(seqFirst: number, seqLast: number): number[] {
  const seqs: number[] = [];
  for (let seq = seqFirst; seq <= seqLast; seq++) for (let index = 0; index < seq % 4; index++) seqs.push(seq);
  return seqs;
}

function recover(dir: string, commandSeqRecovered: number): EventLogRecovery {
  return recoverEventLog(dir, { layout: EVENT_LAYOUT, commandSeqRecovered });
}

function openEventLog(dir: string, recovered: EventLogRecovery): EventLogWriter {
  return EventLogWriter.open({ dir, layout: EVENT_LAYOUT, recovered, segmentSizeBytesMax: SEGMENT_SIZE_BYTES_MAX });
}

/** Appends the events of commands seqFirst..seqLast, `commandsPerAppend` commands per batch. */
function appendCommands(writer: EventLogWriter, seqFirst: number, seqLast: number, commandsPerAppend: number): void {
  for (let seq = seqFirst; seq <= seqLast; seq += commandsPerAppend) {
    const seqs = commandSeqsOfEvents(seq, Math.min(seqLast, seq + commandsPerAppend - 1));
    writer.append(makeEvents(seqs, writer.eventIndexNext), seqs.length);
  }
}

/** The command seq of every event in index order, checking each event's stored index against its Kafka offset. */
function readStream(dir: string): { seqs: number[]; batchCount: number } {
  const seqs: number[] = [];
  let batchCount = 0;
  const scratch = createWalkScratch();
  for (const segment of listSegments(nodeFsOps, join(dir, 'events'))) {
    const walk = walkSegment(nodeFsOps, segment.path, FORMAT, segment.offsetFirst, {
      check: () => null,
      accept: (bytes, batch, positions) => {
        batchCount++;
        for (let index = 0; index < batch.recordCount; index++) {
          assert.equal(readSafeU64LE(bytes, positions[index]! + 24), batch.baseOffset + index);
          seqs.push(readRecordSeq(bytes, positions[index]!, EVENT_LAYOUT));
        }
      },
    }, scratch);
    assert.equal(walk.defect, null);
  }
  return { seqs, batchCount };
}

/** What phase 2 does after recovery: replay commands and append the events not yet logged. */
function rebuild(writer: EventLogWriter, recovery: EventLogRecovery, commandSeqRecovered: number): void {
  const seqs = commandSeqsOfEvents(Math.max(1, recovery.commandSeqLast), commandSeqRecovered);
  const missing = recovery.commandSeqLast === 0 ? seqs : seqs.slice(recovery.commandSeqLastEventCount);
  writer.append(makeEvents(missing, writer.eventIndexNext), missing.length);
}

function writeLog(dir: string, commandsPerAppend = 5): void {
  const writer = openEventLog(dir, recover(dir, 0));
  appendCommands(writer, 1, COMMAND_SEQ_LAST, commandsPerAppend);
  writer.close();
}

test('events round-trip across segment rolls with dense indexes and their command seqs', async () => {
  await withTempDir((dir) => {
    writeLog(dir);
    const expected = commandSeqsOfEvents(1, COMMAND_SEQ_LAST);
    assert.ok(listSegments(nodeFsOps, join(dir, 'events')).length >= 3);
    assert.deepEqual(readStream(dir).seqs, expected);
    const recovery = recover(dir, COMMAND_SEQ_LAST);
    assert.equal(recovery.cut, null);
    assert.equal(recovery.eventIndexNext, expected.length);
    assert.equal(recovery.commandSeqLast, 59);
    assert.equal(recovery.commandSeqLastEventCount, 3);
  });
});

test('recovery drops events of commands the journal lost; the rebuild restores the clean stream', async () => {
  await withTempDir((dir) => {
    writeLog(dir);
    for (const commandSeqRecovered of [57, 33, 12, 0]) {
      const recovery = recover(dir, commandSeqRecovered);
      assert.ok(recovery.commandSeqLast <= commandSeqRecovered);
      assert.equal(recovery.cut?.reason, 'commandSeqBeyondRecovered');
      assert.deepEqual(readStream(dir).seqs, commandSeqsOfEvents(1, COMMAND_SEQ_LAST).slice(0, recovery.eventIndexNext));
    }
    const recovery = recover(dir, 0);
    assert.equal(recovery.eventIndexNext, 0);
    const writer = openEventLog(dir, recovery);
    rebuild(writer, recovery, 41);
    appendCommands(writer, 42, COMMAND_SEQ_LAST, 3);
    writer.close();
    assert.deepEqual(readStream(dir).seqs, commandSeqsOfEvents(1, COMMAND_SEQ_LAST));
  });
});

test('a command whose events span batches and lost its second batch is completed by the rebuild', async () => {
  await withTempDir((dir) => {
    let writer = openEventLog(dir, recover(dir, 0));
    writer.append(makeEvents([1, 2, 2, 3, 3, 3, 3, 3, 3], 0), 9);
    writer.append(makeEvents([3, 3, 3, 3], 9), 4);
    writer.close();
    const path = listSegments(nodeFsOps, join(dir, 'events'))[0]!.path;
    const file = readFileSync(path);
    writeFileSync(path, file.subarray(0, file.length - 7));
    const recovery = recover(dir, 3);
    assert.equal(recovery.cut?.reason, 'truncated');
    assert.equal(recovery.truncatedBytes > 0, true);
    assert.equal(recovery.commandSeqLast, 3);
    assert.equal(recovery.commandSeqLastEventCount, 6);
    writer = openEventLog(dir, recovery);
    const rest = Array.from({ length: 10 - recovery.commandSeqLastEventCount }, () => 3);
    writer.append(makeEvents(rest, writer.eventIndexNext), rest.length);
    writer.close();
    assert.deepEqual(readStream(dir).seqs, [1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
  });
});

test('corruption in the middle of the event log cuts it there and removes later segments, without an error', async () => {
  await withTempDir((dir) => {
    writeLog(dir);
    const segments = listSegments(nodeFsOps, join(dir, 'events'));
    const damaged = readFileSync(segments[1]!.path);
    damaged[100] = damaged[100]! ^ 0x04;
    writeFileSync(segments[1]!.path, damaged);
    const recovery = recover(dir, COMMAND_SEQ_LAST);
    assert.equal(recovery.cut?.path, segments[1]!.path);
    assert.deepEqual(recovery.segmentsRemoved, segments.slice(2).map((segment) => segment.path));
    const writer = openEventLog(dir, recovery);
    rebuild(writer, recovery, COMMAND_SEQ_LAST);
    writer.close();
    assert.deepEqual(readStream(dir).seqs, commandSeqsOfEvents(1, COMMAND_SEQ_LAST));
  });
});

test('every count onKept reports is ascending and never beyond what recovery keeps, whatever it cuts', async () => {
  await withTempDir((dir) => {
    const damages: ReadonlyArray<(segments: string[]) => void> = [
      () => {},
      (segments) => {
        const bytes = readFileSync(segments[1]!);
        bytes[100] = bytes[100]! ^ 0x04;
        writeFileSync(segments[1]!, bytes);
      },
      (segments) => rmSync(segments[2]!),
    ];
    for (const damage of damages) {
      for (let commandSeqRecovered = 0; commandSeqRecovered <= COMMAND_SEQ_LAST; commandSeqRecovered += 3) {
        rmSync(join(dir, 'events'), { recursive: true, force: true });
        writeLog(dir, 3);
        damage(listSegments(nodeFsOps, join(dir, 'events')).map((segment) => segment.path));
        const reported: number[] = [];
        const recovery = recoverEventLog(dir, { layout: EVENT_LAYOUT, commandSeqRecovered, onKept: (eventIndexNext) => reported.push(eventIndexNext) });
        assert.deepEqual(reported, [...reported].sort((a, b) => a - b));
        assert.ok(reported.every((kept) => kept <= recovery.eventIndexNext), `commandSeqRecovered ${commandSeqRecovered}: ${reported.at(-1)} > ${recovery.eventIndexNext}`);
        assert.equal(reported.at(-1) ?? 0, recovery.eventIndexNext);
      }
    }
  });
});

test('append splits counts above batchRecordsMax into batches, skips empty appends and refuses decreasing command seqs', async () => {
  await withTempDir((dir) => {
    const writer = openEventLog(dir, recover(dir, 0));
    const count = writer.batchRecordsMax * 2 + 5;
    writer.append(makeEvents(Array.from({ length: count }, () => 9), 0), count);
    writer.append(Buffer.alloc(0), 0);
    assert.throws(() => writer.append(makeEvents([8], count), 1), (error: unknown) => error instanceof JournalAppendError && error.reason === 'commandSeqOrder');
    assert.equal(writer.eventIndexNext, count);
    writer.close();
    assert.deepEqual(readStream(dir), { seqs: Array.from({ length: count }, () => 9), batchCount: 3 });
  });
});
