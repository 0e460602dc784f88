// COPY ... FROM STDIN in PostgreSQL's binary format, through node-pg's Submittable hook (the one
// pg-copy-streams uses): the fastest way into the database, with no text to print or parse.
// Binary COPY: a signature, flags and header-extension length, then per row a field count and each
// field as a 32-bit length (-1 for NULL) and its big-endian bytes, then -1 as the trailer.
import type pg from 'pg';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_SIZE_BYTES = SIGNATURE.length + 8;
const FIELD_COUNT_SIZE_BYTES = 2;
const LENGTH_SIZE_BYTES = 4;
const TRAILER = -1;
const NULL_LENGTH = -1;
/** PostgreSQL counts timestamps in microseconds from 2000-01-01 00:00:00 UTC. */
const POSTGRES_EPOCH_UNIX_US = 946_684_800_000_000;
const TWO_POW_32 = 4_294_967_296;
/** UTF-8 needs at most this many bytes per UTF-16 code unit. */
const UTF8_BYTES_PER_UNIT_MAX = 3;
const ASCII_MAX = 0x7f;
/** A writer starts this small (a batch may write a handful of rows to a table) and doubles as it fills. */
const COPY_SIZE_BYTES_FIRST = 1 << 16;

/**
 * Rows of one table as binary COPY data, written field by field straight from the values the fold
 * has in hand: no column arrays, no object per row, one buffer per batch and table (it doubles when
 * full). A new writer per batch, because the previous batch's buffer may still be on the socket.
 * The caller writes each row's fields in the order of the column list it hands to copyInto.
 */
export class CopyWriter {
  #buf = Buffer.allocUnsafe(COPY_SIZE_BYTES_FIRST);
  #view = new DataView(this.#buf.buffer, this.#buf.byteOffset, this.#buf.length);
  #pos = HEADER_SIZE_BYTES;
  #rows = 0;

  constructor() {
    SIGNATURE.copy(this.#buf, 0);
    this.#view.setInt32(SIGNATURE.length, 0);
    this.#view.setInt32(SIGNATURE.length + 4, 0);
  }

  get rows(): number {
    return this.#rows;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.room(FIELD_COUNT_SIZE_BYTES);
    this.#view.setInt16(this.#pos, fields);
    this.#pos += FIELD_COUNT_SIZE_BYTES;
    this.#rows++;
  }

  /** `bigint`: any safe integer. */
  int64(n: number): void {
    this.room(LENGTH_SIZE_BYTES + 8);
    const view = this.#view;
    const pos = this.#pos;
    view.setInt32(pos, 8);
    // Most values (ids, lots, ticks) are integers below 2^32: no division for them.
    if (n >>> 0 === n) {
      view.setInt32(pos + 4, 0);
    } else {
      if (!Number.isSafeInteger(n)) throw new RangeError(`${String(n)} is not a safe integer`);
      // Two's complement high word: flooring keeps negative values right.
      view.setInt32(pos + 4, Math.floor(n / TWO_POW_32));
    }
    view.setUint32(pos + 8, n >>> 0);
    this.#pos = pos + LENGTH_SIZE_BYTES + 8;
  }

  int32(n: number): void {
    this.room(LENGTH_SIZE_BYTES + 4);
    this.#view.setInt32(this.#pos, 4);
    this.#view.setInt32(this.#pos + 4, n);
    this.#pos += LENGTH_SIZE_BYTES + 4;
  }

  bool(b: boolean): void {
    this.room(LENGTH_SIZE_BYTES + 1);
    this.#view.setInt32(this.#pos, 1);
    this.#view.setUint8(this.#pos + 4, b ? 1 : 0);
    this.#pos += LENGTH_SIZE_BYTES + 1;
  }

  /** `timestamptz` from microseconds since the Unix epoch (the core's timeUs). */
  timestamptz(timeUs: number): void {
    this.int64(timeUs - POSTGRES_EPOCH_UNIX_US);
  }

  /** Names and enum words are ASCII: copied byte by byte; anything else through Buffer.write. */
  text(text: string): void {
    this.room(LENGTH_SIZE_BYTES + UTF8_BYTES_PER_UNIT_MAX * text.length);
    const buf = this.#buf;
    const at = this.#pos + LENGTH_SIZE_BYTES;
    let length = text.length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > ASCII_MAX) {
        length = buf.write(text, at);
        break;
      }
      buf[at + i] = code;
    }
    this.#view.setInt32(this.#pos, length);
    this.#pos = at + length;
  }

  null(): void {
    this.room(LENGTH_SIZE_BYTES);
    this.#view.setInt32(this.#pos, NULL_LENGTH);
    this.#pos += LENGTH_SIZE_BYTES;
  }

  int64OrNull(n: number | null): void {
    if (n === null) this.null();
    else this.int64(n);
  }

  int32OrNull(n: number | null): void {
    if (n === null) this.null();
    else this.int32(n);
  }

  timestamptzOrNull(timeUs: number | null): void {
    if (timeUs === null) this.null();
    else this.timestamptz(timeUs);
  }

  /** The COPY data: the rows written and the trailer. The writer is done with. */
  finish(): Buffer {
    this.room(FIELD_COUNT_SIZE_BYTES);
    this.#view.setInt16(this.#pos, TRAILER);
    return this.#buf.subarray(0, this.#pos + FIELD_COUNT_SIZE_BYTES);
  }

  private room(sizeBytes: number): void {
    if (this.#pos + sizeBytes <= this.#buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.#buf.length, this.#pos + sizeBytes));
    this.#buf.copy(grown, 0, 0, this.#pos);
    this.#buf = grown;
    this.#view = new DataView(grown.buffer, grown.byteOffset, grown.length);
  }
}

/** node-pg's connection, as a copy-in query drives it (these methods are not in its type declarations). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * A query object node-pg runs like its own: it receives the protocol messages of the COPY and
 * reports through `callback`, which node-pg wraps to clear its query timeout.
 */
class CopyIn implements pg.Submittable {
  readonly done: Promise<void>;
  callback: ((error: unknown) => void) | undefined;

  constructor(private readonly sql: string, private readonly data: Buffer) {
    this.done = new Promise((resolve, reject) => {
      this.callback = (error) => (error instanceof Error ? reject(error) : resolve());
    });
  }

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.sql);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    connection.sendCopyFromChunk(this.data);
    connection.endCopyFrom();
  }

  handleCommandComplete(): void {
    // The rows are in; ReadyForQuery follows.
  }

  handleReadyForQuery(): void {
    this.callback?.(null);
  }

  /** After an error node-pg forgets the query, so the ReadyForQuery that follows never reaches it. */
  handleError(error: unknown): void {
    this.callback?.(error);
  }
}

/** COPYs the rows `data` holds (binary COPY data, fields in the order of `columns`) into `table` through `client`. */
export async function copyInto(client: pg.ClientBase, table: string, columns: readonly string[], data: Buffer): Promise<void> {
  const copy = new CopyIn(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT binary)`, data);
  client.query(copy);
  await copy.done;
}
