// The Kafka error codes the endpoint answers with (Kafka's numbers, which clients act on).

export const KafkaErrorCode = {
  none: 0,
  offsetOutOfRange: 1,
  unknownTopicOrPartition: 3,
  offsetMetadataTooLarge: 12,
  coordinatorNotAvailable: 15,
  illegalGeneration: 22,
  inconsistentGroupProtocol: 23,
  invalidGroupId: 24,
  unknownMemberId: 25,
  invalidSessionTimeout: 26,
  rebalanceInProgress: 27,
  topicAuthorizationFailed: 29,
  unsupportedVersion: 35,
  kafkaStorageError: 56,
  fetchSessionIdNotFound: 70,
  groupMaxSizeReached: 81,
  unknownTopicId: 100,
} as const;
