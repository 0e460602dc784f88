// Proves the Fetch long poll: at the end of the log a Fetch is answered empty at its MaxWait (never past MaxWait + 100 ms, where kafkajs gives up), one parked Fetch is woken by a durable append well before its MaxWait and gets the new batch, and an earlier parked Fetch delays the later response on its connection, which still comes in order.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEndpointProcess, type EndpointProcess } from '../../../journal/kafka/endpoint-process.ts';
import { appendBatches, expectedRecords } from './journal-fixture.ts';
import { kafkajsFrame, kafkajsRequest, kafkajsResponse } from './kafkajs-protocol.ts';
import { RawClient } from './raw-client.ts';

const MAX_WAIT_MS = 300;
/** kafkajs's request timeout for a Fetch is MaxWait plus this. */
const KAFKAJS_NETWORK_DELAY_MS = 100;
const LONG_WAIT_MS = 5_000;
const FETCH_VERSION = 11;

let dir = '';
let endpoint: EndpointProcess | null = null;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-long-poll-'));
  await appendBatches(dir, [5, 20]);
  endpoint = await startEndpointProcess({ dataDir: dir });
});

after(async () => {
  await endpoint?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function fetchFrame(offset: number, maxWaitMs: number, correlationId: number): Promise<Buffer> {
  const topics = [{ topic: 'commands', partitions: [{ partition: 0, fetchOffset: String(offset), maxBytes: 1_048_576 }] }];
  return kafkajsFrame(kafkajsRequest('fetch', FETCH_VERSION, { replicaId: -1, maxWaitTime: maxWaitMs, minBytes: 1, maxBytes: 1_048_576, topics, isolationLevel: 1, sessionId: 0, sessionEpoch: -1, forgottenTopics: [], rackId: '' }), correlationId);
}

/** Offsets of the records in a Fetch response frame (correlation id first), as kafkajs decodes them. */
async function fetchedOffsets(frame: Buffer): Promise<number[]> {
  const decoded = (await kafkajsResponse('fetch', FETCH_VERSION).decode(frame.subarray(4))) as { responses: { partitions: { messages: { offset: string }[] }[] }[] };
  return decoded.responses.flatMap((topic) => topic.partitions.flatMap((partition) => partition.messages.map((message) => Number(message.offset))));
}

test('a Fetch at the end of the log is answered empty at its MaxWait', async () => {
  const end = expectedRecords(dir, 'commands').at(-1)!.offset + 1;
  const client = await RawClient.connect(endpoint!.host, endpoint!.port);
  const started = performance.now();
  client.send(await fetchFrame(end, MAX_WAIT_MS, 1));
  await client.waitFrames(1, MAX_WAIT_MS * 4);
  const elapsedMs = performance.now() - started;
  client.close();
  assert.equal(client.frames.length, 1);
  assert.ok(elapsedMs >= MAX_WAIT_MS - 5 && elapsedMs < MAX_WAIT_MS + KAFKAJS_NETWORK_DELAY_MS, `answered after ${elapsedMs} ms`);
  assert.deepEqual(await fetchedOffsets(client.frames[0]!), []);
});

test('a durable append wakes a parked Fetch, and responses on one connection keep their order', async () => {
  const end = expectedRecords(dir, 'commands').at(-1)!.offset + 1;
  const client = await RawClient.connect(endpoint!.host, endpoint!.port);
  const started = performance.now();
  client.send(await fetchFrame(end, LONG_WAIT_MS, 1));
  client.send(await fetchFrame(end - 1, 0, 2));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(client.frames.length, 0, 'the second response waits behind the parked first');
  await appendBatches(dir, [3]);
  await client.waitFrames(2, LONG_WAIT_MS * 2);
  const elapsedMs = performance.now() - started;
  client.close();
  assert.ok(elapsedMs < LONG_WAIT_MS / 2, `woken after ${elapsedMs} ms`);
  assert.deepEqual(client.frames.map((frame) => frame.readInt32BE(0)), [1, 2]);
  assert.deepEqual(await fetchedOffsets(client.frames[0]!), [end, end + 1, end + 2]);
  // The second fetch was answered when it arrived, before the append; batches come whole, so
  // records before its offset are there too (clients skip them).
  assert.deepEqual((await fetchedOffsets(client.frames[1]!)).filter((offset) => offset >= end - 1), [end - 1]);
});
