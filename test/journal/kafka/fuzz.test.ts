// Proves fuzzed, truncated, oversized and unsupported Kafka requests close only the connection that sent them: the endpoint process stays up, logs no internal error, answers a bystander connection throughout, and a real client (kafkajs) still reads the journal afterwards; an unsupported ApiVersions version gets the KIP-511 answer instead.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { mulberry32 } from '../../../bench/mulberry32.ts';
import { startEndpointProcess, type EndpointProcess } from '../../../journal/kafka/endpoint-process.ts';
import { appendBatches, expectedRecords } from './journal-fixture.ts';
import { kafkajsFrame, kafkajsRequest } from './kafkajs-protocol.ts';
import { RawClient } from './raw-client.ts';

const FUZZ_CONNECTIONS = 2_000;
const PARALLEL_CONNECTIONS = 100;
/** A decodable request is answered at once; a frame still missing bytes is given up on after this. */
const FUZZ_WAIT_MS = 200;
const RESPONSE_WAIT_MS = 2_000;
/** A deterministic generator, so a failure can be replayed. */
const SEED = 20_261_121;
const ERROR_LEVEL = 50;

let dir = '';
let endpoint: EndpointProcess | null = null;
const errorLines: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-fuzz-'));
  await appendBatches(dir, [3, 40, 7]);
  endpoint = await startEndpointProcess({
    dataDir: dir,
    onLogLine: (line) => {
      if ((JSON.parse(line) as { level: number }).level >= ERROR_LEVEL) errorLines.push(line);
    },
  });
});

after(async () => {
  await endpoint?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Valid requests of several APIs, as kafkajs encodes them: the seeds the fuzzer mutates. */
async function seedFrames(): Promise<Buffer[]> {
  const topics = [{ topic: 'commands', partitions: [{ partition: 0, fetchOffset: '1', maxBytes: 1024 }] }];
  const requests = [
    kafkajsRequest('apiVersions', 2, {}),
    kafkajsRequest('metadata', 6, { topics: ['commands', 'events'] }),
    kafkajsRequest('listOffsets', 3, { replicaId: -1, isolationLevel: 1, topics: [{ topic: 'events', partitions: [{ partition: 0, timestamp: -2 }] }] }),
    kafkajsRequest('fetch', 11, { replicaId: -1, maxWaitTime: 0, minBytes: 1, maxBytes: 4096, topics, isolationLevel: 1, sessionId: 0, sessionEpoch: -1, forgottenTopics: [], rackId: '' }),
    kafkajsRequest('findCoordinator', 2, { coordinatorKey: 'fuzz', coordinatorType: 0 }),
    kafkajsRequest('heartbeat', 3, { groupId: 'fuzz', groupGenerationId: 1, memberId: 'nobody', groupInstanceId: null }),
    kafkajsRequest('offsetFetch', 4, { groupId: 'fuzz', topics: [{ topic: 'commands', partitions: [{ partition: 0 }] }] }),
    kafkajsRequest('offsetCommit', 5, { groupId: 'fuzz', groupGenerationId: -1, memberId: '', topics: [{ topic: 'commands', partitions: [{ partition: 0, offset: '5' }] }] }),
    kafkajsRequest('produce', 7, { acks: -1, timeout: 100, transactionalId: null, producerId: -1, producerEpoch: 0, compression: 0, topicData: [{ topic: 'commands', partitions: [{ partition: 0, firstSequence: 0, messages: [{ value: 'x' }] }] }] }),
  ];
  return Promise.all(requests.map((request, index) => kafkajsFrame(request, index + 1)));
}

function mutate(seeds: readonly Buffer[], next: () => number): Buffer {
  const seed = seeds[Math.floor(next() * seeds.length)]!;
  const frame = Buffer.from(seed);
  switch (Math.floor(next() * 6)) {
    case 0: // flip bytes anywhere after the size prefix
      for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) frame[4 + Math.floor(next() * (frame.length - 4))] = Math.floor(next() * 256);
      return frame;
    case 1: {
      // truncate the body and say so in the size prefix: every field may end early
      const length = 4 + Math.floor(next() * (frame.length - 4));
      const cut = frame.subarray(0, length);
      cut.writeInt32BE(length - 4, 0);
      return cut;
    }
    case 2: // bytes after a valid body, counted in the size
      return withSize(Buffer.concat([frame, Buffer.from([1, 2, 3])]));
    case 3: // an API key or version nobody advertises
      frame.writeInt16BE(next() < 0.5 ? 40 + Math.floor(next() * 30) : frame.readInt16BE(4), 4);
      frame.writeInt16BE(20 + Math.floor(next() * 100), 6);
      return frame;
    case 4: // a size prefix that is negative, tiny or huge
      frame.writeInt32BE([-1, 0, 3, 0x7fff_ffff, 64 * 1024 * 1024][Math.floor(next() * 5)]!, 0);
      return frame;
    default: // random bytes
      return Buffer.from(Array.from({ length: 1 + Math.floor(next() * 64) }, () => Math.floor(next() * 256)));
  }
}

function withSize(frame: Buffer): Buffer {
  const sized = Buffer.from(frame);
  sized.writeInt32BE(sized.length - 4, 0);
  return sized;
}

test('fuzzed and truncated requests close only their own connection', async () => {
  const seeds = await seedFrames();
  const metadataFrame = seeds[1]!;
  const bystander = await RawClient.connect(endpoint!.host, endpoint!.port);
  const next = mulberry32(SEED);
  let answered = 0;
  for (let done = 0; done < FUZZ_CONNECTIONS; done += PARALLEL_CONNECTIONS) {
    const frames = Array.from({ length: PARALLEL_CONNECTIONS }, () => mutate(seeds, next));
    await Promise.all(
      frames.map(async (frame) => {
        const client = await RawClient.connect(endpoint!.host, endpoint!.port);
        client.send(frame);
        await client.waitFrames(1, FUZZ_WAIT_MS);
        if (client.frames.length > 0) answered++;
        client.close();
      }),
    );
    bystander.send(metadataFrame);
    const before = bystander.frames.length;
    await bystander.waitFrames(before + 1, RESPONSE_WAIT_MS);
    assert.equal(bystander.frames.length, before + 1, 'the bystander connection keeps being answered');
  }
  bystander.close();
  assert.ok(answered > 0 && answered < FUZZ_CONNECTIONS, `some mutants still decode (${answered}), most do not`);
  assert.equal(endpoint!.child.exitCode, null, 'the endpoint is still running');
  assert.deepEqual(errorLines, [], 'no internal error was logged');

  const kafka = new Kafka({ clientId: 'after-fuzz', brokers: [endpoint!.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: 'after-fuzz', maxWaitTimeInMs: 200 });
  const offsets: number[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: ['commands'], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void offsets.push(Number(message.offset)) });
  const expected = expectedRecords(dir, 'commands').map((record) => record.offset);
  const deadline = Date.now() + 10_000;
  while (offsets.length < expected.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await consumer.disconnect();
  assert.deepEqual(offsets, expected);
});

test('a request cut short or of an unknown API closes the connection; an unsupported ApiVersions version gets error 35 with the ranges', async () => {
  const [apiVersions, metadata] = await seedFrames();
  const truncated = withSize(metadata!.subarray(0, metadata!.length - 3));
  const unknownApi = Buffer.from(metadata!);
  unknownApi.writeInt16BE(23, 4);
  for (const frame of [truncated, unknownApi]) {
    const client = await RawClient.connect(endpoint!.host, endpoint!.port);
    client.send(frame);
    assert.equal(await client.waitClosed(RESPONSE_WAIT_MS), true);
    assert.deepEqual(client.frames, []);
  }
  const future = Buffer.from(apiVersions!);
  future.writeInt16BE(9, 6);
  const client = await RawClient.connect(endpoint!.host, endpoint!.port);
  client.send(future);
  await client.waitFrames(1, RESPONSE_WAIT_MS);
  client.close();
  const response = client.frames[0]!;
  assert.equal(response.readInt32BE(0), 1, 'correlation id');
  assert.equal(response.readInt16BE(4), 35, 'UNSUPPORTED_VERSION');
  const rangeCount = response.readInt32BE(6);
  const ranges = Array.from({ length: rangeCount }, (_, index) => [0, 2, 4].map((field) => response.readInt16BE(10 + index * 6 + field)));
  assert.deepEqual(ranges.find(([key]) => key === 18), [18, 0, 3]);
});
