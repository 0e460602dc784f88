// What every request handler may use, and the shape of a handler: it receives the decoded
// request and answers with the response object (encoded by the connection), or null when the
// request takes no response (Produce with acks=0).

import type { CompiledMessage } from './codec/message-codec.ts';
import type { EndpointLog } from './endpoint-log.ts';
import type { GroupCoordinator } from './groups/group-coordinator.ts';
import type { EndpointIdentity } from './groups/identity.ts';
import type { OffsetStore } from './groups/offset-store.ts';
import type { JournalTopics } from './log/journal-topics.ts';
import type { CloseHooks, ParkedFetches } from './parked-fetches.ts';

/** The endpoint is a one-node cluster: this node leads every partition and coordinates every group. */
export const NODE_ID = 0;
/** No partition leader ever changes, so every epoch is 0 (batches carry 0 too). */
export const LEADER_EPOCH = 0;

export interface BrokerAddress {
  readonly host: string;
  readonly port: number;
}

export interface EndpointContext {
  readonly topics: JournalTopics;
  readonly identity: EndpointIdentity;
  /** What Metadata and FindCoordinator advertise: clients connect there. */
  readonly broker: BrokerAddress;
  readonly coordinator: GroupCoordinator;
  readonly offsets: OffsetStore;
  readonly parked: ParkedFetches;
  readonly log: EndpointLog;
}

export interface RequestInfo {
  readonly version: number;
  readonly clientId: string | null;
  readonly connection: CloseHooks;
}

export type HandlerResult = object | null;

export interface ApiHandler {
  readonly request: CompiledMessage;
  readonly response: CompiledMessage;
  handle(request: Record<string, unknown>, info: RequestInfo): HandlerResult | Promise<HandlerResult>;
}

/** Topic name for a topic id (Fetch v13+), or undefined. */
export function topicNameOfId(context: EndpointContext, topicId: string): string | undefined {
  for (const [name, id] of Object.entries(context.identity.topicIds)) if (id === topicId) return name;
  return undefined;
}
