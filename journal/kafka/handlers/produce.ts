// Produce: advertised (librdkafka needs Produce >= 3 listed before it fetches record batches v2)
// and refused: every partition gets TOPIC_AUTHORIZATION_FAILED with a message saying why.
// acks=0 requests take no response, as in Kafka.

import { compileMessage } from '../codec/message-codec.ts';
import type { ApiHandler } from '../context.ts';
import { KafkaErrorCode } from '../error-codes.ts';
import { PRODUCE_REQUEST, PRODUCE_RESPONSE, type ProduceRequest, type ProduceResponse } from '../schemas/produce.ts';

const PRODUCE_REFUSED_MESSAGE = 'this endpoint serves the exchange journal read-only; Produce is refused';

export function produceHandler(): ApiHandler {
  return {
    request: compileMessage(PRODUCE_REQUEST),
    response: compileMessage(PRODUCE_RESPONSE),
    handle(raw): ProduceResponse | null {
      const request = raw as unknown as ProduceRequest;
      if (request.acks === 0) return null;
      return {
        responses: request.topicData.map((topic) => ({
          name: topic.name,
          partitionResponses: topic.partitionData.map((partition) => ({
            index: partition.index,
            errorCode: KafkaErrorCode.topicAuthorizationFailed,
            baseOffset: -1,
            logAppendTimeMs: -1,
            logStartOffset: -1,
            recordErrors: [],
            errorMessage: PRODUCE_REFUSED_MESSAGE,
          })),
        })),
        throttleTimeMs: 0,
      };
    },
  };
}
