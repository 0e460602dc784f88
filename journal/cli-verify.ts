// `journal verify DIR`: recovers as a restart would and audits every batch and snapshot (see
// journal-audit.ts). Prints details to stderr and, last on stdout, one JSON line:
// {"seq_last":N,"state_hash":"...","truncated_bytes":B}. Any corruption that is not a torn tail
// throws, and the CLI exits 1 with the error's file, offset and seq.

import { auditJournal } from './journal-audit.ts';
import { parseCommandArgs } from './cli-args.ts';

export async function runVerify(args: readonly string[]): Promise<void> {
  const { positionals } = parseCommandArgs(args, 1, []);
  const report = await auditJournal(positionals[0]!);
  console.error(
    `journal verify: ${report.snapshotsChecked} snapshots checked; ${report.commandsAudited} commands replayed again from ` +
      `${report.auditBaseSeq === 0 ? 'seq 1' : `snapshot ${report.auditBaseSeq}`}; ${report.eventsCompared} events compared with the event log`,
  );
  console.log(JSON.stringify({ seq_last: report.seqLast, state_hash: report.stateHash, truncated_bytes: report.truncatedBytes }));
}
