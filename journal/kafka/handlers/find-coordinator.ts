// FindCoordinator: this node coordinates every consumer group. Transaction coordinators (key
// type 1) do not exist here: the journal is never written through Kafka.

import { compileMessage } from '../codec/message-codec.ts';
import { type ApiHandler, type EndpointContext, NODE_ID } from '../context.ts';
import { KafkaErrorCode } from '../error-codes.ts';
import { FIND_COORDINATOR_REQUEST, FIND_COORDINATOR_RESPONSE, type Coordinator, type FindCoordinatorRequest, type FindCoordinatorResponse } from '../schemas/find-coordinator.ts';

const GROUP_KEY_TYPE = 0;
const BATCHED_KEYS_FROM_VERSION = 4;

export function findCoordinatorHandler(context: EndpointContext): ApiHandler {
  const coordinatorFor = (key: string, keyType: number): Coordinator =>
    keyType === GROUP_KEY_TYPE
      ? { key, nodeId: NODE_ID, host: context.broker.host, port: context.broker.port, errorCode: KafkaErrorCode.none, errorMessage: null }
      : { key, nodeId: -1, host: '', port: -1, errorCode: KafkaErrorCode.coordinatorNotAvailable, errorMessage: 'only consumer-group coordinators exist here' };
  return {
    request: compileMessage(FIND_COORDINATOR_REQUEST),
    response: compileMessage(FIND_COORDINATOR_RESPONSE),
    handle(raw, info): FindCoordinatorResponse {
      const request = raw as unknown as FindCoordinatorRequest;
      const keys = info.version >= BATCHED_KEYS_FROM_VERSION ? request.coordinatorKeys : [request.key];
      const coordinators = keys.map((key) => coordinatorFor(key, request.keyType));
      const first = coordinators[0] ?? coordinatorFor('', request.keyType);
      return { throttleTimeMs: 0, errorCode: first.errorCode, errorMessage: first.errorMessage, nodeId: first.nodeId, host: first.host, port: first.port, coordinators };
    },
  };
}
