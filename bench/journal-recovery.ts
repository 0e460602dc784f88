// Journal benchmark, phase 2: recovery through the engine. A genflow file is journaled by the
// ingest CLI (sequencer, group commit with fdatasync, engine, event log, a snapshot every 1% of the
// --ops count, so the newest one lies less than 1% before the end), then the directory
// is recovered as a restart would: from that snapshot, and with the snapshots moved away, from
// seq 1 through every command. Everything lives in `root` and is removed by the caller.

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../engine/engine.ts';
import type { EngineConfig } from '../engine/limits.ts';
import { replayJournal } from '../journal/command-replay.ts';
import { DurableCore } from '../journal/durable-core.ts';
import { nodeFsOps } from '../journal/fs-ops.ts';
import { openJournalMeta } from '../journal/journal-meta.ts';
import { NO_CLOCK_US } from '../journal/sequencer.ts';
import { median } from './report.ts';

/** shared/ sits beside the repository. */
const GENFLOW_PATH = new URL('../../shared/orderflow/genflow.mjs', import.meta.url).pathname;
const CLI_PATH = fileURLToPath(new URL('../journal/cli.ts', import.meta.url));
const SNAPSHOTS_PER_OPS = 100;
/** compileFlow holds every command of the flow as an object: tens of millions need a larger heap. */
const INGEST_HEAP_MB = 16_384;

export interface RecoveryBenchOptions {
  readonly root: string;
  readonly seed: number;
  readonly fill: number;
  readonly ops: number;
  readonly runs: number;
  readonly log: (line: string) => void;
}

export interface RecoveryResult {
  readonly commands: number;
  readonly ingestSeconds: number;
  readonly withSnapshotSeconds: number[];
  readonly withSnapshotSecondsMedian: number;
  readonly snapshotSeq: number;
  readonly commandsReplayedWithSnapshot: number;
  readonly withoutSnapshotSeconds: number[];
  readonly withoutSnapshotSecondsMedian: number;
  /** Commands per second of the recovery from seq 1 (scan, engine, event log check). */
  readonly recoveryReplayCommandsPerSecondMedian: number;
  /** Commands per second of scan + engine alone (no event log, no snapshot). */
  readonly replayCommandsPerSecond: number[];
  readonly replayCommandsPerSecondMedian: number;
}

function run(command: string, args: readonly string[], stdoutPath?: string): string {
  const stdoutFd = stdoutPath === undefined ? 'pipe' : openSync(stdoutPath, 'w');
  try {
    const result = spawnSync(command, args, { stdio: ['ignore', stdoutFd, 'inherit'], encoding: 'utf8', maxBuffer: 2 ** 20 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
    return result.stdout ?? '';
  } finally {
    if (typeof stdoutFd === 'number') closeSync(stdoutFd);
  }
}

function seconds(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

/** Recovers `dir` as a restart does; returns the seconds it took and what recovery did. */
async function recover(dir: string): Promise<{ seconds: number; snapshotSeq: number; commandsReplayed: number; seqLast: number }> {
  const startNs = process.hrtime.bigint();
  const core = DurableCore.open({ dir, clockUs: NO_CLOCK_US });
  const elapsed = seconds(startNs);
  const { snapshotSeq, commandsReplayed, seqLast } = core.recovery;
  await core.close();
  return { seconds: elapsed, snapshotSeq, commandsReplayed, seqLast };
}

function replayRate(dir: string, engineConfig: EngineConfig): number {
  const engine = new Engine(engineConfig);
  const startNs = process.hrtime.bigint();
  const report = replayJournal({ dir, engine, truncateTail: false, fsOps: nodeFsOps, onEvents: () => {} });
  return Math.round(report.commandsReplayed / seconds(startNs));
}

export async function benchRecovery(options: RecoveryBenchOptions): Promise<RecoveryResult> {
  const { root, runs, log } = options;
  const flowPath = join(root, 'flow.csv');
  const dir = join(root, 'journal');
  const genflowArgs = ['--seed', String(options.seed), '--fill', String(options.fill), '--ops', String(options.ops)];
  const snapshotEveryCommands = Math.ceil(options.ops / SNAPSHOTS_PER_OPS);
  log(`# recovery: node ${GENFLOW_PATH} ${genflowArgs.join(' ')} > flow.csv; npm run journal -- ingest flow.csv DIR --snapshot-every ${snapshotEveryCommands}`);
  run(process.execPath, [GENFLOW_PATH, ...genflowArgs], flowPath);
  const ingestStartNs = process.hrtime.bigint();
  const ingest = JSON.parse(run(process.execPath, [`--max-old-space-size=${INGEST_HEAP_MB}`, '--import', 'tsx', CLI_PATH, 'ingest', flowPath, dir, '--snapshot-every', String(snapshotEveryCommands)])) as { commands: number };
  const ingestSeconds = seconds(ingestStartNs);
  log(`ingest: ${ingest.commands} commands in ${ingestSeconds.toFixed(1)} s (parse, durable group commit of 4096, engine, event log, snapshots)`);
  const withSnapshot = [];
  for (let index = 0; index < runs; index++) withSnapshot.push(await recover(dir));
  const latest = withSnapshot[0]!;
  log(`recovery with snapshot at seq ${latest.snapshotSeq} (${latest.commandsReplayed} commands replayed): ${withSnapshot.map((result) => result.seconds.toFixed(2)).join(', ')} s`);
  renameSync(join(dir, 'snapshots'), join(root, 'snapshots-away'));
  const withoutSnapshot = [];
  for (let index = 0; index < runs; index++) withoutSnapshot.push(await recover(dir));
  renameSync(join(root, 'snapshots-away'), join(dir, 'snapshots'));
  const commands = withoutSnapshot[0]!.commandsReplayed;
  log(`recovery from seq 1 (${commands} commands): ${withoutSnapshot.map((result) => result.seconds.toFixed(2)).join(', ')} s`);
  const { engineConfig } = openJournalMeta(dir, undefined, nodeFsOps);
  const replayRates = Array.from({ length: runs }, () => replayRate(dir, engineConfig));
  log(`replay (scan + engine, no event log): ${replayRates.join(', ')} commands/s`);
  const withoutMedian = median(withoutSnapshot.map((result) => result.seconds));
  return {
    commands,
    ingestSeconds: Number(ingestSeconds.toFixed(1)),
    withSnapshotSeconds: withSnapshot.map((result) => Number(result.seconds.toFixed(3))),
    withSnapshotSecondsMedian: Number(median(withSnapshot.map((result) => result.seconds)).toFixed(3)),
    snapshotSeq: latest.snapshotSeq,
    commandsReplayedWithSnapshot: latest.commandsReplayed,
    withoutSnapshotSeconds: withoutSnapshot.map((result) => Number(result.seconds.toFixed(3))),
    withoutSnapshotSecondsMedian: Number(withoutMedian.toFixed(3)),
    recoveryReplayCommandsPerSecondMedian: Math.round(commands / withoutMedian),
    replayCommandsPerSecond: replayRates,
    replayCommandsPerSecondMedian: Math.round(median(replayRates)),
  };
}
