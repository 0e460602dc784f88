// ApiVersions: the advertised range of every API. A version above ours gets Kafka's KIP-511
// answer (error UNSUPPORTED_VERSION in the v0 format, with our ranges) so clients can retry lower.

import { compileMessage } from '../codec/message-codec.ts';
import type { ApiHandler } from '../context.ts';
import { KafkaErrorCode } from '../error-codes.ts';
import { API_VERSIONS_REQUEST, API_VERSIONS_RESPONSE, type ApiVersionRange, type ApiVersionsResponse } from '../schemas/api-versions.ts';

export function apiVersionsBody(errorCode: number, ranges: readonly ApiVersionRange[]): ApiVersionsResponse {
  return { errorCode, apiKeys: ranges, throttleTimeMs: 0 };
}

export function apiVersionsHandler(ranges: () => readonly ApiVersionRange[]): ApiHandler {
  return {
    request: compileMessage(API_VERSIONS_REQUEST),
    response: compileMessage(API_VERSIONS_RESPONSE),
    handle: () => apiVersionsBody(KafkaErrorCode.none, ranges()),
  };
}
