// ListOffsets: -2 = log start, -1 = high watermark (durable end), -3 (v7+) = the record with the
// largest timestamp, any other time T = the first record whose timestamp is >= T (-1 if none).

import { compileMessage } from '../codec/message-codec.ts';
import { type ApiHandler, type EndpointContext, LEADER_EPOCH } from '../context.ts';
import { KafkaErrorCode } from '../error-codes.ts';
import type { TopicLog } from '../log/topic-log.ts';
import { LIST_OFFSETS_REQUEST, LIST_OFFSETS_RESPONSE, type ListOffsetsRequest, type ListOffsetsResponse, type ListOffsetsResponsePartition } from '../schemas/list-offsets.ts';

const LATEST_TIMESTAMP = -1;
const EARLIEST_TIMESTAMP = -2;
const MAX_TIMESTAMP = -3;
const UNKNOWN = -1;

async function lookUp(log: TopicLog, timestampMs: number): Promise<{ offset: number; timestampMs: number }> {
  if (timestampMs === EARLIEST_TIMESTAMP) return { offset: log.logStartOffset, timestampMs: UNKNOWN };
  if (timestampMs === LATEST_TIMESTAMP) return { offset: log.highWatermark, timestampMs: UNKNOWN };
  const target = timestampMs === MAX_TIMESTAMP ? log.maxTimestampMs : timestampMs;
  if (target < 0) return { offset: UNKNOWN, timestampMs: UNKNOWN };
  return (await log.offsetForTimestamp(target)) ?? { offset: UNKNOWN, timestampMs: UNKNOWN };
}

export function listOffsetsHandler(context: EndpointContext): ApiHandler {
  return {
    request: compileMessage(LIST_OFFSETS_REQUEST),
    response: compileMessage(LIST_OFFSETS_RESPONSE),
    async handle(raw): Promise<ListOffsetsResponse> {
      const request = raw as unknown as ListOffsetsRequest;
      const topics = [];
      for (const topic of request.topics) {
        const log = context.topics.topic(topic.name);
        const partitions: ListOffsetsResponsePartition[] = [];
        for (const partition of topic.partitions) {
          if (log === undefined || partition.partitionIndex !== 0) {
            partitions.push({ partitionIndex: partition.partitionIndex, errorCode: KafkaErrorCode.unknownTopicOrPartition, timestamp: UNKNOWN, offset: UNKNOWN, leaderEpoch: UNKNOWN });
            continue;
          }
          const found = await lookUp(log, partition.timestamp);
          partitions.push({ partitionIndex: 0, errorCode: KafkaErrorCode.none, timestamp: found.timestampMs, offset: found.offset, leaderEpoch: LEADER_EPOCH });
        }
        topics.push({ name: topic.name, partitions });
      }
      return { throttleTimeMs: 0, topics };
    },
  };
}
