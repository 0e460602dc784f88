// Every limit of the Kafka endpoint, named in one place. Exceeding one closes a connection,
// answers with a Kafka error, or bounds a value, as each comment says.

/** A request frame larger than this closes the connection (Produce is refused anyway). */
export const REQUEST_SIZE_BYTES_MAX = 16 * 1024 * 1024;
/** Smallest request: api key, version, correlation id and client id length. */
export const REQUEST_SIZE_BYTES_MIN = 10;
/** Further connections are closed on accept. */
export const CONNECTIONS_MAX = 1024;
/** Requests of one connection awaiting their response; past this, reading pauses (backpressure). */
export const IN_FLIGHT_REQUESTS_MAX = 64;
/** A connection with no traffic for this long is closed (Kafka's connections.max.idle.ms). */
export const CONNECTION_IDLE_MS_MAX = 10 * 60 * 1000;
/** Fetches waiting for data at the end of the log; more are answered at once with what there is. */
export const PARKED_FETCHES_MAX = 10_000;
/** MaxWaitMs is capped here. */
export const FETCH_MAX_WAIT_MS_MAX = 30_000;
/** Request and partition MaxBytes are capped here (a first batch larger than that still goes, KIP-74). */
export const FETCH_RESPONSE_BYTES_MAX = 64 * 1024 * 1024;
/** Consumer groups with members at once; a JoinGroup for another gets COORDINATOR_NOT_AVAILABLE. */
export const GROUPS_MAX = 1024;
/** Members of one group; a new one gets GROUP_MAX_SIZE_REACHED. */
export const GROUP_MEMBERS_MAX = 64;
/** Session timeouts a JoinGroup may ask for; others get INVALID_SESSION_TIMEOUT. */
export const SESSION_TIMEOUT_MS_MIN = 1_000;
export const SESSION_TIMEOUT_MS_MAX = 30 * 60 * 1000;
/** How often members whose session expired are removed. */
export const SESSION_SWEEP_INTERVAL_MS = 100;
/** Groups that may hold committed offsets; a commit for another gets COORDINATOR_NOT_AVAILABLE. */
export const OFFSET_GROUPS_MAX = 10_000;
/** Metadata committed with an offset (Kafka's offset.metadata.max.bytes); more is OFFSET_METADATA_TOO_LARGE. */
export const OFFSET_METADATA_SIZE_BYTES_MAX = 4096;
/** The committed-offsets file is rewritten with only the latest offsets once it grows past this. */
export const OFFSETS_FILE_COMPACT_BYTES = 8 * 1024 * 1024;
