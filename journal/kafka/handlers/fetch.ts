// Fetch: whole journal batches from the requested offset, file bytes unchanged, below the high
// watermark only (durable data). With less than MinBytes available the fetch parks until the log
// advances or MaxWaitMs passes (capped), and is then answered with whatever is there, on time
// (kafkajs gives up at MaxWait + 100 ms). No fetch sessions: SessionId 0 means "full fetch".

import { compileMessage } from '../codec/message-codec.ts';
import { type ApiHandler, type EndpointContext, topicNameOfId } from '../context.ts';
import { KafkaErrorCode } from '../error-codes.ts';
import { FETCH_MAX_WAIT_MS_MAX, FETCH_RESPONSE_BYTES_MAX } from '../limits.ts';
import { LogReadError, type TopicLog } from '../log/topic-log.ts';
import { FETCH_REQUEST, FETCH_RESPONSE, type FetchRequest, type FetchResponse, type FetchResponsePartition, type FetchResponseTopic } from '../schemas/fetch.ts';

const TOPIC_IDS_FROM_VERSION = 13;
const NO_RECORDS = Buffer.alloc(0);
/** The only partition of every topic. */
const PARTITION = 0;

interface Collected {
  readonly responses: FetchResponseTopic[];
  readonly bytes: number;
  readonly hasError: boolean;
}

function partitionResponse(partitionIndex: number, errorCode: number, log: TopicLog | undefined, records: Buffer): FetchResponsePartition {
  const highWatermark = log?.highWatermark ?? -1;
  return {
    partitionIndex,
    errorCode,
    highWatermark,
    lastStableOffset: highWatermark,
    logStartOffset: log?.logStartOffset ?? -1,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records,
  };
}

async function collect(context: EndpointContext, request: FetchRequest, version: number): Promise<Collected> {
  const responses: FetchResponseTopic[] = [];
  let bytes = 0;
  let hasError = false;
  let remainingBytes = Math.min(request.maxBytes, FETCH_RESPONSE_BYTES_MAX);
  for (const topic of request.topics) {
    const byId = version >= TOPIC_IDS_FROM_VERSION;
    const name = byId ? topicNameOfId(context, topic.topicId) : topic.topic;
    const log = name === undefined ? undefined : context.topics.topic(name);
    const partitions: FetchResponsePartition[] = [];
    for (const partition of topic.partitions) {
      const unknownCode = byId && log === undefined ? KafkaErrorCode.unknownTopicId : KafkaErrorCode.unknownTopicOrPartition;
      if (log === undefined || partition.partition !== PARTITION) {
        partitions.push(partitionResponse(partition.partition, unknownCode, undefined, NO_RECORDS));
        hasError = true;
        continue;
      }
      const offset = partition.fetchOffset;
      if (offset < log.logStartOffset || offset > log.highWatermark) {
        partitions.push(partitionResponse(partition.partition, KafkaErrorCode.offsetOutOfRange, log, NO_RECORDS));
        hasError = true;
        continue;
      }
      const limitBytes = Math.max(0, Math.min(partition.partitionMaxBytes, remainingBytes));
      let records: Buffer;
      try {
        records = await log.read(offset, limitBytes, bytes === 0);
      } catch (error) {
        // The segment was cut or replaced under the read (a restart rewrote it): retriable.
        if (!(error instanceof LogReadError)) throw error;
        partitions.push(partitionResponse(partition.partition, KafkaErrorCode.kafkaStorageError, log, NO_RECORDS));
        hasError = true;
        continue;
      }
      bytes += records.length;
      remainingBytes -= records.length;
      partitions.push(partitionResponse(partition.partition, KafkaErrorCode.none, log, records));
    }
    responses.push({ topic: name ?? topic.topic, topicId: topic.topicId, partitions });
  }
  return { responses, bytes, hasError };
}

/** The high watermarks of the requested topics: a change means there may be more to send. */
function watermarks(context: EndpointContext, request: FetchRequest, version: number): string {
  return request.topics
    .map((topic) => {
      const name = version >= TOPIC_IDS_FROM_VERSION ? topicNameOfId(context, topic.topicId) : topic.topic;
      return name === undefined ? -1 : (context.topics.topic(name)?.highWatermark ?? -1);
    })
    .join();
}

export function fetchHandler(context: EndpointContext): ApiHandler {
  return {
    request: compileMessage(FETCH_REQUEST),
    response: compileMessage(FETCH_RESPONSE),
    async handle(raw, info): Promise<FetchResponse> {
      const request = raw as unknown as FetchRequest;
      const respond = (collected: Collected, errorCode: number = KafkaErrorCode.none): FetchResponse => ({
        throttleTimeMs: 0,
        errorCode,
        sessionId: 0,
        responses: collected.responses,
      });
      // The endpoint never creates fetch sessions, so a client naming one has the wrong server state.
      if (request.sessionId !== 0) return respond({ responses: [], bytes: 0, hasError: true }, KafkaErrorCode.fetchSessionIdNotFound);
      const deadlineMs = performance.now() + Math.min(Math.max(request.maxWaitMs, 0), FETCH_MAX_WAIT_MS_MAX);
      const minBytes = Math.max(request.minBytes, 1);
      for (;;) {
        const marker = watermarks(context, request, info.version);
        const collected = await collect(context, request, info.version);
        const waitMs = deadlineMs - performance.now();
        if (collected.bytes >= minBytes || collected.hasError || waitMs <= 0) return respond(collected);
        const outcome = await context.parked.wait(() => watermarks(context, request, info.version) !== marker, waitMs, info.connection);
        if (outcome !== 'ready') return respond(await collect(context, request, info.version));
      }
    },
  };
}
