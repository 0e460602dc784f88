// Why a request is refused at the wire level. Any of these closes the connection that sent it
// (as Kafka does): a peer that cannot frame or encode a request cannot be answered reliably.

export type KafkaWireDefect =
  | 'truncated' // a field runs past the end of the request
  | 'length' // a string, bytes, array or frame length that is negative where not allowed, or too large
  | 'varint' // an unsigned varint longer than 5 bytes or above 32 bits
  | 'int64' // an int64 outside the safe-integer range (the endpoint keeps offsets and times as numbers)
  | 'trailing' // bytes left after the last field of the request
  | 'utf8' // a string that is not valid UTF-8
  | 'unsupported'; // an API key or version the endpoint does not advertise

export class KafkaWireError extends Error {
  override readonly name = 'KafkaWireError';
  constructor(
    readonly defect: KafkaWireDefect,
    readonly positionBytes: number,
    detail: string,
  ) {
    super(`${defect} at byte ${positionBytes}: ${detail}`);
  }
}
