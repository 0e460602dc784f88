// Every failure the journal can report, as Error subclasses whose fields say where it happened
// (file, byte offset, sequence) so an operator can act on the message alone.

/** Why a record batch was rejected; one value per field or rule that can be violated. */
export type BatchDefect =
  | 'truncated' // the buffer or file ends before the batch does
  | 'length' // batchLength outside [BATCH_LENGTH_MIN, BATCH_SIZE_BYTES_MAX - 12]
  | 'magic'
  | 'crc'
  | 'attributes' // compression, timestamp type, transactional or control bits set
  | 'leaderEpoch' // the journal always writes 0
  | 'producer' // producerId, producerEpoch and baseSequence must be -1
  | 'recordCount' // declared count out of range or not matching the records present
  | 'lastOffsetDelta'
  | 'recordLength' // a record's length disagrees with its fields
  | 'recordAttributes'
  | 'offsetDelta'
  | 'varintOverflow'
  | 'key' // the journal writes null keys
  | 'valueLength' // every value is one fixed-size record
  | 'headers' // header count or header content not what the format prescribes
  | 'timestamp' // record or batch timestamps disagree with the time inside the value
  | 'seq' // the sequence inside the value disagrees with the batch offsets or the seq header
  | 'baseOffset' // the batch does not start where the previous one ended
  | 'commandType' // a command record with type 0
  | 'commandSeqOrder' // event batches whose command seqs go backwards
  | 'commandSeqBeyondRecovered'; // events of a command the command journal did not recover

export class BatchDecodeError extends Error {
  override readonly name = 'BatchDecodeError';
  constructor(
    readonly defect: BatchDefect,
    /** Position of the offending field relative to the start of the batch. */
    readonly offsetInBatchBytes: number,
    detail: string,
  ) {
    super(`${defect}: ${detail} (at byte ${offsetInBatchBytes} of the batch)`);
  }
}

export type JournalDefect = BatchDefect | 'segmentName' | 'segmentSeq' | 'emptySegment';

/** Corruption that is not a torn tail: recovery must stop, never skip it. */
export class JournalCorruptError extends Error {
  override readonly name = 'JournalCorruptError';
  constructor(
    readonly path: string,
    readonly offsetBytes: number,
    /** The sequence (or event index) expected at `offsetBytes`; -1 when unknown (a stray file). */
    readonly seq: number,
    readonly defect: JournalDefect,
    detail: string,
  ) {
    super(`${path} at byte ${offsetBytes} (seq ${seq < 0 ? 'unknown' : seq}): ${defect}: ${detail}`);
  }
}

export type AppendRejection = 'count' | 'recordsLength' | 'seq' | 'timeUs' | 'commandType' | 'commandSeqOrder';

/** The caller handed the writer records that break its contract; nothing was written. */
export class JournalAppendError extends Error {
  override readonly name = 'JournalAppendError';
  constructor(
    readonly path: string,
    readonly reason: AppendRejection,
    readonly recordIndex: number,
    readonly seqExpected: number,
    readonly seqFound: number,
    detail: string,
  ) {
    super(`${path}: append rejected (${reason}) at record ${recordIndex}, seq expected ${seqExpected}, found ${seqFound}: ${detail}`);
  }
}

/**
 * A write, fdatasync or segment roll failed (ENOSPC, EIO, ...). The writer truncated the segment back
 * to `offsetBytes` when it could and is now failed for good: after a failed fsync the page cache can
 * no longer be trusted, so the only safe continuation is a restart with recovery.
 */
export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
  constructor(
    readonly path: string,
    /** The last good end of the segment, where the failed batch started. */
    readonly offsetBytes: number,
    /** First sequence (or event index) of the batch that was not made durable. */
    readonly seq: number,
    /** The errno code of the failure, e.g. 'ENOSPC'. */
    readonly code: string,
    /** True when the segment is known to hold no part of the failed batch. */
    readonly truncatedBack: boolean,
    options: { cause: unknown },
  ) {
    super(
      `${path} at byte ${offsetBytes} (seq ${seq}): write failed with ${code}; ` +
        `${truncatedBack ? 'segment truncated back to the last good batch' : 'truncating back also failed'}; writer is failed`,
      options,
    );
  }
}

/** Any use of a writer after a JournalWriteError, or after close. */
export class JournalWriterClosedError extends Error {
  override readonly name = 'JournalWriterClosedError';
  constructor(
    readonly path: string,
    options: { cause: unknown } | undefined,
  ) {
    super(`${path}: writer is ${options === undefined ? 'closed' : 'failed'}`, options);
  }
}

/** The state on disk does not match what the writer was told to resume from. */
export class JournalStateError extends Error {
  override readonly name = 'JournalStateError';
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${detail}`, options);
  }
}

export type SnapshotDefect = 'name' | 'truncated' | 'magic' | 'version' | 'headerCrc' | 'payloadCrc' | 'length' | 'seq' | 'field';

/** A snapshot file that fails its own checks (CRC, length, header); loading falls back to an older one. */
export class SnapshotCorruptError extends Error {
  override readonly name = 'SnapshotCorruptError';
  constructor(
    readonly path: string,
    readonly defect: SnapshotDefect,
    /** Where the offending field is in the file. */
    readonly offsetBytes: number,
    /** The seq the file name claims; -1 when the name is not a snapshot name. */
    readonly seq: number,
    detail: string,
  ) {
    super(`${path} at byte ${offsetBytes} (seq ${seq < 0 ? 'unknown' : seq}): ${defect}: ${detail}`);
  }
}

/**
 * A snapshot whose checksums pass but whose content the engine disagrees with: it does not decode,
 * or the decoded state's hash or seq differs from the header. That is a bug (or a foreign engine),
 * not damage, so startup stops instead of falling back.
 */
export class SnapshotMismatchError extends Error {
  override readonly name = 'SnapshotMismatchError';
  constructor(
    readonly path: string,
    /** Where the disagreeing part starts in the file (the state hash or the payload). */
    readonly offsetBytes: number,
    readonly seq: number,
    detail: string,
    options?: { cause: unknown },
  ) {
    super(`${path} at byte ${offsetBytes} (seq ${seq}): ${detail}`, options);
  }
}

/** A journaled command the engine refused on replay (it threw): startup stops, nothing is skipped. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  constructor(
    readonly path: string,
    /** Where the batch holding the command starts in the segment. */
    readonly offsetBytes: number,
    readonly seq: number,
    options: { cause: unknown },
  ) {
    const detail = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`${path} at byte ${offsetBytes} (seq ${seq}): replay failed: ${detail}`, options);
  }
}

/** The errno code of a Node fs error, or 'EUNKNOWN'. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return 'EUNKNOWN';
}
