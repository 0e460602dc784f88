// Journal benchmark: durable group-commit throughput and fdatasync latency by batch size, the
// recovery scan rate over a large journal (phase 1), then recovery through the engine of a journaled
// genflow file with and without a recent snapshot (phase 2, journal-recovery.ts). Each figure is
// the median of --runs runs. Everything runs in a temp dir that is removed.
// Usage: npm run bench:journal -- [--parts durable,scan,recovery] [--runs 3] [--records 10000000]
//          [--duration-ms 2000] [--flow-ops 10000000] [--flow-fill 10000] [--flow-seed 7]

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeU64LE } from '../journal/bytes.ts';
import { nodeFsOps, type FsOps } from '../journal/fs-ops.ts';
import { scanJournal } from '../journal/journal-scan.ts';
import { JournalWriter } from '../journal/journal-writer.ts';
import { COMMAND_SEQ_OFFSET_BYTES, COMMAND_TIME_US_OFFSET_BYTES } from '../journal/record-layout.ts';
import { benchRecovery, type RecoveryResult } from './journal-recovery.ts';
import { median } from './report.ts';

/** The engine's COMMAND_SIZE_BYTES. */
const RECORD_SIZE_BYTES = 128;
const BATCH_SIZES = [1, 16, 256, 4096] as const;
const WARMUP_BATCHES = 20;
const SCAN_BATCH_RECORDS = 4096;
const TIME_US_BASE = 1_767_225_600_000_000;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`);
  return value;
}

function percentile(sortedValues: Float64Array, fraction: number): number {
  return sortedValues[Math.min(sortedValues.length - 1, Math.floor(fraction * sortedValues.length))] ?? NaN;
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}

function filesystemOf(path: string): string {
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' '));
  let best = { mountPoint: '', type: 'unknown', device: '' };
  for (const [device = '', mountPoint = '', type = ''] of mounts) {
    if (path.startsWith(mountPoint) && mountPoint.length > best.mountPoint.length) best = { mountPoint, type, device };
  }
  return `${best.type} on ${best.device} (${best.mountPoint})`;
}

/** `count` commands of the fixture shape; seqs are stamped per batch. */
function makeRecords(count: number): Buffer {
  const records = Buffer.alloc(count * RECORD_SIZE_BYTES);
  for (let index = 0; index < count; index++) {
    records[index * RECORD_SIZE_BYTES] = 1;
    for (let byte = 24; byte < RECORD_SIZE_BYTES; byte++) records[index * RECORD_SIZE_BYTES + byte] = (index + byte) & 0xff;
  }
  return records;
}

function stamp(records: Buffer, count: number, seqFirst: number): void {
  for (let index = 0; index < count; index++) {
    const pos = index * RECORD_SIZE_BYTES;
    writeU64LE(records, pos + COMMAND_SEQ_OFFSET_BYTES, seqFirst + index);
    writeU64LE(records, pos + COMMAND_TIME_US_OFFSET_BYTES, TIME_US_BASE + (seqFirst + index) * 7);
  }
}

interface DurableResult {
  batchRecords: number;
  batches: number;
  commands: number;
  batchSizeBytes: number;
  commandsPerSecond: number;
  fdatasyncUsP50: number;
  fdatasyncUsP99: number;
  fdatasyncUsMax: number;
  appendUsP50: number;
  appendUsP99: number;
}

function benchDurable(root: string, batchRecords: number, durationMs: number): DurableResult {
  const dir = mkdtempSync(join(root, `durable-${batchRecords}-`));
  const syncNs: number[] = [];
  const timedFsOps: FsOps = {
    ...nodeFsOps,
    fdatasyncSync: (fd) => {
      const startNs = process.hrtime.bigint();
      nodeFsOps.fdatasyncSync(fd);
      syncNs.push(Number(process.hrtime.bigint() - startNs));
    },
  };
  const recovered = scanJournal(dir, { recordSizeBytes: RECORD_SIZE_BYTES });
  const writer = JournalWriter.open({ dir, recordSizeBytes: RECORD_SIZE_BYTES, recovered, fsOps: timedFsOps });
  const records = makeRecords(batchRecords);
  const appendNs: number[] = [];
  for (let batch = 0; batch < WARMUP_BATCHES; batch++) {
    stamp(records, batchRecords, writer.seqDurable + 1);
    writer.append(records, batchRecords);
  }
  syncNs.length = 0;
  const startSeq = writer.seqDurable;
  const startNs = process.hrtime.bigint();
  const endNs = startNs + BigInt(durationMs) * 1_000_000n;
  let nowNs = startNs;
  while (nowNs < endNs) {
    stamp(records, batchRecords, writer.seqDurable + 1);
    const appendStartNs = process.hrtime.bigint();
    writer.append(records, batchRecords);
    nowNs = process.hrtime.bigint();
    appendNs.push(Number(nowNs - appendStartNs));
  }
  const elapsedS = Number(nowNs - startNs) / 1e9;
  const commands = writer.seqDurable - startSeq;
  writer.close();
  const { segments } = scanJournal(dir, { recordSizeBytes: RECORD_SIZE_BYTES });
  const totalBytes = segments.reduce((sum, segment) => sum + segment.sizeBytes, 0);
  rmSync(dir, { recursive: true, force: true });
  const syncs = Float64Array.from(syncNs).sort();
  const appends = Float64Array.from(appendNs).sort();
  return {
    batchRecords,
    batches: appendNs.length,
    commands,
    batchSizeBytes: Math.round(totalBytes / (writer.seqDurable / batchRecords)),
    commandsPerSecond: Math.round(commands / elapsedS),
    fdatasyncUsP50: round(percentile(syncs, 0.5) / 1000),
    fdatasyncUsP99: round(percentile(syncs, 0.99) / 1000),
    fdatasyncUsMax: round((syncs[syncs.length - 1] ?? NaN) / 1000),
    appendUsP50: round(percentile(appends, 0.5) / 1000),
    appendUsP99: round(percentile(appends, 0.99) / 1000),
  };
}

interface ScanResult {
  records: number;
  segments: number;
  journalBytes: number;
  writeNoSyncRecordsPerSecond: number;
  scanSeconds: number;
  scanRecordsPerSecond: number;
  scanMiBPerSecond: number;
}

function benchScan(root: string, recordCount: number, runs: number): ScanResult {
  const dir = mkdtempSync(join(root, 'scan-'));
  const recovered = scanJournal(dir, { recordSizeBytes: RECORD_SIZE_BYTES });
  const writer = JournalWriter.open({ dir, recordSizeBytes: RECORD_SIZE_BYTES, recovered, durability: 'none' });
  const records = makeRecords(SCAN_BATCH_RECORDS);
  const writeStartNs = process.hrtime.bigint();
  while (writer.seqDurable < recordCount) {
    const count = Math.min(SCAN_BATCH_RECORDS, recordCount - writer.seqDurable);
    stamp(records, count, writer.seqDurable + 1);
    writer.append(records, count);
  }
  const writeS = Number(process.hrtime.bigint() - writeStartNs) / 1e9;
  writer.close();
  const scanOnce = (): { report: ReturnType<typeof scanJournal>; seconds: number } => {
    let seqSum = 0;
    const scanStartNs = process.hrtime.bigint();
    const report = scanJournal(dir, {
      recordSizeBytes: RECORD_SIZE_BYTES,
      onRecord: (_bytes, _offsetBytes, seq) => {
        seqSum += seq;
      },
    });
    const seconds = Number(process.hrtime.bigint() - scanStartNs) / 1e9;
    if (report.recordCount !== recordCount || seqSum !== (recordCount * (recordCount + 1)) / 2) throw new Error('scan lost records');
    return { report, seconds };
  };
  const scans = Array.from({ length: runs }, scanOnce);
  rmSync(dir, { recursive: true, force: true });
  const report = scans[0]!.report;
  const scanS = median(scans.map((scan) => scan.seconds));
  const journalBytes = report.segments.reduce((sum, segment) => sum + segment.sizeBytes, 0);
  return {
    records: recordCount,
    segments: report.segments.length,
    journalBytes,
    writeNoSyncRecordsPerSecond: Math.round(recordCount / writeS),
    scanSeconds: round(scanS, 2),
    scanRecordsPerSecond: Math.round(recordCount / scanS),
    scanMiBPerSecond: Math.round(journalBytes / 2 ** 20 / scanS),
  };
}

const PARTS = ['durable', 'scan', 'recovery'] as const;
type Part = (typeof PARTS)[number];

function partsArgument(): Set<Part> {
  const index = process.argv.indexOf('--parts');
  if (index < 0) return new Set(PARTS);
  const names = (process.argv[index + 1] ?? '').split(',');
  const parts = names.filter((name): name is Part => (PARTS as readonly string[]).includes(name));
  if (parts.length !== names.length) throw new Error(`--parts takes a comma-separated subset of ${PARTS.join(',')}`);
  return new Set(parts);
}

/** Medians of each figure over runs of one batch size. */
function medianDurable(results: readonly DurableResult[]): DurableResult {
  const first = results[0]!;
  const medianOf = (pick: (result: DurableResult) => number): number => median(results.map(pick));
  return {
    ...first,
    batches: medianOf((result) => result.batches),
    commands: medianOf((result) => result.commands),
    commandsPerSecond: Math.round(medianOf((result) => result.commandsPerSecond)),
    fdatasyncUsP50: medianOf((result) => result.fdatasyncUsP50),
    fdatasyncUsP99: medianOf((result) => result.fdatasyncUsP99),
    fdatasyncUsMax: medianOf((result) => result.fdatasyncUsMax),
    appendUsP50: medianOf((result) => result.appendUsP50),
    appendUsP99: medianOf((result) => result.appendUsP99),
  };
}

async function main(): Promise<void> {
  const parts = partsArgument();
  const runs = argument('runs', 3);
  const recordCount = argument('records', 10_000_000);
  const durationMs = argument('duration-ms', 2000);
  const root = mkdtempSync(join(tmpdir(), 'bench-journal-'));
  try {
    console.log(`# journal benchmark | node ${process.version} | ${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'} | ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
    console.log(`# dir ${root} on ${filesystemOf(root)}; medians of ${runs} runs`);
    const durable: DurableResult[] = [];
    if (parts.has('durable')) {
      console.log(`# ${RECORD_SIZE_BYTES}-byte commands; durable: one write + one fdatasync per batch, ${durationMs} ms per batch size after ${WARMUP_BATCHES} warm-up batches`);
      for (const batchRecords of BATCH_SIZES) {
        const result = medianDurable(Array.from({ length: runs }, () => benchDurable(root, batchRecords, durationMs)));
        durable.push(result);
        console.log(
          `durable batch ${String(batchRecords).padStart(4)}: ${String(result.commandsPerSecond).padStart(9)} commands/s, ` +
            `fdatasync p50 ${result.fdatasyncUsP50} us p99 ${result.fdatasyncUsP99} us, append p99 ${result.appendUsP99} us`,
        );
      }
    }
    let scan: ScanResult | null = null;
    if (parts.has('scan')) {
      console.log(`# scan: ${recordCount} commands written with durability none in batches of ${SCAN_BATCH_RECORDS}, then validated and decoded (warm page cache)`);
      scan = benchScan(root, recordCount, runs);
      console.log(`scan: ${scan.scanRecordsPerSecond} records/s, ${scan.scanMiBPerSecond} MiB/s, ${scan.scanSeconds} s over ${scan.segments} segments`);
    }
    let recovery: RecoveryResult | null = null;
    if (parts.has('recovery')) {
      recovery = await benchRecovery({
        root,
        seed: argument('flow-seed', 7),
        fill: argument('flow-fill', 10_000),
        ops: argument('flow-ops', 10_000_000),
        runs,
        log: (line) => console.log(line),
      });
    }
    console.log(JSON.stringify({ benchmark: 'journal', recordSizeBytes: RECORD_SIZE_BYTES, filesystem: filesystemOf(root), durable, scan, recovery }, null, 2));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
