// Proves the schema-driven codec against an independent implementation and against itself: every request kafkajs 2.2.4 encodes, in every version it has inside our advertised ranges, decodes here exactly (no byte left over) with the values it was given; every response encoded here decodes in kafkajs with every value we put in; every advertised version of every message round-trips; and 100,000 mutated requests fail only with a KafkaWireError.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaWireError } from '../../../journal/kafka/codec/errors.ts';
import { compileMessage, decodeMessage, encodeMessage } from '../../../journal/kafka/codec/message-codec.ts';
import { inRange, parseVersions, type FieldSpec, type MessageSpec } from '../../../journal/kafka/codec/schema.ts';
import { WireReader } from '../../../journal/kafka/codec/wire-reader.ts';
import { WireWriter } from '../../../journal/kafka/codec/wire-writer.ts';
import { API_VERSIONS_REQUEST, API_VERSIONS_RESPONSE } from '../../../journal/kafka/schemas/api-versions.ts';
import { FETCH_REQUEST, FETCH_RESPONSE } from '../../../journal/kafka/schemas/fetch.ts';
import { FIND_COORDINATOR_REQUEST, FIND_COORDINATOR_RESPONSE } from '../../../journal/kafka/schemas/find-coordinator.ts';
import { HEARTBEAT_REQUEST, HEARTBEAT_RESPONSE } from '../../../journal/kafka/schemas/heartbeat.ts';
import { JOIN_GROUP_REQUEST, JOIN_GROUP_RESPONSE } from '../../../journal/kafka/schemas/join-group.ts';
import { LEAVE_GROUP_REQUEST, LEAVE_GROUP_RESPONSE } from '../../../journal/kafka/schemas/leave-group.ts';
import { LIST_OFFSETS_REQUEST, LIST_OFFSETS_RESPONSE } from '../../../journal/kafka/schemas/list-offsets.ts';
import { METADATA_REQUEST, METADATA_RESPONSE } from '../../../journal/kafka/schemas/metadata.ts';
import { OFFSET_COMMIT_REQUEST, OFFSET_COMMIT_RESPONSE } from '../../../journal/kafka/schemas/offset-commit.ts';
import { OFFSET_FETCH_REQUEST, OFFSET_FETCH_RESPONSE } from '../../../journal/kafka/schemas/offset-fetch.ts';
import { PRODUCE_REQUEST, PRODUCE_RESPONSE } from '../../../journal/kafka/schemas/produce.ts';
import { SYNC_GROUP_REQUEST, SYNC_GROUP_RESPONSE } from '../../../journal/kafka/schemas/sync-group.ts';
import { batchSizeBytesMax, encodeBatch } from '../../../journal/record-batch.ts';
import { commandLayout } from '../../../journal/record-layout.ts';
import { makeCommands } from '../helpers.ts';
import { kafkajsBody, kafkajsRequest, kafkajsResponse } from './kafkajs-protocol.ts';

const MUTATIONS = 100_000;
/** kafkajs's folder name for each API, and our request and response definitions. */
const APIS: readonly (readonly [string, MessageSpec, MessageSpec])[] = [
  ['produce', PRODUCE_REQUEST, PRODUCE_RESPONSE],
  ['fetch', FETCH_REQUEST, FETCH_RESPONSE],
  ['listOffsets', LIST_OFFSETS_REQUEST, LIST_OFFSETS_RESPONSE],
  ['metadata', METADATA_REQUEST, METADATA_RESPONSE],
  ['offsetCommit', OFFSET_COMMIT_REQUEST, OFFSET_COMMIT_RESPONSE],
  ['offsetFetch', OFFSET_FETCH_REQUEST, OFFSET_FETCH_RESPONSE],
  ['findCoordinator', FIND_COORDINATOR_REQUEST, FIND_COORDINATOR_RESPONSE],
  ['joinGroup', JOIN_GROUP_REQUEST, JOIN_GROUP_RESPONSE],
  ['heartbeat', HEARTBEAT_REQUEST, HEARTBEAT_RESPONSE],
  ['leaveGroup', LEAVE_GROUP_REQUEST, LEAVE_GROUP_RESPONSE],
  ['syncGroup', SYNC_GROUP_REQUEST, SYNC_GROUP_RESPONSE],
  ['apiVersions', API_VERSIONS_REQUEST, API_VERSIONS_RESPONSE],
];
/** The versions kafkajs 2.2.4 implements, per API. */
const KAFKAJS_MAX_VERSION: Readonly<Record<string, number>> = {
  produce: 7, fetch: 11, listOffsets: 3, metadata: 6, offsetCommit: 5, offsetFetch: 4,
  findCoordinator: 2, joinGroup: 5, heartbeat: 3, leaveGroup: 3, syncGroup: 3, apiVersions: 2,
};
const ASSIGNMENT = Buffer.from('assignment-bytes');
/** Arguments for kafkajs's request encoders (each version reads the ones it has), and what we must decode. */
const KAFKAJS_REQUESTS: Readonly<Record<string, { args: object; expected: (version: number) => object }>> = {
  produce: {
    args: { acks: -1, timeout: 1234, transactionalId: null, producerId: -1, producerEpoch: 0, compression: 0, topicData: [{ topic: 'commands', partitions: [{ partition: 0, firstSequence: 0, messages: [{ value: 'x' }] }] }] },
    expected: () => ({ acks: -1, timeoutMs: 1234, transactionalId: null }),
  },
  fetch: {
    args: { replicaId: -1, maxWaitTime: 500, minBytes: 1, maxBytes: 1_048_576, isolationLevel: 1, sessionId: 0, sessionEpoch: -1, forgottenTopics: [], rackId: '', topics: [{ topic: 'commands', partitions: [{ partition: 0, fetchOffset: '12345', maxBytes: 65_536, logStartOffset: '0' }] }] },
    expected: () => ({ maxWaitMs: 500, minBytes: 1, maxBytes: 1_048_576, topics: [{ topic: 'commands', topicId: '00000000-0000-0000-0000-000000000000', partitions: [{ partition: 0, fetchOffset: 12_345, partitionMaxBytes: 65_536 }] }] }),
  },
  listOffsets: {
    args: { replicaId: -1, isolationLevel: 1, topics: [{ topic: 'events', partitions: [{ partition: 0, timestamp: 1_767_225_600_000 }] }] },
    expected: () => ({ replicaId: -1, topics: [{ name: 'events', partitions: [{ partitionIndex: 0, timestamp: 1_767_225_600_000 }] }] }),
  },
  metadata: {
    args: { topics: ['commands', 'events'], allowAutoTopicCreation: false },
    expected: (version) => ({ topics: ['commands', 'events'].map((name) => ({ name })), allowAutoTopicCreation: version < 4 }),
  },
  offsetCommit: {
    args: { groupId: 'group', groupGenerationId: 3, memberId: 'member', retentionTime: -1, topics: [{ topic: 'commands', partitions: [{ partition: 0, offset: '42', metadata: 'meta' }] }] },
    expected: () => ({ groupId: 'group', generationIdOrMemberEpoch: 3, memberId: 'member', topics: [{ name: 'commands', partitions: [{ partitionIndex: 0, committedOffset: 42, committedMetadata: 'meta' }] }] }),
  },
  offsetFetch: {
    args: { groupId: 'group', topics: [{ topic: 'commands', partitions: [{ partition: 0 }] }] },
    expected: () => ({ groupId: 'group', topics: [{ name: 'commands', partitionIndexes: [0] }] }),
  },
  findCoordinator: {
    args: { groupId: 'group', coordinatorKey: 'group', coordinatorType: 0 },
    expected: () => ({ key: 'group', keyType: 0 }),
  },
  joinGroup: {
    args: { groupId: 'group', sessionTimeout: 30_000, rebalanceTimeout: 60_000, memberId: '', groupInstanceId: null, protocolType: 'consumer', groupProtocols: [{ name: 'RoundRobinAssigner', metadata: ASSIGNMENT }] },
    expected: (version) => ({ groupId: 'group', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: version >= 1 ? 60_000 : -1, protocolType: 'consumer', protocols: [{ name: 'RoundRobinAssigner', metadata: ASSIGNMENT }] }),
  },
  heartbeat: {
    args: { groupId: 'group', groupGenerationId: 3, memberId: 'member', groupInstanceId: null },
    expected: () => ({ groupId: 'group', generationId: 3, memberId: 'member' }),
  },
  leaveGroup: {
    args: { groupId: 'group', memberId: 'member', members: [{ memberId: 'member' }] },
    expected: (version) => (version >= 3 ? { groupId: 'group', members: [{ memberId: 'member', groupInstanceId: null }] } : { groupId: 'group', memberId: 'member' }),
  },
  syncGroup: {
    args: { groupId: 'group', generationId: 3, memberId: 'member', groupInstanceId: null, groupAssignment: [{ memberId: 'member', memberAssignment: ASSIGNMENT }] },
    expected: () => ({ groupId: 'group', generationId: 3, memberId: 'member', assignments: [{ memberId: 'member', assignment: ASSIGNMENT }] }),
  },
  apiVersions: { args: {}, expected: () => ({}) },
};

function versionsOf(spec: MessageSpec): number[] {
  const range = parseVersions(spec.validVersions);
  return Array.from({ length: range.max - range.min + 1 }, (_, index) => range.min + index);
}

function encode(spec: MessageSpec, version: number, value: object): Buffer {
  const writer = new WireWriter();
  encodeMessage(compileMessage(spec), version, value, writer);
  return Buffer.concat(writer.finish()).subarray(4);
}

function decode(spec: MessageSpec, version: number, body: Buffer): Record<string, unknown> {
  return decodeMessage(compileMessage(spec), version, new WireReader(body));
}

/** Values `got` has for every key of `want` (recursively, arrays element-wise). */
function assertIncludes(got: unknown, want: unknown, path: string): void {
  if (Buffer.isBuffer(want)) return assert.ok(Buffer.isBuffer(got) && got.equals(want), path);
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got) && got.length === want.length, `${path}: length`);
    want.forEach((item, index) => assertIncludes((got as unknown[])[index], item, `${path}[${index}]`));
    return;
  }
  if (typeof want === 'object' && want !== null) {
    for (const [key, value] of Object.entries(want)) assertIncludes((got as Record<string, unknown>)[key], value, `${path}.${key}`);
    return;
  }
  assert.equal(got, want, path);
}

const RECORDS = (() => {
  const format = { layout: commandLayout(32), seqHeader: false };
  const target = Buffer.alloc(batchSizeBytesMax(3, format));
  return target.subarray(0, encodeBatch(target, makeCommands(7, 3), 3, format, 7));
})();

/** A value for every field of `fields` (in every version), distinct enough to be found again. */
function sample(fields: readonly FieldSpec[], counter: { next: number }): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const field of fields) {
    const scalar = (): unknown => {
      const n = counter.next++;
      switch (field.type.replace('[]', '')) {
        case 'bool':
          return true;
        case 'int8':
          return 1;
        case 'int16':
          return 300 + n;
        case 'int32':
          return 70_000 + n;
        case 'int64':
          return 5_000_000_000 + n;
        case 'uuid':
          return `0123456${n % 10}-89ab-cdef-0123-456789abcdef`;
        case 'string':
          return `${field.name}-${n}`;
        case 'bytes':
          return Buffer.from(`${field.name}-${n}`);
        default:
          return RECORDS;
      }
    };
    if (field.type === '[]struct') value[field.name] = [sample(field.fields!, counter), sample(field.fields!, counter)];
    else if (field.type.startsWith('[]')) value[field.name] = [scalar(), scalar()];
    else value[field.name] = scalar();
  }
  return value;
}

/** `value` restricted to the fields present in `version`. */
function project(fields: readonly FieldSpec[], version: number, value: Record<string, unknown>): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const field of fields) {
    if (!inRange(parseVersions(field.versions), version)) continue;
    const item = value[field.name];
    projected[field.name] = field.type === '[]struct' ? (item as Record<string, unknown>[]).map((each) => project(field.fields!, version, each)) : item;
  }
  return projected;
}

/** Every string and large number of `value` as text, to look for in another decoder's output. */
function markers(value: unknown, out: string[] = []): string[] {
  if (Buffer.isBuffer(value)) return out;
  if (Array.isArray(value)) value.forEach((item) => markers(item, out));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((item) => markers(item, out));
  else if (typeof value === 'string' && !value.includes('-89ab-')) out.push(value);
  else if (typeof value === 'number' && value >= 300) out.push(String(value));
  return out;
}

test('every request kafkajs encodes decodes here exactly, with its values', async () => {
  for (const [api, request] of APIS) {
    for (const version of versionsOf(request).filter((each) => each <= KAFKAJS_MAX_VERSION[api]!)) {
      const { args, expected } = KAFKAJS_REQUESTS[api]!;
      const body = await kafkajsBody(kafkajsRequest(api, version, args));
      assertIncludes(decode(request, version, body), expected(version), `${api} v${version}`);
    }
  }
});

test('every response encoded here decodes in kafkajs with every value', async () => {
  for (const [api, , response] of APIS) {
    for (const version of versionsOf(response).filter((each) => each <= KAFKAJS_MAX_VERSION[api]!)) {
      const value = project(response.fields, version, sample(response.fields, { next: 0 }));
      const decoded = JSON.stringify(await kafkajsResponse(api, version).decode(encode(response, version, value)));
      for (const marker of markers(value)) assert.ok(decoded.includes(marker), `${api} v${version}: kafkajs lost ${marker}`);
    }
  }
});

test('every advertised version of every message round-trips', () => {
  for (const [api, request, response] of APIS) {
    for (const spec of [request, response]) {
      for (const version of versionsOf(spec)) {
        const value = project(spec.fields, version, sample(spec.fields, { next: 0 }));
        assertIncludes(decode(spec, version, encode(spec, version, value)), value, `${api} ${spec.name} v${version}`);
      }
    }
  }
});

test('mutated requests fail only with KafkaWireError', () => {
  let state = 0x9e37_79b9;
  const next = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
  const bodies = APIS.flatMap(([, request]) => versionsOf(request).map((version) => ({ request, version, body: encode(request, version, sample(request.fields, { next: 0 })) })));
  let rejected = 0;
  for (let index = 0; index < MUTATIONS; index++) {
    const { request, version, body } = bodies[Math.floor(next() * bodies.length)]!;
    const mutant = next() < 0.5 ? Buffer.from(body.subarray(0, Math.floor(next() * body.length))) : Buffer.from(body);
    for (let flips = Math.floor(next() * 4); flips > 0 && mutant.length > 0; flips--) mutant[Math.floor(next() * mutant.length)] = Math.floor(next() * 256);
    try {
      decode(request, version, mutant);
    } catch (error) {
      assert.ok(error instanceof KafkaWireError, `${request.name} v${version}: ${String(error)}`);
      rejected++;
    }
  }
  assert.ok(rejected > MUTATIONS / 2, `most mutants are rejected (${rejected})`);
});
