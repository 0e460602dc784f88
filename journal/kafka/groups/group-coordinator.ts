// A classic (pre-KIP-848) consumer-group coordinator for one node: JoinGroup waits until every
// known member has (re)joined or the rebalance timeout passes, then bumps the generation, elects
// the leader (the previous one if still there) and picks a protocol all members support;
// SyncGroup hands out the leader's assignment; heartbeats keep sessions alive and announce
// rebalances (REBALANCE_IN_PROGRESS); members whose session expires, or who leave, start a
// rebalance. Offsets are validated against the generation and stored in the OffsetStore.

import { randomUUID } from 'node:crypto';
import { KafkaErrorCode } from '../error-codes.ts';
import { GROUP_MEMBERS_MAX, GROUPS_MAX, SESSION_SWEEP_INTERVAL_MS, SESSION_TIMEOUT_MS_MAX, SESSION_TIMEOUT_MS_MIN } from '../limits.ts';
import type { JoinGroupProtocol, JoinGroupRequest, JoinGroupResponse } from '../schemas/join-group.ts';
import type { SyncGroupRequest, SyncGroupResponse } from '../schemas/sync-group.ts';

type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

interface Member {
  readonly memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: readonly JoinGroupProtocol[];
  assignment: Buffer;
  lastSeenMs: number;
  joinWaiter: ((response: JoinGroupResponse) => void) | null;
  syncWaiter: ((response: SyncGroupResponse) => void) | null;
}

interface Group {
  readonly groupId: string;
  state: GroupState;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null;
  readonly members: Map<string, Member>;
  rebalanceTimer: NodeJS.Timeout | null;
}


const EMPTY_ASSIGNMENT = Buffer.alloc(0);

function joinError(errorCode: number, memberId: string): JoinGroupResponse {
  return { throttleTimeMs: 0, errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] };
}

function syncResponse(errorCode: number, group: Group | null, assignment: Buffer): SyncGroupResponse {
  return { throttleTimeMs: 0, errorCode, protocolType: group?.protocolType ?? null, protocolName: group?.protocolName ?? null, assignment };
}

export class GroupCoordinator {
  readonly #groups = new Map<string, Group>();
  readonly #nowMs: () => number;
  readonly #sweepTimer: NodeJS.Timeout;

  constructor(nowMs: () => number = Date.now) {
    this.#nowMs = nowMs;
    this.#sweepTimer = setInterval(() => this.#expireSessions(), SESSION_SWEEP_INTERVAL_MS);
    this.#sweepTimer.unref();
  }

  join(request: JoinGroupRequest, clientId: string): Promise<JoinGroupResponse> | JoinGroupResponse {
    const { groupId, sessionTimeoutMs } = request;
    if (groupId === '') return joinError(KafkaErrorCode.invalidGroupId, request.memberId);
    if (sessionTimeoutMs < SESSION_TIMEOUT_MS_MIN || sessionTimeoutMs > SESSION_TIMEOUT_MS_MAX) {
      return joinError(KafkaErrorCode.invalidSessionTimeout, request.memberId);
    }
    if (request.protocols.length === 0 || request.protocolType === '') return joinError(KafkaErrorCode.inconsistentGroupProtocol, request.memberId);
    let group = this.#groups.get(groupId);
    if (group === undefined) {
      if (this.#groups.size >= GROUPS_MAX) return joinError(KafkaErrorCode.coordinatorNotAvailable, request.memberId);
      group = { groupId, state: 'Empty', generationId: 0, protocolType: null, protocolName: null, leaderId: null, members: new Map(), rebalanceTimer: null };
      this.#groups.set(groupId, group);
    }
    let member = request.memberId === '' ? undefined : group.members.get(request.memberId);
    if (request.memberId !== '' && member === undefined) return joinError(KafkaErrorCode.unknownMemberId, request.memberId);
    if (member === undefined && group.members.size >= GROUP_MEMBERS_MAX) return joinError(KafkaErrorCode.groupMaxSizeReached, request.memberId);
    if (!this.#compatible(group, member, request)) return joinError(KafkaErrorCode.inconsistentGroupProtocol, request.memberId);
    if (member === undefined) {
      member = {
        memberId: `${clientId}-${randomUUID()}`,
        groupInstanceId: null,
        sessionTimeoutMs,
        rebalanceTimeoutMs: 0,
        protocols: [],
        assignment: EMPTY_ASSIGNMENT,
        lastSeenMs: 0,
        joinWaiter: null,
        syncWaiter: null,
      };
      group.members.set(member.memberId, member);
    }
    member.groupInstanceId = request.groupInstanceId;
    member.sessionTimeoutMs = sessionTimeoutMs;
    // JoinGroup v0 has no rebalance timeout; Kafka uses the session timeout for it.
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs < 0 ? sessionTimeoutMs : request.rebalanceTimeoutMs;
    member.protocols = request.protocols;
    member.lastSeenMs = this.#nowMs();
    group.protocolType = request.protocolType;
    // A second JoinGroup from the same member replaces the first, which is told to rejoin.
    member.joinWaiter?.(joinError(KafkaErrorCode.rebalanceInProgress, member.memberId));
    const joining = member;
    const joined = group;
    return new Promise((resolve) => {
      joining.joinWaiter = resolve;
      this.#prepareRebalance(joined);
      this.#completeJoinIfAllJoined(joined);
    });
  }

  sync(request: SyncGroupRequest): Promise<SyncGroupResponse> | SyncGroupResponse {
    const group = this.#groups.get(request.groupId);
    const member = group?.members.get(request.memberId);
    if (group === undefined || member === undefined) return syncResponse(KafkaErrorCode.unknownMemberId, null, EMPTY_ASSIGNMENT);
    if (request.generationId !== group.generationId) return syncResponse(KafkaErrorCode.illegalGeneration, null, EMPTY_ASSIGNMENT);
    if ((request.protocolType !== null && request.protocolType !== group.protocolType) || (request.protocolName !== null && request.protocolName !== group.protocolName)) {
      return syncResponse(KafkaErrorCode.inconsistentGroupProtocol, null, EMPTY_ASSIGNMENT);
    }
    member.lastSeenMs = this.#nowMs();
    switch (group.state) {
      case 'Empty':
      case 'PreparingRebalance':
        return syncResponse(KafkaErrorCode.rebalanceInProgress, null, EMPTY_ASSIGNMENT);
      case 'Stable':
        return syncResponse(KafkaErrorCode.none, group, member.assignment);
      case 'CompletingRebalance':
        if (member.memberId === group.leaderId) {
          const assignments = new Map(request.assignments.map((entry) => [entry.memberId, entry.assignment]));
          for (const each of group.members.values()) each.assignment = Buffer.from(assignments.get(each.memberId) ?? EMPTY_ASSIGNMENT);
          group.state = 'Stable';
          for (const each of group.members.values()) {
            each.syncWaiter?.(syncResponse(KafkaErrorCode.none, group, each.assignment));
            each.syncWaiter = null;
          }
          return syncResponse(KafkaErrorCode.none, group, member.assignment);
        }
        return new Promise((resolve) => {
          member.syncWaiter?.(syncResponse(KafkaErrorCode.rebalanceInProgress, null, EMPTY_ASSIGNMENT));
          member.syncWaiter = resolve;
        });
    }
  }

  heartbeat(groupId: string, memberId: string, generationId: number): number {
    const group = this.#groups.get(groupId);
    const member = group?.members.get(memberId);
    if (group === undefined || member === undefined) return KafkaErrorCode.unknownMemberId;
    if (generationId !== group.generationId) return KafkaErrorCode.illegalGeneration;
    member.lastSeenMs = this.#nowMs();
    return group.state === 'PreparingRebalance' ? KafkaErrorCode.rebalanceInProgress : KafkaErrorCode.none;
  }

  /** Removes `memberId` from the group; returns its error code. */
  leave(groupId: string, memberId: string): number {
    const group = this.#groups.get(groupId);
    const member = group?.members.get(memberId);
    if (group === undefined || member === undefined) return KafkaErrorCode.unknownMemberId;
    this.#remove(group, member);
    return KafkaErrorCode.none;
  }

  /**
   * May this commit go through? Commits from outside any group (generation -1, no member id) are
   * allowed while the group has no members; otherwise the member and its generation must be current.
   */
  checkCommit(groupId: string, memberId: string, generationId: number): number {
    const group = this.#groups.get(groupId);
    if (generationId < 0 && memberId === '') {
      return group === undefined || group.state === 'Empty' ? KafkaErrorCode.none : KafkaErrorCode.unknownMemberId;
    }
    const member = group?.members.get(memberId);
    if (group === undefined || member === undefined) return KafkaErrorCode.unknownMemberId;
    if (generationId !== group.generationId) return KafkaErrorCode.illegalGeneration;
    if (group.state === 'CompletingRebalance') return KafkaErrorCode.rebalanceInProgress;
    member.lastSeenMs = this.#nowMs();
    return KafkaErrorCode.none;
  }

  close(): void {
    clearInterval(this.#sweepTimer);
    for (const group of this.#groups.values()) {
      if (group.rebalanceTimer !== null) clearTimeout(group.rebalanceTimer);
      for (const member of group.members.values()) {
        member.joinWaiter?.(joinError(KafkaErrorCode.coordinatorNotAvailable, member.memberId));
        member.syncWaiter?.(syncResponse(KafkaErrorCode.coordinatorNotAvailable, null, EMPTY_ASSIGNMENT));
      }
    }
    this.#groups.clear();
  }

  /** Same protocol type, and at least one protocol every member (this one included) supports. */
  #compatible(group: Group, member: Member | undefined, request: JoinGroupRequest): boolean {
    const others = [...group.members.values()].filter((each) => each !== member);
    if (others.length === 0) return true;
    if (group.protocolType !== request.protocolType) return false;
    return request.protocols.some((protocol) => others.every((each) => each.protocols.some((candidate) => candidate.name === protocol.name)));
  }

  #prepareRebalance(group: Group): void {
    if (group.state === 'PreparingRebalance') return;
    for (const member of group.members.values()) {
      member.syncWaiter?.(syncResponse(KafkaErrorCode.rebalanceInProgress, null, EMPTY_ASSIGNMENT));
      member.syncWaiter = null;
    }
    group.state = 'PreparingRebalance';
    let timeoutMs = 0;
    for (const member of group.members.values()) timeoutMs = Math.max(timeoutMs, member.rebalanceTimeoutMs);
    group.rebalanceTimer = setTimeout(() => this.#completeJoin(group), timeoutMs);
  }

  #completeJoinIfAllJoined(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    for (const member of group.members.values()) if (member.joinWaiter === null) return;
    this.#completeJoin(group);
  }

  #completeJoin(group: Group): void {
    if (group.rebalanceTimer !== null) clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = null;
    // Members that did not rejoin within the rebalance timeout are out.
    for (const member of [...group.members.values()]) if (member.joinWaiter === null) group.members.delete(member.memberId);
    group.generationId++;
    const members = [...group.members.values()];
    const leader = (group.leaderId !== null ? group.members.get(group.leaderId) : undefined) ?? members[0];
    if (leader === undefined) {
      this.#becomeEmpty(group);
      return;
    }
    group.leaderId = leader.memberId;
    // The leader's most preferred protocol that every member supports.
    const protocolName = leader.protocols.find((protocol) => members.every((each) => each.protocols.some((candidate) => candidate.name === protocol.name)))!.name;
    group.protocolName = protocolName;
    group.state = 'CompletingRebalance';
    const nowMs = this.#nowMs();
    const memberList = members.map((each) => ({
      memberId: each.memberId,
      groupInstanceId: each.groupInstanceId,
      metadata: each.protocols.find((protocol) => protocol.name === protocolName)!.metadata,
    }));
    for (const member of members) {
      const waiter = member.joinWaiter!;
      member.joinWaiter = null;
      member.lastSeenMs = nowMs;
      waiter({
        throttleTimeMs: 0,
        errorCode: KafkaErrorCode.none,
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocolName,
        leader: leader.memberId,
        skipAssignment: false,
        memberId: member.memberId,
        members: member === leader ? memberList : [],
      });
    }
  }

  #remove(group: Group, member: Member): void {
    group.members.delete(member.memberId);
    member.joinWaiter?.(joinError(KafkaErrorCode.unknownMemberId, member.memberId));
    member.syncWaiter?.(syncResponse(KafkaErrorCode.unknownMemberId, null, EMPTY_ASSIGNMENT));
    if (group.leaderId === member.memberId) group.leaderId = null;
    if (group.members.size === 0) {
      if (group.rebalanceTimer !== null) clearTimeout(group.rebalanceTimer);
      group.rebalanceTimer = null;
      group.generationId++;
      this.#becomeEmpty(group);
      return;
    }
    this.#prepareRebalance(group);
    this.#completeJoinIfAllJoined(group);
  }

  /** A group without members holds nothing worth keeping (its offsets live in the OffsetStore). */
  #becomeEmpty(group: Group): void {
    group.state = 'Empty';
    group.protocolName = null;
    group.leaderId = null;
    this.#groups.delete(group.groupId);
  }

  #expireSessions(): void {
    const nowMs = this.#nowMs();
    for (const group of [...this.#groups.values()]) {
      for (const member of [...group.members.values()]) {
        // A member waiting for its JoinGroup or SyncGroup answer cannot heartbeat meanwhile.
        if (member.joinWaiter !== null || member.syncWaiter !== null) continue;
        if (nowMs - member.lastSeenMs > member.sessionTimeoutMs) this.#remove(group, member);
      }
    }
  }
}
