// Proves kafkajs 2.2.4 group consumers against the endpoint process: one reads both topics completely and exactly as journaled, commits, and after an endpoint restart a new member of the group resumes at the committed offsets and receives only what was appended; seek lands inside a batch; two members of one group never both hold the partition, and when the holder leaves the other takes over.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { startEndpointProcess, type EndpointProcess } from '../../../journal/kafka/endpoint-process.ts';
import { BATCH_SIZES, appendBatches, expectedRecords, midBatchOffset, type ExpectedRecord } from './journal-fixture.ts';

const WAIT_MS_MAX = 20_000;
const TOPICS = ['commands', 'events'] as const;
/** Short timings so rebalances settle within the test's time. */
const CONSUMER_TIMINGS = { sessionTimeout: 6_000, heartbeatInterval: 300, maxWaitTimeInMs: 500 } as const;

let dir = '';
let endpoint: EndpointProcess | null = null;
const consumers: Consumer[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-kafkajs-'));
  await appendBatches(dir, BATCH_SIZES);
  endpoint = await startEndpointProcess({ dataDir: dir });
});

after(async () => {
  for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
  await endpoint?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function consumerFor(groupId: string): Consumer {
  const kafka = new Kafka({ clientId: 'kafkajs-test', brokers: [endpoint!.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId, ...CONSUMER_TIMINGS });
  consumers.push(consumer);
  return consumer;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS_MAX;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function assertMessage(topic: string, message: KafkaMessage, want: ExpectedRecord): void {
  assert.equal(Number(message.offset), want.offset, `${topic} offset`);
  assert.equal(Number(message.timestamp), want.timestampMs, `${topic} timestamp at ${want.offset}`);
  assert.equal(message.key, null);
  assert.ok(message.value?.equals(want.value), `${topic} value at ${want.offset}`);
  const seq = message.headers?.['journal-seq'];
  if (topic === 'events') assert.equal(Buffer.isBuffer(seq) ? Number(seq.readBigUInt64BE()) : NaN, want.journalSeq);
  else assert.equal(seq, undefined);
}

/** Runs `consumer` on both topics and collects messages per topic. */
async function collect(consumer: Consumer, fromBeginning: boolean): Promise<Record<string, KafkaMessage[]>> {
  const received: Record<string, KafkaMessage[]> = { commands: [], events: [] };
  await consumer.connect();
  await consumer.subscribe({ topics: [...TOPICS], fromBeginning });
  await consumer.run({ eachMessage: async ({ topic, message }) => void received[topic]!.push(message) });
  return received;
}

test('a kafkajs group reads everything, commits, and resumes at its committed offsets after an endpoint restart', async () => {
  const first = consumerFor('replay');
  const received = await collect(first, true);
  const expected = Object.fromEntries(TOPICS.map((topic) => [topic, expectedRecords(dir, topic)]));
  await until(() => TOPICS.every((topic) => received[topic]!.length >= expected[topic]!.length), 'the whole journal');
  for (const topic of TOPICS) {
    assert.equal(received[topic]!.length, expected[topic]!.length);
    for (const [index, want] of expected[topic]!.entries()) assertMessage(topic, received[topic]![index]!, want);
  }
  await first.disconnect();

  await endpoint!.stop();
  endpoint = await startEndpointProcess({ dataDir: dir });
  await appendBatches(dir, [4, 40]);
  const second = consumerFor('replay');
  const resumed = await collect(second, true);
  for (const topic of TOPICS) {
    const fresh = expectedRecords(dir, topic).slice(expected[topic]!.length);
    assert.ok(fresh.length > 0);
    await until(() => resumed[topic]!.length >= fresh.length, `the appended ${topic}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(resumed[topic]!.length, fresh.length, `${topic}: only records after the committed offset`);
    for (const [index, want] of fresh.entries()) assertMessage(topic, resumed[topic]![index]!, want);
  }
  await second.disconnect();
});

test('kafkajs seek lands on an offset inside a batch', async () => {
  const consumer = consumerFor('seek');
  const offset = midBatchOffset(dir, 'commands');
  const received: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: ['commands'] });
  await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
  consumer.seek({ topic: 'commands', partition: 0, offset: String(offset) });
  const expected = expectedRecords(dir, 'commands').filter((record) => record.offset >= offset);
  await until(() => received.length >= expected.length, 'the records after the seek');
  for (const [index, want] of expected.entries()) assertMessage('commands', received[index]!, want);
  await consumer.disconnect();
});

test('two members of one kafkajs group never both hold the partition, and the survivor takes over', async () => {
  const members = [consumerFor('pair'), consumerFor('pair')];
  const assigned = members.map(() => false);
  const received = members.map((): number[] => []);
  const startOffset = expectedRecords(dir, 'commands').at(-1)!.offset + 1;
  for (const [index, member] of members.entries()) {
    member.on(member.events.GROUP_JOIN, (event) => {
      assigned[index] = (event.payload.memberAssignment['commands'] ?? []).includes(0);
    });
    await member.connect();
    await member.subscribe({ topics: ['commands'] });
    await member.run({ eachMessage: async ({ message }) => void received[index]!.push(Number(message.offset)) });
  }
  // Both joined one generation: exactly one of them holds partition 0.
  await until(() => assigned.filter(Boolean).length === 1, 'one assignment');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal(assigned.filter(Boolean).length, 1);
  const holder = assigned.indexOf(true);
  const other = 1 - holder;
  await appendBatches(dir, [25]);
  const heldLast = expectedRecords(dir, 'commands').at(-1)!.offset;
  await until(() => received[holder]!.includes(heldLast), 'the holder to receive the new commands');
  assert.deepEqual(received[holder]!.filter((offset) => offset >= startOffset), Array.from({ length: heldLast - startOffset + 1 }, (_, index) => startOffset + index));
  assert.deepEqual(received[other], []);

  // The holder commits what it processed when it leaves; the survivor continues right after it.
  await members[holder]!.disconnect();
  await until(() => assigned[other] === true, 'the survivor to be assigned the partition');
  await appendBatches(dir, [10]);
  const last = expectedRecords(dir, 'commands').at(-1)!.offset;
  await until(() => received[other]!.includes(last), 'the survivor to receive the newest command');
  assert.deepEqual(received[other], Array.from({ length: last - heldLast }, (_, index) => heldLast + 1 + index));
  await members[other]!.disconnect();
});
