// Proves Debian's kcat (librdkafka 2.0.2) reads both topics from the endpoint process exactly as the journal holds them (offsets, null keys, values, headers, CreateTime timestamps) from the beginning and from a mid-batch offset with check.crcs=true, through a batch larger than its fetch size, by timestamp, on an empty journal, is refused Produce, and while waiting at the end of the log receives newly committed durable commands and their events.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEndpointProcess, type EndpointProcess } from '../../../journal/kafka/endpoint-process.ts';
import { BATCH_SIZES, appendBatches, expectedRecords, midBatchOffset, type ExpectedRecord } from './journal-fixture.ts';
import { KCAT_MISSING, parseKcatJson, runKcat, type KcatRecord } from './kcat.ts';

const KCAT_TIMEOUT_MS = 20_000;
/** Small segments, so reads cross segment files. */
const SEGMENT_SIZE_BYTES = 256 * 1024;
const TOPICS = ['commands', 'events'] as const;

let dir = '';
let endpoint: EndpointProcess | null = null;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-kcat-'));
  await appendBatches(dir, BATCH_SIZES, SEGMENT_SIZE_BYTES);
  endpoint = await startEndpointProcess({ dataDir: dir });
});

after(async () => {
  await endpoint?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function seqHeader(seq: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(seq));
  return bytes;
}

function assertSame(topic: string, got: readonly KcatRecord[], expected: readonly ExpectedRecord[]): void {
  assert.equal(got.length, expected.length, `${topic}: record count`);
  for (const [index, want] of expected.entries()) {
    const record = got[index]!;
    assert.equal(record.offset, want.offset, `${topic}: offset at ${index}`);
    assert.equal(record.timestampType, 'create');
    assert.equal(record.timestampMs, want.timestampMs, `${topic}: timestamp of offset ${want.offset}`);
    assert.equal(record.key, null);
    assert.ok(record.value.equals(want.value), `${topic}: value of offset ${want.offset}`);
    const headers = topic === 'events' ? [['journal-seq', seqHeader(want.journalSeq)]] : [];
    assert.deepEqual(record.headers, headers, `${topic}: headers of offset ${want.offset}`);
  }
}

async function consume(topic: string, offset: string, ...extra: string[]): Promise<KcatRecord[]> {
  const run = await runKcat(['-C', '-b', endpoint!.bootstrap, '-t', topic, '-p', '0', '-o', offset, '-e', '-J', '-q', '-X', 'check.crcs=true', ...extra], KCAT_TIMEOUT_MS);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /CRC|error/i);
  return parseKcatJson(run.stdout);
}

test('kcat reads both topics from the beginning exactly as journaled, CRCs checked', { skip: KCAT_MISSING }, async () => {
  for (const topic of TOPICS) assertSame(topic, await consume(topic, 'beginning'), expectedRecords(dir, topic));
});

test('kcat starts at an offset inside a batch', { skip: KCAT_MISSING }, async () => {
  for (const topic of TOPICS) {
    const offset = midBatchOffset(dir, topic);
    const expected = expectedRecords(dir, topic).filter((record) => record.offset >= offset);
    assertSame(topic, await consume(topic, String(offset)), expected);
  }
});

test('kcat progresses through a batch larger than its partition fetch size (KIP-74)', { skip: KCAT_MISSING }, async () => {
  assertSame('commands', await consume('commands', 'beginning', '-X', 'max.partition.fetch.bytes=1024'), expectedRecords(dir, 'commands'));
});

test('kcat finds the first record at or after a timestamp', { skip: KCAT_MISSING }, async () => {
  const expected = expectedRecords(dir, 'commands');
  const target = expected[Math.floor(expected.length / 2)]!.timestampMs;
  const fromTime = expected.filter((record) => record.offset >= expected.find((each) => each.timestampMs >= target)!.offset);
  assertSame('commands', await consume('commands', `s@${target}`), fromTime);
});

test('kcat is refused Produce with a clear error', { skip: KCAT_MISSING }, async () => {
  const child = spawn('kcat', ['-P', '-b', endpoint!.bootstrap, '-t', 'commands', '-p', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end('refused\n');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.notEqual(code, 0);
  assert.match(stderr, /Topic authorization failed/);
  assert.equal(expectedRecords(dir, 'commands').length, BATCH_SIZES.reduce((sum, size) => sum + size, 0));
});

test('kcat waits at the end of the log and receives new durable commands and events', { skip: KCAT_MISSING }, async () => {
  const ends = Object.fromEntries(TOPICS.map((topic) => [topic, expectedRecords(dir, topic).at(-1)!.offset + 1]));
  const tails = TOPICS.map((topic) => {
    const child = spawn('kcat', ['-C', '-b', endpoint!.bootstrap, '-t', topic, '-p', '0', '-o', String(ends[topic]), '-J', '-q', '-u', '-X', 'check.crcs=true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    return { topic, child, chunks };
  });
  try {
    const appended = [7, 1, 30];
    await appendBatches(dir, appended);
    for (const { topic, chunks } of tails) {
      const expected = expectedRecords(dir, topic).filter((record) => record.offset >= ends[topic]!);
      assert.ok(expected.length > 0);
      const deadline = Date.now() + KCAT_TIMEOUT_MS;
      while (parseKcatJson(Buffer.concat(chunks)).length < expected.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assertSame(topic, parseKcatJson(Buffer.concat(chunks)), expected);
    }
  } finally {
    for (const { child } of tails) child.kill('SIGKILL');
  }
});

test('kcat sees an empty journal end at once', { skip: KCAT_MISSING }, async () => {
  const emptyDir = mkdtempSync(join(tmpdir(), 'kafka-kcat-empty-'));
  const emptyEndpoint = await startEndpointProcess({ dataDir: emptyDir });
  try {
    for (const topic of TOPICS) {
      const run = await runKcat(['-C', '-b', emptyEndpoint.bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-J'], KCAT_TIMEOUT_MS);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(parseKcatJson(run.stdout), []);
      assert.match(run.stderr, /Reached end of topic/);
    }
  } finally {
    await emptyEndpoint.stop();
    rmSync(emptyDir, { recursive: true, force: true });
  }
});
