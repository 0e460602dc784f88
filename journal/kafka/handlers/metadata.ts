// Metadata: one broker (this endpoint, at its advertised address), topics `commands` and
// `events` with one partition each, led by this node at epoch 0. Topics are never auto-created.

import { compileMessage } from '../codec/message-codec.ts';
import { type ApiHandler, type EndpointContext, LEADER_EPOCH, NODE_ID, topicNameOfId } from '../context.ts';
import { KafkaErrorCode } from '../error-codes.ts';
import { TOPIC_NAMES } from '../log/journal-topics.ts';
import { METADATA_REQUEST, METADATA_RESPONSE, type MetadataRequest, type MetadataResponse, type MetadataResponseTopic } from '../schemas/metadata.ts';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
/** Kafka's "authorized operations not requested" value. */
const OPERATIONS_UNKNOWN = -2147483648;
/** Before v1 an empty topic list means every topic; from v1 that is a null list. */
const NULL_MEANS_ALL_FROM_VERSION = 1;

function topicMetadata(context: EndpointContext, name: string | null, topicId: string): MetadataResponseTopic {
  const resolved = name ?? topicNameOfId(context, topicId);
  const known = resolved !== undefined && context.topics.topic(resolved) !== undefined;
  if (!known) {
    const errorCode = name === null ? KafkaErrorCode.unknownTopicId : KafkaErrorCode.unknownTopicOrPartition;
    return { errorCode, name, topicId, isInternal: false, partitions: [], topicAuthorizedOperations: OPERATIONS_UNKNOWN };
  }
  return {
    errorCode: KafkaErrorCode.none,
    name: resolved,
    topicId: context.identity.topicIds[resolved] ?? ZERO_UUID,
    isInternal: false,
    partitions: [
      { errorCode: KafkaErrorCode.none, partitionIndex: 0, leaderId: NODE_ID, leaderEpoch: LEADER_EPOCH, replicaNodes: [NODE_ID], isrNodes: [NODE_ID], offlineReplicas: [] },
    ],
    topicAuthorizedOperations: OPERATIONS_UNKNOWN,
  };
}

export function metadataHandler(context: EndpointContext): ApiHandler {
  return {
    request: compileMessage(METADATA_REQUEST),
    response: compileMessage(METADATA_RESPONSE),
    handle(raw, info): MetadataResponse {
      const request = raw as unknown as MetadataRequest;
      const all = request.topics === null || (info.version < NULL_MEANS_ALL_FROM_VERSION && request.topics.length === 0);
      const topics = all
        ? TOPIC_NAMES.map((name) => topicMetadata(context, name, ZERO_UUID))
        : (request.topics ?? []).map((topic) => topicMetadata(context, topic.name, topic.topicId));
      return {
        throttleTimeMs: 0,
        brokers: [{ nodeId: NODE_ID, host: context.broker.host, port: context.broker.port, rack: null }],
        clusterId: context.identity.clusterId,
        controllerId: NODE_ID,
        topics,
        clusterAuthorizedOperations: OPERATIONS_UNKNOWN,
      };
    },
  };
}
