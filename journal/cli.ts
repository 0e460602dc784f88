// The journal CLI (`npm run journal -- <command> ...`). Other tools call these exact forms, so
// they only ever gain options. Exit codes: 0 success, 1 failure (the message names file, offset
// and seq where there is one), 2 bad arguments (with the usage text).

import { UsageError } from './cli-args.ts';
import { runIngest } from './cli-ingest.ts';
import { runInspect } from './cli-inspect.ts';
import { runReplay } from './cli-replay.ts';
import { runVerify } from './cli-verify.ts';

const USAGE = `usage:
  npm run journal -- ingest FLOW.csv DIR [--batch N] [--snapshot-every N]
      journal an order-flow file through sequencer, group commit and engine (DIR must be new)
  npm run journal -- verify DIR
      recover as a restart would, check every batch and snapshot; last line {"seq_last","state_hash","truncated_bytes"}
  npm run journal -- replay DIR --trades TRADES.csv --book BOOK.csv
      write the outputs npm run replay writes, from the journal
  npm run journal -- inspect DIR [--from SEQ] [--limit N]
      print the journal's commands and batches for people (read-only)`;

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

const COMMANDS: Readonly<Record<string, (args: readonly string[]) => void | Promise<void>>> = {
  ingest: runIngest,
  verify: runVerify,
  replay: runReplay,
  inspect: runInspect,
};

async function main(argv: readonly string[]): Promise<void> {
  const [name, ...args] = argv;
  const run = name === undefined ? undefined : COMMANDS[name];
  try {
    if (run === undefined) throw new UsageError(name === undefined ? 'no command given' : `unknown command ${JSON.stringify(name)}`);
    await run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`journal: ${error.message}\n${USAGE}`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    console.error(`journal ${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_FAILURE;
  }
}

await main(process.argv.slice(2));
