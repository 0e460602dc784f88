// Proves the shipper process delivers every journal record exactly once, in order, with its value, timestamp and journal-seq / event-index headers, to librdkafka's mock Kafka cluster across a SIGKILL and restart (resuming from the headers at the tail of each target partition) and while the journal keeps growing. kafkajs's idempotent producer cannot talk to this mock (InitProducerId goes to a controller the mock does not list), so the test runs with --no-idempotence and the exactly-once property rests on the resume protocol alone.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { BATCH_SIZES, appendBatches, expectedRecords } from './journal-fixture.ts';
import { KCAT_MISSING, parseKcatJson, runKcat, type KcatRecord } from './kcat.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MOCK_SCRIPT = fileURLToPath(new URL('./librdkafka-mock.py', import.meta.url));
const DEBIAN_PYTHON = '/usr/bin/python3';
const MOCK_MISSING = spawnSync(DEBIAN_PYTHON, ['-c', 'import confluent_kafka'], { stdio: 'ignore' }).status === 0
  ? false
  : "Debian's python3-confluent-kafka is not installed (npm test installs it through scripts/ensure-system-tools.sh)";
const TARGETS = { commands: 'journal.commands', events: 'journal.events' } as const;
const WAIT_MS_MAX = 30_000;
/** Small produce requests, so the first shipper is still busy when it is killed. */
const SEND_RECORDS = '25';

let dir = '';
let mock: ChildProcess | null = null;
let bootstrap = '';

before(async () => {
  if (MOCK_MISSING || KCAT_MISSING) return;
  dir = mkdtempSync(join(tmpdir(), 'kafka-shipper-'));
  await appendBatches(dir, BATCH_SIZES.slice(0, 6));
  mock = spawn(DEBIAN_PYTHON, [MOCK_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: mock!.stdout! }).once('line', resolve));
  bootstrap = (JSON.parse(line) as { bootstrap: string }).bootstrap;
});

after(() => {
  mock?.stdin?.end();
  mock?.kill('SIGKILL');
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function startShipper(): ChildProcess {
  const args = ['--import', 'tsx', 'journal/shipper/cli.ts', '--data-dir', dir, '--brokers', bootstrap, '--topic-commands', TARGETS.commands, '--topic-events', TARGETS.events];
  const child = spawn(process.execPath, [...args, '--no-idempotence', '--auto-create-topics', '--send-records-max', SEND_RECORDS], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

async function targetEnd(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
    return Number(offsets.find((entry) => entry.partition === 0)?.high ?? 0);
  } finally {
    await admin.disconnect();
  }
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS_MAX;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function headerNumber(record: KcatRecord, key: string): number {
  const value = record.headers.find(([name]) => name === key)?.[1];
  return value === undefined ? NaN : Number(value.readBigUInt64BE());
}

test('the shipper delivers every record exactly once across a SIGKILL and restart, and keeps up with appends', { skip: MOCK_MISSING || KCAT_MISSING }, async () => {
  const kafka = new Kafka({ clientId: 'shipper-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const totals = { commands: expectedRecords(dir, 'commands').length, events: expectedRecords(dir, 'events').length };

  const first = startShipper();
  await until(async () => (await targetEnd(kafka, TARGETS.commands)) >= 200, 'the first shipper to ship some commands');
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const shippedBeforeKill = await targetEnd(kafka, TARGETS.commands);
  assert.ok(shippedBeforeKill < totals.commands, `killed mid-way (${shippedBeforeKill} of ${totals.commands})`);

  const second = startShipper();
  try {
    await until(async () => (await targetEnd(kafka, TARGETS.commands)) >= totals.commands && (await targetEnd(kafka, TARGETS.events)) >= totals.events, 'the restarted shipper to catch up');
    await appendBatches(dir, [9, 120]);
    const grown = { commands: expectedRecords(dir, 'commands').length, events: expectedRecords(dir, 'events').length };
    await until(async () => (await targetEnd(kafka, TARGETS.commands)) >= grown.commands && (await targetEnd(kafka, TARGETS.events)) >= grown.events, 'the appended records');
  } finally {
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
  }

  for (const topic of ['commands', 'events'] as const) {
    const run = await runKcat(['-C', '-b', bootstrap, '-t', TARGETS[topic], '-p', '0', '-o', 'beginning', '-e', '-J', '-q'], WAIT_MS_MAX);
    assert.equal(run.code, 0, run.stderr);
    const shipped = parseKcatJson(run.stdout);
    const expected = expectedRecords(dir, topic);
    assert.equal(shipped.length, expected.length, `${topic}: each record exactly once`);
    for (const [index, want] of expected.entries()) {
      const record = shipped[index]!;
      assert.equal(record.offset, index, `${topic}: the target's own offsets, dense`);
      assert.ok(record.value.equals(want.value), `${topic}: value of journal offset ${want.offset}`);
      assert.equal(record.timestampMs, want.timestampMs);
      assert.equal(headerNumber(record, 'journal-seq'), want.journalSeq, `${topic}: journal-seq of journal offset ${want.offset}`);
      if (topic === 'events') assert.equal(headerNumber(record, 'event-index'), want.offset);
    }
  }
});
