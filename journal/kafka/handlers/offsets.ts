// OffsetCommit and OffsetFetch: commits are checked against the group's generation, then made
// durable (fdatasync) before the answer; fetches return what is durable (-1 when nothing is).

import { compileMessage } from '../codec/message-codec.ts';
import type { ApiHandler, EndpointContext } from '../context.ts';
import { KafkaErrorCode } from '../error-codes.ts';
import type { OffsetCommitEntry } from '../groups/offset-store.ts';
import { OFFSET_GROUPS_MAX, OFFSET_METADATA_SIZE_BYTES_MAX } from '../limits.ts';
import { OFFSET_COMMIT_REQUEST, OFFSET_COMMIT_RESPONSE, type OffsetCommitRequest, type OffsetCommitResponse } from '../schemas/offset-commit.ts';
import {
  OFFSET_FETCH_REQUEST,
  OFFSET_FETCH_RESPONSE,
  type OffsetFetchRequest,
  type OffsetFetchRequestTopic,
  type OffsetFetchResponse,
  type OffsetFetchResponseTopic,
} from '../schemas/offset-fetch.ts';

const BATCHED_GROUPS_FROM_VERSION = 8;
const NO_OFFSET = -1;

export function offsetCommitHandler(context: EndpointContext): ApiHandler {
  return {
    request: compileMessage(OFFSET_COMMIT_REQUEST),
    response: compileMessage(OFFSET_COMMIT_RESPONSE),
    async handle(raw): Promise<OffsetCommitResponse> {
      const request = raw as unknown as OffsetCommitRequest;
      const { groupId } = request;
      let groupError: number = context.coordinator.checkCommit(groupId, request.memberId, request.generationIdOrMemberEpoch);
      if (groupError === KafkaErrorCode.none && context.offsets.groupCount >= OFFSET_GROUPS_MAX && context.offsets.list(groupId).length === 0) {
        groupError = KafkaErrorCode.coordinatorNotAvailable;
      }
      const entries: OffsetCommitEntry[] = [];
      const codes = request.topics.map((topic) =>
        topic.partitions.map((partition) => {
          if (groupError !== KafkaErrorCode.none) return groupError;
          if (context.topics.topic(topic.name) === undefined || partition.partitionIndex !== 0) return KafkaErrorCode.unknownTopicOrPartition;
          if (Buffer.byteLength(partition.committedMetadata ?? '') > OFFSET_METADATA_SIZE_BYTES_MAX) return KafkaErrorCode.offsetMetadataTooLarge;
          entries.push({ groupId, topic: topic.name, partition: 0, offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch, metadata: partition.committedMetadata });
          return KafkaErrorCode.none;
        }),
      );
      let storeError: number = KafkaErrorCode.none;
      try {
        await context.offsets.commit(entries);
      } catch (error) {
        context.log.error({ err: error, groupId }, 'committing offsets failed');
        storeError = KafkaErrorCode.coordinatorNotAvailable;
      }
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((topic, topicIndex) => ({
          name: topic.name,
          partitions: topic.partitions.map((partition, partitionIndex) => {
            const code = codes[topicIndex]![partitionIndex]!;
            return { partitionIndex: partition.partitionIndex, errorCode: code === KafkaErrorCode.none ? storeError : code };
          }),
        })),
      };
    },
  };
}

function fetchTopics(context: EndpointContext, groupId: string, topics: readonly OffsetFetchRequestTopic[] | null): OffsetFetchResponseTopic[] {
  const requested = topics ?? groupTopics(context, groupId);
  return requested.map((topic) => ({
    name: topic.name,
    partitions: topic.partitionIndexes.map((partitionIndex) => {
      const committed = context.offsets.get(groupId, topic.name, partitionIndex);
      return {
        partitionIndex,
        committedOffset: committed?.offset ?? NO_OFFSET,
        committedLeaderEpoch: committed?.leaderEpoch ?? -1,
        metadata: committed?.metadata ?? '',
        errorCode: KafkaErrorCode.none,
      };
    }),
  }));
}

/** Every topic and partition the group has committed offsets for (a null topic list asks for all). */
function groupTopics(context: EndpointContext, groupId: string): OffsetFetchRequestTopic[] {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of context.offsets.list(groupId)) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
}

export function offsetFetchHandler(context: EndpointContext): ApiHandler {
  return {
    request: compileMessage(OFFSET_FETCH_REQUEST),
    response: compileMessage(OFFSET_FETCH_RESPONSE),
    handle(raw, info): OffsetFetchResponse {
      const request = raw as unknown as OffsetFetchRequest;
      if (info.version < BATCHED_GROUPS_FROM_VERSION) {
        return { throttleTimeMs: 0, topics: fetchTopics(context, request.groupId, request.topics), errorCode: KafkaErrorCode.none, groups: [] };
      }
      const groups = request.groups.map((group) => ({ groupId: group.groupId, topics: fetchTopics(context, group.groupId, group.topics), errorCode: KafkaErrorCode.none }));
      return { throttleTimeMs: 0, topics: [], errorCode: KafkaErrorCode.none, groups };
    },
  };
}
