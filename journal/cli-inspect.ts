// `journal inspect DIR [--from SEQ] [--limit N]`: the journal for people, read-only (a torn tail is
// reported, not cut): one line per command (seq, time, type, decoded fields) with batch
// boundaries, then a summary of segments, snapshots and the tail.

import { integerOption, parseCommandArgs } from './cli-args.ts';
import { batchText, commandText } from './command-text.ts';
import { COMMAND_RECORD_SIZE_BYTES } from './core-records.ts';
import { openJournalMeta } from './journal-meta.ts';
import { scanJournal } from './journal-scan.ts';
import { nodeFsOps } from './fs-ops.ts';
import { listSnapshots } from './snapshot-store.ts';

const INSPECT_LIMIT_DEFAULT = 1000;

export function runInspect(args: readonly string[]): void {
  const { positionals, options } = parseCommandArgs(args, 1, ['from', 'limit']);
  const dir = positionals[0]!;
  const seqFrom = integerOption(options, 'from', 0) ?? 0;
  const limit = integerOption(options, 'limit', 1) ?? INSPECT_LIMIT_DEFAULT;
  openJournalMeta(dir, undefined, nodeFsOps);
  const lines: string[] = [];
  let printed = 0;
  let notPrinted = 0;
  let view: DataView | null = null;
  const report = scanJournal(dir, {
    recordSizeBytes: COMMAND_RECORD_SIZE_BYTES,
    truncateTail: false,
    seqFrom,
    onBatch: (batch) => {
      const seqLast = batch.seqFirst + batch.recordCount - 1;
      if (printed < limit && seqLast >= seqFrom) lines.push(batchText(batch));
    },
    onRecord: (bytes, offsetBytes) => {
      if (printed >= limit) {
        notPrinted++;
        return;
      }
      if (view === null || view.buffer !== bytes.buffer) view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      lines.push(`  ${commandText(view, offsetBytes)}`);
      printed++;
    },
  });
  lines.push(`# ${report.recordCount} commands, seq ${report.seqFirst}..${report.seqLast}, ${report.batchCount} batches in ${report.segments.length} segments`);
  const truncation = report.truncation;
  if (truncation !== null) {
    lines.push(`# torn tail (left in place): ${truncation.truncatedBytes} bytes at ${truncation.path} byte ${truncation.offsetBytes} (seq ${truncation.seq}): ${truncation.defect}: ${truncation.detail}`);
  }
  for (const snapshot of listSnapshots(dir).snapshots) lines.push(`# snapshot at seq ${snapshot.seq}: ${snapshot.path}`);
  if (notPrinted > 0) lines.push(`# ${notPrinted} more commands after the ${limit} shown; use --from and --limit`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
