// The process the crash test kills: sequencer + journal + engine (the durable core) on the risk-on
// stream of SEED, continuing after whatever recovery found. Prints `ready <seqDurable>` once
// recovered, then per batch `ack <seqFirst> <seqDurable> <seqSynced> <eventCount> <eventsDigest>`
// after commit returned, where seqSynced is the last seq a completed fdatasync of a command segment
// covered, as seen by the file-system layer. Exits when stdout is gone (the parent died).
// Usage: node --import tsx test/journal/crash-child.ts DIR SEED

import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { readI32BE, readSafeI64BE } from '../../journal/bytes.ts';
import { nodeFsOps, type FsOps } from '../../journal/fs-ops.ts';
import { BASE_OFFSET_POS, RECORDS_COUNT_POS } from '../../journal/record-batch.ts';
import { RISK_ENGINE_CONFIG, randomFor, riskCommand } from './command-streams.ts';
import { openStreamCore } from './core-helpers.ts';

const CRASH_SNAPSHOT_EVERY_COMMANDS = 300;
const CRASH_SEGMENT_SIZE_BYTES_MAX = 64 * 1024;
const CRASH_BATCH_COMMANDS_MAX = 64;
/** Commands queued between commits are 1..this many (seeded), so batches vary and sometimes hit the bound. */
const ENQUEUE_RUN_MAX = 90;
/** A stream this long is never reached within a kill window; the child stops there all the same. */
const CRASH_SEQ_MAX = 5_000_000;
/** Batches between turns of the event loop, so retention runs as it would in a server. */
const BATCHES_PER_TURN = 16;
const STDOUT_FD = 1;

const [dir, seedText] = process.argv.slice(2);
const seed = Number(seedText);
if (dir === undefined || !Number.isSafeInteger(seed)) throw new Error('usage: crash-child.ts DIR SEED');

let seqWritten = 0;
let seqSynced = 0;
const commandFds = new Set<number>();
const fsOps: FsOps = {
  ...nodeFsOps,
  openSync: (path, flags) => {
    const fd = nodeFsOps.openSync(path, flags);
    if (path.includes('/commands/')) commandFds.add(fd);
    return fd;
  },
  writeSync: (fd, buffer, offset, length, position) => {
    if (commandFds.has(fd)) seqWritten = readSafeI64BE(buffer, offset + BASE_OFFSET_POS) + readI32BE(buffer, offset + RECORDS_COUNT_POS) - 1;
    return nodeFsOps.writeSync(fd, buffer, offset, length, position);
  },
  fdatasyncSync: (fd) => {
    nodeFsOps.fdatasyncSync(fd);
    if (commandFds.has(fd)) seqSynced = seqWritten;
  },
};

const core = openStreamCore(
  {
    dir,
    engineConfig: RISK_ENGINE_CONFIG,
    fsOps,
    snapshotEveryCommands: CRASH_SNAPSHOT_EVERY_COMMANDS,
    snapshotsKeepCount: 2,
    segmentDisposal: { kind: 'keep' },
    segmentSizeBytesMax: CRASH_SEGMENT_SIZE_BYTES_MAX,
    batchCommandsMax: CRASH_BATCH_COMMANDS_MAX,
  },
  seed,
);
writeSync(STDOUT_FD, `ready ${core.seqDurable}\n`);
let batches = 0;
while (core.seqDurable < CRASH_SEQ_MAX) {
  const runCount = 1 + Math.floor(randomFor(seed ^ 0x1b873593, core.seqDurable)() * ENQUEUE_RUN_MAX);
  for (let index = 0; index < runCount; index++) core.enqueue(riskCommand(seed, core.seqDurable + core.queuedCount + 1));
  for (let result = core.commit(); result !== null; result = core.queuedCount > 0 ? core.commit() : null) {
    const digest = createHash('sha256').update(result.events).digest('hex');
    writeSync(STDOUT_FD, `ack ${result.seqFirst} ${result.seqDurable} ${seqSynced} ${result.eventCount} ${digest}\n`);
    if (++batches % BATCHES_PER_TURN === 0) await new Promise(setImmediate);
  }
}
await core.close();
