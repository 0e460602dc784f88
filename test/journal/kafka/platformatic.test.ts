// Proves an @platformatic/kafka 1.x group consumer (flexible protocol versions, Fetch v13 with topic ids) reads both topics from the endpoint process exactly as journaled, commits, and after an endpoint restart resumes at the committed offsets with only the records appended since.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Consumer, type Message } from '@platformatic/kafka';
import { startEndpointProcess, type EndpointProcess } from '../../../journal/kafka/endpoint-process.ts';
import { BATCH_SIZES, appendBatches, expectedRecords, type ExpectedRecord } from './journal-fixture.ts';

const TOPICS = ['commands', 'events'] as const;
const GROUP_ID = 'platformatic-replay';

let dir = '';
let endpoint: EndpointProcess | null = null;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-platformatic-'));
  await appendBatches(dir, BATCH_SIZES);
  endpoint = await startEndpointProcess({ dataDir: dir });
});

after(async () => {
  await endpoint?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type BufferMessage = Message<Buffer, Buffer, Buffer, Buffer>;

function assertMessage(message: BufferMessage, want: ExpectedRecord): void {
  const topic = message.topic;
  assert.equal(message.offset, BigInt(want.offset), `${topic} offset`);
  assert.equal(message.timestamp, BigInt(want.timestampMs), `${topic} timestamp at ${want.offset}`);
  assert.ok(message.value.equals(want.value), `${topic} value at ${want.offset}`);
  const headers = [...message.headers].map(([key, value]) => [key.toString('utf8'), Number(value.readBigUInt64BE())]);
  assert.deepEqual(headers, topic === 'events' ? [['journal-seq', want.journalSeq]] : []);
}

/** Consumes until `counts` records arrived per topic, commits the last of each, and closes. */
async function consumeAndCommit(counts: Readonly<Record<string, number>>): Promise<Record<string, BufferMessage[]>> {
  const consumer = new Consumer({ groupId: GROUP_ID, clientId: 'platformatic-test', bootstrapBrokers: [endpoint!.bootstrap], maxWaitTime: 500, sessionTimeout: 6_000, heartbeatInterval: 300 });
  const received: Record<string, BufferMessage[]> = { commands: [], events: [] };
  try {
    const stream = await consumer.consume({ topics: [...TOPICS], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
    const total = TOPICS.reduce((sum, topic) => sum + counts[topic]!, 0);
    let seen = 0;
    for await (const message of stream as AsyncIterable<BufferMessage>) {
      received[message.topic]!.push(message);
      if (++seen === total) break;
    }
    for (const topic of TOPICS) await received[topic]!.at(-1)?.commit();
    await stream.close();
  } finally {
    await consumer.close();
  }
  return received;
}

test('@platformatic/kafka reads everything, commits, and resumes at the committed offsets after an endpoint restart', async () => {
  const expected = Object.fromEntries(TOPICS.map((topic) => [topic, expectedRecords(dir, topic)]));
  const first = await consumeAndCommit(Object.fromEntries(TOPICS.map((topic) => [topic, expected[topic]!.length])));
  for (const topic of TOPICS) {
    assert.equal(first[topic]!.length, expected[topic]!.length);
    for (const [index, want] of expected[topic]!.entries()) assertMessage(first[topic]![index]!, want);
  }

  await endpoint!.stop();
  endpoint = await startEndpointProcess({ dataDir: dir });
  await appendBatches(dir, [3, 21]);
  const fresh = Object.fromEntries(TOPICS.map((topic) => [topic, expectedRecords(dir, topic).slice(expected[topic]!.length)]));
  const second = await consumeAndCommit(Object.fromEntries(TOPICS.map((topic) => [topic, fresh[topic]!.length])));
  for (const topic of TOPICS) {
    assert.ok(fresh[topic]!.length > 0);
    assert.equal(second[topic]!.length, fresh[topic]!.length);
    for (const [index, want] of fresh[topic]!.entries()) assertMessage(second[topic]![index]!, want);
  }
});
