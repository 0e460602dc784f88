// The disk's share of the physical floor: how long one small durable append takes on a filesystem.
// It appends records of about one journal batch holding one command to a file and fdatasyncs after
// each, back to back, as the journal does for a lone command, and keeps an HdrHistogram of the
// write + fdatasync time. `node --import tsx bench/fsync-probe.ts --dir DIR [--seconds S]` prints
// the percentiles; the sweep calls probeFdatasync() on the filesystem of the servers' data dirs.
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { newHistogram, recordUs } from './loadgen-stats.ts';

/** A Kafka record batch header (61 bytes) plus one 128-byte command and its record framing, rounded up. */
export const PROBE_RECORD_SIZE_BYTES = 256;
/** Appends in one probe at most, whatever the duration (bounds the file at 256 MiB). */
export const PROBE_SYNCS_MAX = 1_000_000;
const US_PER_MS = 1_000;

export interface FsyncProbeResult {
  readonly dir: string;
  readonly syncs: number;
  readonly seconds: number;
  readonly p50_us: number;
  readonly p90_us: number;
  readonly p99_us: number;
  readonly p999_us: number;
  readonly max_us: number;
  readonly mean_us: number;
}

export function probeFdatasync(dir: string, seconds: number): FsyncProbeResult {
  const path = join(dir, `fsync-probe-${process.pid}.bin`);
  const record = new Uint8Array(PROBE_RECORD_SIZE_BYTES).fill(0x5a);
  const histogram = newHistogram();
  const fd = openSync(path, 'w');
  const startedMs = performance.now();
  const endMs = startedMs + seconds * 1_000;
  let syncs = 0;
  try {
    while (performance.now() < endMs && syncs < PROBE_SYNCS_MAX) {
      const beforeMs = performance.now();
      writeSync(fd, record, 0, record.length, syncs * record.length);
      fdatasyncSync(fd);
      recordUs(histogram, (performance.now() - beforeMs) * US_PER_MS);
      syncs++;
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return {
    dir, syncs, seconds: Math.round((performance.now() - startedMs) / 10) / 100,
    p50_us: histogram.getValueAtPercentile(50), p90_us: histogram.getValueAtPercentile(90), p99_us: histogram.getValueAtPercentile(99),
    p999_us: histogram.getValueAtPercentile(99.9), max_us: histogram.maxValue, mean_us: Math.round(histogram.mean),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: '.' }, seconds: { type: 'string', default: '10' } } });
  const result = probeFdatasync(values.dir, Number(values.seconds));
  console.log(`# write + fdatasync of ${PROBE_RECORD_SIZE_BYTES}-byte appends in ${result.dir}, back to back: ${result.syncs} in ${result.seconds} s`);
  console.log(JSON.stringify(result));
}
