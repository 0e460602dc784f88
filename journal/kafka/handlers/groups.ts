// JoinGroup, SyncGroup, Heartbeat and LeaveGroup: thin adapters from the wire messages to the
// GroupCoordinator.

import { compileMessage } from '../codec/message-codec.ts';
import type { ApiHandler, EndpointContext } from '../context.ts';
import { HEARTBEAT_REQUEST, HEARTBEAT_RESPONSE, type HeartbeatRequest, type HeartbeatResponse } from '../schemas/heartbeat.ts';
import { JOIN_GROUP_REQUEST, JOIN_GROUP_RESPONSE, type JoinGroupRequest } from '../schemas/join-group.ts';
import { LEAVE_GROUP_REQUEST, LEAVE_GROUP_RESPONSE, type LeaveGroupRequest, type LeaveGroupResponse } from '../schemas/leave-group.ts';
import { SYNC_GROUP_REQUEST, SYNC_GROUP_RESPONSE, type SyncGroupRequest } from '../schemas/sync-group.ts';

const BATCHED_MEMBERS_FROM_VERSION = 3;
const CLIENT_ID_UNKNOWN = 'consumer';

export function joinGroupHandler(context: EndpointContext): ApiHandler {
  return {
    request: compileMessage(JOIN_GROUP_REQUEST),
    response: compileMessage(JOIN_GROUP_RESPONSE),
    handle: (raw, info) => context.coordinator.join(raw as unknown as JoinGroupRequest, info.clientId || CLIENT_ID_UNKNOWN),
  };
}

export function syncGroupHandler(context: EndpointContext): ApiHandler {
  return {
    request: compileMessage(SYNC_GROUP_REQUEST),
    response: compileMessage(SYNC_GROUP_RESPONSE),
    handle: (raw) => context.coordinator.sync(raw as unknown as SyncGroupRequest),
  };
}

export function heartbeatHandler(context: EndpointContext): ApiHandler {
  return {
    request: compileMessage(HEARTBEAT_REQUEST),
    response: compileMessage(HEARTBEAT_RESPONSE),
    handle(raw): HeartbeatResponse {
      const request = raw as unknown as HeartbeatRequest;
      return { throttleTimeMs: 0, errorCode: context.coordinator.heartbeat(request.groupId, request.memberId, request.generationId) };
    },
  };
}

export function leaveGroupHandler(context: EndpointContext): ApiHandler {
  return {
    request: compileMessage(LEAVE_GROUP_REQUEST),
    response: compileMessage(LEAVE_GROUP_RESPONSE),
    handle(raw, info): LeaveGroupResponse {
      const request = raw as unknown as LeaveGroupRequest;
      if (info.version < BATCHED_MEMBERS_FROM_VERSION) {
        return { throttleTimeMs: 0, errorCode: context.coordinator.leave(request.groupId, request.memberId), members: [] };
      }
      const members = request.members.map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        errorCode: context.coordinator.leave(request.groupId, member.memberId),
      }));
      return { throttleTimeMs: 0, errorCode: 0, members };
    },
  };
}
