// Proves a journaled run recovers to exactly the live in-memory run: same state hash at every restart and at the end, and a byte-equal event stream, for generated order flows and a risk-on stream with every order type, with and without snapshots, across segment rolls, clean restarts, torn command tails and lost event-log tails.

import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, rmSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Command } from '../../engine/commands.ts';
import type { EngineConfig } from '../../engine/limits.ts';
import { FLOW_ENGINE_CONFIG } from '../../engine/orderflow.ts';
import { EVENT_SIZE_BYTES } from '../../engine/schema.ts';
import { listSegments } from '../../journal/segment-files.ts';
import { nodeFsOps } from '../../journal/fs-ops.ts';
import { RISK_ENGINE_CONFIG, flowCommands, liveRun, riskCommands, streamClockUs } from './command-streams.ts';
import { eventLogBytes, feed, openStreamCore } from './core-helpers.ts';
import { withTempDir } from './helpers.ts';

const SEGMENT_SIZE_BYTES_MAX = 64 * 1024;
const BATCH_COMMANDS_MAX = 50;
const ENQUEUE_RUN_MAX = 120;
/** Bytes of a half-written batch appended to the journal before a restart: recovery must cut exactly these. */
const TORN_TAIL = Buffer.from('torn batch: the crash came mid-write');
const EVENT_TAIL_LOST_BYTES = 3000;

interface Scenario {
  readonly config: EngineConfig;
  readonly commands: readonly Command[];
  readonly seed: number;
  readonly snapshotEveryCommands: number;
}

function lastSegmentPath(dir: string, folder: string): string {
  const segments = listSegments(nodeFsOps, join(dir, folder));
  return segments[segments.length - 1]!.path;
}

async function roundTrip(scenario: Scenario): Promise<void> {
  const { config, commands, seed, snapshotEveryCommands } = scenario;
  const total = commands.length;
  const restartSeqs = [Math.floor(total / 3), Math.floor((2 * total) / 3)];
  const live = liveRun(config, commands, streamClockUs(seed, 1), [total]);
  await withTempDir(async (dir) => {
    const options = { dir, engineConfig: config, snapshotEveryCommands, snapshotsKeepCount: 2, segmentDisposal: { kind: 'keep' } as const, segmentSizeBytesMax: SEGMENT_SIZE_BYTES_MAX, batchCommandsMax: BATCH_COMMANDS_MAX };
    let core = openStreamCore(options, seed);
    for (const [index, restartSeq] of restartSeqs.entries()) {
      const acked = feed(core, commands, restartSeq, seed, ENQUEUE_RUN_MAX);
      assert.ok(acked.length > 1 && acked.some((seq, at) => seq - (acked[at - 1] ?? 0) === BATCH_COMMANDS_MAX), 'batches vary and some reach the bound');
      await core.close();
      if (index === 1) {
        // A crash image: a batch torn mid-write after the last acknowledged one, and event-log pages never written back.
        appendFileSync(lastSegmentPath(dir, 'commands'), TORN_TAIL);
        const eventsPath = lastSegmentPath(dir, 'events');
        truncateSync(eventsPath, Math.max(0, statSync(eventsPath).size - EVENT_TAIL_LOST_BYTES));
      }
      core = openStreamCore(options, seed);
      assert.equal(core.seqDurable, restartSeq);
      assert.equal(core.recovery.journal.truncatedBytes, index === 1 ? TORN_TAIL.length : 0);
      assert.deepEqual(core.engine.stateHash(), liveRun(config, commands.slice(0, restartSeq), streamClockUs(seed, 1)).engine.stateHash());
      if (index === 1) assert.ok(core.recovery.eventsRebuilt > 0, 'the lost events were rebuilt');
    }
    feed(core, commands, total, seed, ENQUEUE_RUN_MAX);
    assert.equal(core.engine.stateHash(), live.engine.stateHash());
    core.engine.verify();
    await core.close();
    assert.ok(readdirSync(join(dir, 'commands')).length >= 3, 'commands rolled over several segments');
    assert.ok(readdirSync(join(dir, 'events')).length >= 3, 'events rolled over several segments');
    assert.ok(eventLogBytes(dir).equals(live.events), 'event log equals the live event stream');

    const recoveries: Array<{ label: string; before: () => void; check: (core: ReturnType<typeof openStreamCore>) => void }> = [
      {
        label: 'newest snapshot + replay',
        before: () => {},
        check: (recovered) => {
          if (snapshotEveryCommands === Number.POSITIVE_INFINITY) assert.equal(recovered.recovery.snapshotPath, null);
          else assert.ok(recovered.recovery.snapshotSeq > total - 2 * snapshotEveryCommands && recovered.recovery.commandsReplayed < total);
        },
      },
      {
        label: 'event log lost: rebuilt from the commands',
        before: () => rmSync(join(dir, 'events'), { recursive: true }),
        check: (recovered) => {
          assert.equal(recovered.recovery.snapshotPath, null, 'no snapshot can continue an empty event log');
          assert.equal(recovered.recovery.eventsRebuilt, live.events.length / EVENT_SIZE_BYTES);
        },
      },
      {
        label: 'snapshots lost: replay from seq 1',
        before: () => rmSync(join(dir, 'snapshots'), { recursive: true, force: true }),
        check: (recovered) => {
          assert.equal(recovered.recovery.commandsReplayed, total);
          assert.equal(recovered.recovery.eventsRebuilt, 0);
        },
      },
    ];
    for (const { label, before, check } of recoveries) {
      before();
      const recovered = openStreamCore(options, seed);
      check(recovered);
      assert.equal(recovered.seqDurable, total, label);
      assert.equal(recovered.engine.stateHash(), live.engine.stateHash(), label);
      await recovered.close();
      assert.ok(eventLogBytes(dir).equals(live.events), `${label}: event log equals the live event stream`);
    }
  });
}

test('a generated order flow (3 symbols) round-trips with snapshots', async () => {
  const commands = flowCommands(['--seed', '11', '--symbols', '3', '--fill', '500', '--ops', '5000']);
  await roundTrip({ config: FLOW_ENGINE_CONFIG, commands, seed: 11, snapshotEveryCommands: 700 });
});

test('a risk-on stream with every order type round-trips with snapshots', async () => {
  await roundTrip({ config: RISK_ENGINE_CONFIG, commands: riskCommands(23, 6000), seed: 23, snapshotEveryCommands: 900 });
});

test('a risk-on stream round-trips without snapshots', async () => {
  await roundTrip({ config: RISK_ENGINE_CONFIG, commands: riskCommands(29, 4000), seed: 29, snapshotEveryCommands: Number.POSITIVE_INFINITY });
});
