// The APIs the endpoint advertises, each at exactly the version range its message definitions
// cover (clients pick the highest version both sides support, so every version in a range is
// implemented). Anything else closes the connection, except ApiVersions (KIP-511).

import type { ApiHandler, EndpointContext } from './context.ts';
import { API_VERSIONS_KEY } from './codec/request-header.ts';
import { apiVersionsHandler } from './handlers/api-versions.ts';
import { fetchHandler } from './handlers/fetch.ts';
import { findCoordinatorHandler } from './handlers/find-coordinator.ts';
import { heartbeatHandler, joinGroupHandler, leaveGroupHandler, syncGroupHandler } from './handlers/groups.ts';
import { listOffsetsHandler } from './handlers/list-offsets.ts';
import { metadataHandler } from './handlers/metadata.ts';
import { offsetCommitHandler, offsetFetchHandler } from './handlers/offsets.ts';
import { produceHandler } from './handlers/produce.ts';
import type { ApiVersionRange } from './schemas/api-versions.ts';

export function advertisedRanges(table: ReadonlyMap<number, ApiHandler>): ApiVersionRange[] {
  return [...table.values()].map((handler) => ({
    apiKey: handler.request.apiKey,
    minVersion: handler.request.versions.min,
    maxVersion: handler.request.versions.max,
  }));
}

export function buildApiTable(context: EndpointContext): ReadonlyMap<number, ApiHandler> {
  const table = new Map<number, ApiHandler>();
  const handlers = [
    produceHandler(),
    fetchHandler(context),
    listOffsetsHandler(context),
    metadataHandler(context),
    offsetCommitHandler(context),
    offsetFetchHandler(context),
    findCoordinatorHandler(context),
    joinGroupHandler(context),
    heartbeatHandler(context),
    leaveGroupHandler(context),
    syncGroupHandler(context),
    apiVersionsHandler(() => advertisedRanges(table)),
  ];
  for (const handler of handlers) {
    const { request, response } = handler;
    if (request.apiKey !== response.apiKey || request.versions.min !== response.versions.min || request.versions.max !== response.versions.max) {
      throw new Error(`${request.name} and ${response.name} disagree on key or versions`);
    }
    table.set(request.apiKey, handler);
  }
  if (!table.has(API_VERSIONS_KEY)) throw new Error('ApiVersions missing');
  return table;
}
