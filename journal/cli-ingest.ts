// `journal ingest FLOW.csv DIR`: journals an order-flow file through the same path the server
// uses (queue, sequencer, group commit with fdatasync, engine, event log, snapshots). The clock is
// the logical one compileFlow uses (time = seq), so the journal is reproducible and its state hash
// equals `npm run replay`'s. Every command segment is kept so verify and replay can start at seq 1.

import { existsSync, readFileSync } from 'node:fs';
import { compileFlow, FLOW_ENGINE_CONFIG } from '../engine/orderflow.ts';
import { integerOption, parseCommandArgs } from './cli-args.ts';
import { DurableCore, SNAPSHOT_EVERY_COMMANDS_DEFAULT } from './durable-core.ts';
import { JournalStateError } from './errors.ts';
import { journalMetaPath } from './journal-meta.ts';
import { stepClockUs } from './sequencer.ts';

export async function runIngest(args: readonly string[]): Promise<void> {
  const { positionals, options } = parseCommandArgs(args, 2, ['batch', 'snapshot-every']);
  const [flowPath, dir] = positionals as [string, string];
  const batchCommandsMax = integerOption(options, 'batch', 1);
  const snapshotEveryCommands = integerOption(options, 'snapshot-every', 1) ?? SNAPSHOT_EVERY_COMMANDS_DEFAULT;
  const program = compileFlow(readFileSync(flowPath, 'utf8'));
  if (existsSync(journalMetaPath(dir))) throw new JournalStateError(journalMetaPath(dir), 'DIR already holds a journal; ingest needs a new directory');
  const core = DurableCore.open({
    dir,
    clockUs: stepClockUs(1, 1),
    engineConfig: FLOW_ENGINE_CONFIG,
    snapshotEveryCommands,
    segmentDisposal: { kind: 'keep' },
    ...(batchCommandsMax === undefined ? {} : { batchCommandsMax }),
  });
  let batchCount = 0;
  const commit = async (): Promise<boolean> => {
    if (core.commit() === null) return false;
    batchCount++;
    // Between batches the event loop turns, as it does in the server, so retention runs as snapshots are taken.
    await new Promise(setImmediate);
    return true;
  };
  try {
    for (const command of [...program.setup, ...program.orders]) {
      while (!core.enqueue(command)) await commit();
    }
    while (await commit());
    const summary = { commands: program.setup.length + program.orders.length, batches: batchCount, seq_last: core.seqDurable, state_hash: core.engine.stateHash() };
    console.log(JSON.stringify(summary));
  } finally {
    await core.close();
  }
}
