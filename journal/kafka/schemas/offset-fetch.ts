// OffsetFetch (key 9), versions 1-9 (batched groups from 8).

import type { MessageSpec } from '../codec/schema.ts';

const REQUEST_TOPIC_FIELDS = [
  { name: 'name', type: 'string', versions: '0+' },
  { name: 'partitionIndexes', type: '[]int32', versions: '0+' },
] as const;

const RESPONSE_PARTITION_FIELDS = (versions: string, epochVersions: string) =>
  [
    { name: 'partitionIndex', type: 'int32', versions },
    { name: 'committedOffset', type: 'int64', versions },
    { name: 'committedLeaderEpoch', type: 'int32', versions: epochVersions, default: -1 },
    { name: 'metadata', type: 'string', versions, nullableVersions: versions },
    { name: 'errorCode', type: 'int16', versions },
  ] as const;

export const OFFSET_FETCH_REQUEST: MessageSpec = {
  name: 'OffsetFetchRequest',
  apiKey: 9,
  validVersions: '1-9',
  flexibleVersions: '6+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0-7' },
    { name: 'topics', type: '[]struct', versions: '0-7', nullableVersions: '2-7', fields: REQUEST_TOPIC_FIELDS },
    {
      name: 'groups',
      type: '[]struct',
      versions: '8+',
      fields: [
        { name: 'groupId', type: 'string', versions: '8+' },
        { name: 'memberId', type: 'string', versions: '9+', nullableVersions: '9+', default: null },
        { name: 'memberEpoch', type: 'int32', versions: '9+', default: -1 },
        { name: 'topics', type: '[]struct', versions: '8+', nullableVersions: '8+', fields: REQUEST_TOPIC_FIELDS },
      ],
    },
    { name: 'requireStable', type: 'bool', versions: '7+' },
  ],
};

export const OFFSET_FETCH_RESPONSE: MessageSpec = {
  name: 'OffsetFetchResponse',
  apiKey: 9,
  validVersions: '1-9',
  flexibleVersions: '6+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
    {
      name: 'topics',
      type: '[]struct',
      versions: '0-7',
      fields: [
        { name: 'name', type: 'string', versions: '0-7' },
        { name: 'partitions', type: '[]struct', versions: '0-7', fields: RESPONSE_PARTITION_FIELDS('0-7', '5-7') },
      ],
    },
    { name: 'errorCode', type: 'int16', versions: '2-7' },
    {
      name: 'groups',
      type: '[]struct',
      versions: '8+',
      fields: [
        { name: 'groupId', type: 'string', versions: '8+' },
        {
          name: 'topics',
          type: '[]struct',
          versions: '8+',
          fields: [
            { name: 'name', type: 'string', versions: '8+' },
            { name: 'partitions', type: '[]struct', versions: '8+', fields: RESPONSE_PARTITION_FIELDS('8+', '8+') },
          ],
        },
        { name: 'errorCode', type: 'int16', versions: '8+' },
      ],
    },
  ],
};

export interface OffsetFetchRequestTopic {
  readonly name: string;
  readonly partitionIndexes: readonly number[];
}

export interface OffsetFetchRequest {
  readonly groupId: string;
  readonly topics: readonly OffsetFetchRequestTopic[] | null;
  readonly groups: readonly { readonly groupId: string; readonly topics: readonly OffsetFetchRequestTopic[] | null }[];
  readonly requireStable: boolean;
}

export interface OffsetFetchResponsePartition {
  readonly partitionIndex: number;
  readonly committedOffset: number;
  readonly committedLeaderEpoch: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

export interface OffsetFetchResponseTopic {
  readonly name: string;
  readonly partitions: readonly OffsetFetchResponsePartition[];
}

export interface OffsetFetchResponse {
  readonly throttleTimeMs: number;
  readonly topics: readonly OffsetFetchResponseTopic[];
  readonly errorCode: number;
  readonly groups: readonly { readonly groupId: string; readonly topics: readonly OffsetFetchResponseTopic[]; readonly errorCode: number }[];
}
