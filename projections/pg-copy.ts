// COPY ... FROM STDIN in PostgreSQL's binary format, through node-pg's Submittable hook (the one
// pg-copy-streams uses): the fastest way into the database, with no text to print or parse.
// Binary COPY: a signature, flags and header-extension length, then per row a field count and each
// field as a 32-bit length (-1 for NULL) and its big-endian bytes, then -1 as the trailer.
import type pg from 'pg';

/** `timestamptz` values are microseconds since the Unix epoch (the core's timeUs). */
export type CopyType = 'bigint' | 'integer' | 'smallint' | 'boolean' | 'text' | 'timestamptz';
export type CopyValue = number | string | boolean | null;

export interface CopyColumn {
  readonly name: string;
  readonly type: CopyType;
  readonly values: readonly CopyValue[];
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_SIZE_BYTES = SIGNATURE.length + 8;
const FIELD_COUNT_SIZE_BYTES = 2;
const LENGTH_SIZE_BYTES = 4;
const TRAILER = -1;
const NULL_LENGTH = -1;
const FIXED_SIZE_BYTES: Record<Exclude<CopyType, 'text'>, number> = { bigint: 8, integer: 4, smallint: 2, boolean: 1, timestamptz: 8 };
/** PostgreSQL counts timestamps in microseconds from 2000-01-01 00:00:00 UTC. */
const POSTGRES_EPOCH_UNIX_US = 946_684_800_000_000;
const TWO_POW_32 = 4_294_967_296;

/** UTF-8 needs at most this many bytes per UTF-16 code unit: text is sized by this bound, the buffer cut after. */
const UTF8_BYTES_PER_UNIT_MAX = 3;
const ASCII_MAX = 0x7f;
const Kind = { BIGINT: 0, INTEGER: 1, SMALLINT: 2, BOOLEAN: 3, TEXT: 4, TIMESTAMPTZ: 5 } as const;
const KIND: Record<CopyType, number> = { bigint: Kind.BIGINT, integer: Kind.INTEGER, smallint: Kind.SMALLINT, boolean: Kind.BOOLEAN, text: Kind.TEXT, timestamptz: Kind.TIMESTAMPTZ };

/** The rows the columns hold side by side (all of one length), as binary COPY data. */
export function encodeCopy(columns: readonly CopyColumn[]): Buffer {
  const rows = columns[0]?.values.length ?? 0;
  let sizeBytesMax = HEADER_SIZE_BYTES + rows * FIELD_COUNT_SIZE_BYTES + FIELD_COUNT_SIZE_BYTES;
  for (const c of columns) {
    if (c.values.length !== rows) throw new RangeError(`column ${c.name} has ${c.values.length} values, not ${rows}`);
    if (c.type !== 'text') sizeBytesMax += rows * (LENGTH_SIZE_BYTES + FIXED_SIZE_BYTES[c.type]);
    else for (const v of c.values) sizeBytesMax += LENGTH_SIZE_BYTES + (v === null ? 0 : UTF8_BYTES_PER_UNIT_MAX * (v as string).length);
  }
  const buf = Buffer.allocUnsafe(sizeBytesMax);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  SIGNATURE.copy(buf, 0);
  view.setInt32(SIGNATURE.length, 0);
  view.setInt32(SIGNATURE.length + 4, 0);
  const kinds = columns.map((c) => KIND[c.type]);
  const values = columns.map((c) => c.values);
  let pos = HEADER_SIZE_BYTES;
  for (let row = 0; row < rows; row++) {
    view.setInt16(pos, columns.length);
    pos += FIELD_COUNT_SIZE_BYTES;
    for (let c = 0; c < kinds.length; c++) {
      const v = (values[c] as readonly CopyValue[])[row] as CopyValue;
      if (v === null) {
        view.setInt32(pos, NULL_LENGTH);
        pos += LENGTH_SIZE_BYTES;
        continue;
      }
      switch (kinds[c]) {
        case Kind.BIGINT:
        case Kind.TIMESTAMPTZ: {
          const n = kinds[c] === Kind.BIGINT ? (v as number) : (v as number) - POSTGRES_EPOCH_UNIX_US;
          if (!Number.isSafeInteger(n)) throw new RangeError(`${String(v)} is not a safe integer`);
          view.setInt32(pos, 8);
          // Two's complement high word: flooring keeps negative values right.
          view.setInt32(pos + 4, Math.floor(n / TWO_POW_32));
          view.setUint32(pos + 8, n >>> 0);
          pos += 12;
          break;
        }
        case Kind.INTEGER:
          view.setInt32(pos, 4);
          view.setInt32(pos + 4, v as number);
          pos += 8;
          break;
        case Kind.SMALLINT:
          view.setInt32(pos, 2);
          view.setInt16(pos + 4, v as number);
          pos += 6;
          break;
        case Kind.BOOLEAN:
          view.setInt32(pos, 1);
          view.setUint8(pos + 4, v === true ? 1 : 0);
          pos += 5;
          break;
        default: {
          const written = writeText(buf, v as string, pos + LENGTH_SIZE_BYTES);
          view.setInt32(pos, written);
          pos += LENGTH_SIZE_BYTES + written;
        }
      }
    }
  }
  view.setInt16(pos, TRAILER);
  return buf.subarray(0, pos + FIELD_COUNT_SIZE_BYTES);
}

/** Writes `text` as UTF-8 at `pos`; returns its length. Names and enum words are ASCII: copied byte by byte. */
function writeText(buf: Buffer, text: string, pos: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > ASCII_MAX) return buf.write(text, pos);
    buf[pos + i] = code;
  }
  return text.length;
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

/** Copies `columns` into `table` (columns named as in the table) through `client`. */
export async function copyInto(client: pg.ClientBase, table: string, columns: readonly CopyColumn[]): Promise<void> {
  const copy = new CopyIn(`COPY ${table} (${columns.map((c) => c.name).join(', ')}) FROM STDIN (FORMAT binary)`, encodeCopy(columns));
  client.query(copy);
  await copy.done;
}
