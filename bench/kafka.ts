// Kafka replay benchmark: how fast real consumers read the journal through the endpoint process,
// and how long a durable append takes to reach them at the end of the log.
// 1. Throughput: a --records command journal (synthetic 128-byte commands, group commits of
//    --batch) is served by `npm run kafka`; kcat (Debian, librdkafka) reads it all --runs times
//    (median), once more with check.crcs=true, then a kafkajs 2.2.4 group consumer reads it all.
// 2. End-of-log latency: a worker thread appends one command per tick, open loop at
//    --latency-rate per second for --latency-seconds after a second of warm-up, each with
//    fdatasync; a kcat consumer and a kafkajs consumer wait at the end of the log. Latency =
//    consumer delivery time minus the moment the append (write + fdatasync) returned, HdrHistogram,
//    once with the endpoint's default --visibility synced (it fdatasyncs before serving) and once
//    with written. The writer's own append time is printed beside it as the floor.
// Usage: npm run bench:kafka -- [--records 10000000] [--batch 1000] [--runs 3]
//          [--latency-rate 200] [--latency-seconds 10]

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isMainThread, workerData } from 'node:worker_threads';
import { build, type Histogram } from 'hdr-histogram-js';
import { Kafka, logLevel } from 'kafkajs';
import { DEFAULT_ENGINE_CONFIG } from '../engine/limits.ts';
import { writeU64LE } from '../journal/bytes.ts';
import { COMMAND_RECORD_SIZE_BYTES } from '../journal/core-records.ts';
import { nodeFsOps } from '../journal/fs-ops.ts';
import { openJournalMeta } from '../journal/journal-meta.ts';
import { scanJournal } from '../journal/journal-scan.ts';
import { JournalWriter, type Durability } from '../journal/journal-writer.ts';
import { startEndpointProcess, type EndpointProcess } from '../journal/kafka/endpoint-process.ts';
import type { CommandVisibility } from '../journal/kafka/log/journal-topics.ts';
import { startModuleWorker } from '../journal/module-worker.ts';
import { COMMAND_SEQ_OFFSET_BYTES, COMMAND_TIME_US_OFFSET_BYTES } from '../journal/record-layout.ts';
import { median, setupLine } from './report.ts';

const TIME_US_BASE = 1_767_225_600_000_000;
const WARMUP_MS = 1_000;
const CONSUMER_SETTLE_MS = 2_000;
const KAFKAJS_READ_TIMEOUT_MS = 600_000;
const THROUGHPUT_TARGET_PER_S = 1_000_000;
const LATENCY_P99_TARGET_US = 5_000;
/** Latencies are recorded in microseconds up to this; anything longer (a lost record) is clamped to it. */
const LATENCY_US_MAX = 60_000_000;

interface WriterData {
  readonly dir: string;
  readonly rate: number;
  readonly durationMs: number;
  /** Epoch microseconds at which each append (seq - 1) returned; 0 until then. */
  readonly durableAtUs: Float64Array;
  readonly appendUs: Float64Array;
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`);
  return value;
}

function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: LATENCY_US_MAX, numberOfSignificantValueDigits: 3 });
}

function recordUs(histogram: Histogram, us: number): void {
  histogram.recordValue(Math.min(LATENCY_US_MAX, Math.max(1, Math.round(us))));
}

const epochUs = (): number => (performance.timeOrigin + performance.now()) * 1_000;

function commandRecords(seqFirst: number, count: number, timeUs: (seq: number) => number): Buffer {
  const records = Buffer.alloc(count * COMMAND_RECORD_SIZE_BYTES);
  for (let index = 0; index < count; index++) {
    const pos = index * COMMAND_RECORD_SIZE_BYTES;
    records[pos] = 1;
    writeU64LE(records, pos + COMMAND_SEQ_OFFSET_BYTES, seqFirst + index);
    writeU64LE(records, pos + COMMAND_TIME_US_OFFSET_BYTES, timeUs(seqFirst + index));
    for (let byte = 24; byte < COMMAND_RECORD_SIZE_BYTES; byte++) records[pos + byte] = (index + byte) & 0xff;
  }
  return records;
}

function openWriter(dir: string, durability: Durability): JournalWriter {
  openJournalMeta(dir, DEFAULT_ENGINE_CONFIG, nodeFsOps);
  const recovered = scanJournal(dir, { recordSizeBytes: COMMAND_RECORD_SIZE_BYTES });
  return JournalWriter.open({ dir, recordSizeBytes: COMMAND_RECORD_SIZE_BYTES, recovered, durability });
}

/** The throughput journal; written without fdatasync (the endpoint syncs what it serves itself). */
function buildJournal(dir: string, records: number, batch: number): number {
  const started = performance.now();
  const writer = openWriter(dir, 'none');
  const chunk = commandRecords(1, batch, (seq) => TIME_US_BASE + seq * 100);
  for (let seq = 1; seq <= records; seq += batch) {
    const count = Math.min(batch, records - seq + 1);
    for (let index = 0; index < count; index++) {
      writeU64LE(chunk, index * COMMAND_RECORD_SIZE_BYTES + COMMAND_SEQ_OFFSET_BYTES, seq + index);
      writeU64LE(chunk, index * COMMAND_RECORD_SIZE_BYTES + COMMAND_TIME_US_OFFSET_BYTES, TIME_US_BASE + (seq + index) * 100);
    }
    writer.append(chunk, count);
  }
  writer.close();
  return performance.now() - started;
}

/** kcat reads the whole topic; returns records per second (and checks the count). */
async function kcatThroughput(endpoint: EndpointProcess, records: number, extra: readonly string[]): Promise<number> {
  const started = performance.now();
  const args = ['-C', '-b', endpoint.bootstrap, '-t', 'commands', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o\\n', ...extra];
  const run = spawnSync('sh', ['-c', `kcat ${args.map((arg) => `'${arg}'`).join(' ')} | wc -l`], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1_000;
  const count = Number(run.stdout.trim());
  if (count !== records) throw new Error(`kcat read ${count} of ${records} records: ${run.stderr}`);
  return records / seconds;
}

async function kafkajsThroughput(endpoint: EndpointProcess, records: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [endpoint.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-${Date.now()}`, maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 64 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: ['commands'], fromBeginning: true });
  let count = 0;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const started = performance.now();
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      count += batch.messages.length;
      if (count >= records) finished();
    },
  });
  const timeout = setTimeout(finished, KAFKAJS_READ_TIMEOUT_MS);
  await done;
  clearTimeout(timeout);
  const seconds = (performance.now() - started) / 1_000;
  await consumer.disconnect();
  if (count < records) throw new Error(`kafkajs read ${count} of ${records} records in ${KAFKAJS_READ_TIMEOUT_MS} ms`);
  return records / seconds;
}

/** The worker: open-loop durable appends of one command each. */
function runWriter(data: WriterData): void {
  const writer = openWriter(data.dir, 'fsync');
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const intervalMs = 1_000 / data.rate;
  const count = Math.floor((data.durationMs / 1_000) * data.rate);
  const startMs = performance.now();
  for (let index = 0; index < count; index++) {
    const waitMs = startMs + index * intervalMs - performance.now();
    if (waitMs > 0) Atomics.wait(sleeper, 0, 0, waitMs);
    const seq = writer.seqDurable + 1;
    const before = performance.now();
    writer.append(commandRecords(seq, 1, () => Math.floor(epochUs())), 1);
    data.appendUs[seq - 1] = (performance.now() - before) * 1_000;
    data.durableAtUs[seq - 1] = epochUs();
  }
  writer.close();
}

function startWriter(data: WriterData): Promise<void> {
  const worker = startModuleWorker(new URL(import.meta.url), { workerData: data });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', () => resolve());
  });
}

function summary(histogram: Histogram): string {
  const at = (percentile: number): string => histogram.getValueAtPercentile(percentile).toLocaleString('en-US');
  return `p50 ${at(50)} us, p90 ${at(90)} us, p99 ${at(99)} us, p99.9 ${at(99.9)} us, max ${histogram.maxValue.toLocaleString('en-US')} us (${histogram.totalCount} samples)`;
}

async function latency(rate: number, seconds: number, visibility: CommandVisibility): Promise<{ kcat: Histogram; kafkajs: Histogram; append: Histogram }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-kafka-latency-'));
  const endpoint = await startEndpointProcess({ dataDir: dir, logLevel: 'warn', visibility });
  const durationMs = WARMUP_MS + seconds * 1_000;
  const slots = Math.ceil((durationMs / 1_000) * rate) + 1;
  const data: WriterData = {
    dir,
    rate,
    durationMs,
    durableAtUs: new Float64Array(new SharedArrayBuffer(slots * 8)),
    appendUs: new Float64Array(new SharedArrayBuffer(slots * 8)),
  };
  const warmupSeqs = Math.floor((WARMUP_MS / 1_000) * rate);
  // Delivery times per offset; a record may arrive before the writer thread has noted that its
  // append returned (the endpoint's own fdatasync can finish first), so latencies are computed at the end.
  const receivedAtUs = { kcat: new Float64Array(slots), kafkajs: new Float64Array(slots) };
  const kcat = spawn('kcat', ['-C', '-b', endpoint.bootstrap, '-t', 'commands', '-p', '0', '-o', '1', '-u', '-q', '-f', '%o\\n'], { stdio: ['ignore', 'pipe', 'ignore'] });
  createInterface({ input: kcat.stdout }).on('line', (line) => (receivedAtUs.kcat[Number(line) - 1] = epochUs()));
  const kafka = new Kafka({ clientId: 'bench-latency', brokers: [endpoint.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: 'bench-latency', maxWaitTimeInMs: 5_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: ['commands'], fromBeginning: true });
  await consumer.run({ autoCommit: false, eachMessage: async ({ message }) => void (receivedAtUs.kafkajs[Number(message.offset) - 1] = epochUs()) });
  await new Promise((resolve) => setTimeout(resolve, CONSUMER_SETTLE_MS));
  await startWriter(data);
  await new Promise((resolve) => setTimeout(resolve, CONSUMER_SETTLE_MS));
  const histograms = { kcat: newHistogram(), kafkajs: newHistogram(), append: newHistogram() };
  for (let index = warmupSeqs; index < slots; index++) {
    const durableAtUs = data.durableAtUs[index]!;
    if (durableAtUs === 0) continue;
    recordUs(histograms.append, data.appendUs[index]!);
    for (const name of ['kcat', 'kafkajs'] as const) {
      const receivedUs = receivedAtUs[name][index]!;
      // Never delivered counts as the longest possible wait, so a loss cannot hide.
      recordUs(histograms[name], receivedUs === 0 ? Number.MAX_SAFE_INTEGER : receivedUs - durableAtUs);
    }
  }
  kcat.kill('SIGTERM');
  await consumer.disconnect();
  await endpoint.stop();
  rmSync(dir, { recursive: true, force: true });
  return histograms;
}

function filesystemOf(path: string): string {
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' '));
  let best = { mountPoint: '', type: 'unknown' };
  for (const [, mountPoint = '', type = ''] of mounts) if (path.startsWith(mountPoint) && mountPoint.length > best.mountPoint.length) best = { mountPoint, type };
  return `${best.type} (${best.mountPoint})`;
}

async function main(): Promise<void> {
  const records = argument('records', 10_000_000);
  const batch = argument('batch', 1_000);
  const runs = argument('runs', 3);
  const rate = argument('latency-rate', 200);
  const seconds = argument('latency-seconds', 10);
  const kcatVersion = spawnSync('kcat', ['-V'], { encoding: 'utf8' }).stdout.split('\n').find((line) => line.includes('librdkafka')) ?? 'kcat';
  console.log(setupLine('Kafka replay'));
  console.log(`# ${records.toLocaleString('en-US')} commands of ${COMMAND_RECORD_SIZE_BYTES} bytes in batches of ${batch}; ${kcatVersion.trim()}; kafkajs 2.2.4; temp dir on ${filesystemOf(tmpdir())}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-kafka-'));
  try {
    const buildMs = buildJournal(dir, records, batch);
    const startedAt = performance.now();
    const endpoint = await startEndpointProcess({ dataDir: dir, logLevel: 'warn' });
    const startMs = performance.now() - startedAt;
    console.log(`journal written in ${(buildMs / 1_000).toFixed(1)} s; endpoint validated and indexed it and listened after ${(startMs / 1_000).toFixed(1)} s`);
    try {
      const kcatRates: number[] = [];
      for (let run = 0; run < runs; run++) kcatRates.push(await kcatThroughput(endpoint, records, []));
      const kcatCrcRate = await kcatThroughput(endpoint, records, ['-X', 'check.crcs=true']);
      const kafkajsRate = await kafkajsThroughput(endpoint, records);
      const kcatMedian = median(kcatRates);
      console.log(`kcat: ${Math.round(kcatMedian).toLocaleString('en-US')} records/s (median of ${runs}: ${kcatRates.map((rate) => Math.round(rate).toLocaleString('en-US')).join(', ')})`);
      console.log(`kcat -X check.crcs=true: ${Math.round(kcatCrcRate).toLocaleString('en-US')} records/s`);
      console.log(`kafkajs group consumer: ${Math.round(kafkajsRate).toLocaleString('en-US')} records/s`);
      console.log(`target: kcat >= ${THROUGHPUT_TARGET_PER_S.toLocaleString('en-US')} records/s: ${kcatMedian >= THROUGHPUT_TARGET_PER_S ? 'met' : 'missed'}`);
    } finally {
      await endpoint.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const visibility of ['synced', 'written'] as const) {
    const histograms = await latency(rate, seconds, visibility);
    console.log(`end-of-log latency, --visibility ${visibility}, ${rate} durable appends/s for ${seconds} s after ${WARMUP_MS} ms warm-up:`);
    console.log(`  kcat:    ${summary(histograms.kcat)}`);
    console.log(`  kafkajs: ${summary(histograms.kafkajs)}`);
    console.log(`  floor, the append itself (write + fdatasync): ${summary(histograms.append)}`);
    const worstP99 = Math.max(histograms.kcat.getValueAtPercentile(99), histograms.kafkajs.getValueAtPercentile(99));
    console.log(`  target p99 < ${LATENCY_P99_TARGET_US.toLocaleString('en-US')} us: ${worstP99 < LATENCY_P99_TARGET_US ? 'met' : 'missed'}`);
  }
}

if (isMainThread) await main();
else runWriter(workerData as WriterData);
