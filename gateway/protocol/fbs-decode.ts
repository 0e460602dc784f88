// FlatBuffers frames to plain maps, field by field through the generated API, for validate.ts to
// check exactly as it checks msgpack maps: absent fields stay absent, unknown enum values and ids past
// 2^53 - 1 are passed on as they are so that the validator names them.
import { ByteBuffer } from 'flatbuffers';
import type { Encoding } from 'flatbuffers';
import { ProtocolError } from './errors.ts';
import * as fb from './fbs/exchange_generated.ts';
import { BOOK_UPDATE_LEVELS_MAX } from './messages.ts';

/**
 * Why a frame cannot be read, thrown from deep inside the generated accessors and caught at once by
 * decodeFlatbuffersValue. Plain data rather than an Error: hostile frames must be cheap to refuse.
 */
class Malformed {
  constructor(readonly reason: string) {}
}

/**
 * A ByteBuffer that refuses to read outside its bytes. The library reads past the end as zeros and
 * trusts every length, so a hostile frame could decode into garbage or claim 2^31 elements. All its
 * reads funnel through these methods.
 */
class BoundedByteBuffer extends ByteBuffer {
  private checkRange(offset: number, sizeBytes: number): void {
    if (!(offset >= 0 && sizeBytes >= 0 && offset + sizeBytes <= this.capacity())) {
      throw new Malformed(`a read of ${sizeBytes} bytes at ${offset} is outside the ${this.capacity()}-byte frame`);
    }
  }
  override readUint8(offset: number): number {
    this.checkRange(offset, 1);
    return super.readUint8(offset);
  }
  override readUint16(offset: number): number {
    this.checkRange(offset, 2);
    return super.readUint16(offset);
  }
  override readInt32(offset: number): number {
    this.checkRange(offset, 4);
    return super.readInt32(offset);
  }
  override __string(offset: number, optionalEncoding?: Encoding): string | Uint8Array {
    const start = offset + this.readInt32(offset);
    this.checkRange(start + 4, this.readInt32(start));
    return super.__string(offset, optionalEncoding);
  }
}

/** File identifier and root offset: the shortest buffer that can be a Message. */
const FRAME_SIZE_BYTES_MIN = 8;
/** Vtable slot of a table's field: FlatBuffers puts field n at byte 4 + 2n of the vtable. */
const vtableSlot = (fieldIndex: number): number => 4 + 2 * fieldIndex;
/** Message.body is field 1 (field 0 is its type); roles, bids and asks are the fields below. */
const BODY_FIELD = 1;
const ROLES_FIELD = 2;
const BIDS_FIELD = 2;
const ASKS_FIELD = 3;

interface Table {
  bb: ByteBuffer | null;
  bb_pos: number;
}

function hasField(table: Table, fieldIndex: number): boolean {
  return table.bb !== null && table.bb.__offset(table.bb_pos, vtableSlot(fieldIndex)) !== 0;
}

type Field = readonly [name: string, value: unknown];

function fields(type: string, entries: readonly Field[]): Record<string, unknown> {
  const out: Record<string, unknown> = { type };
  for (const [name, value] of entries) if (value !== null) out[name] = value;
  return out;
}

function u53(value: bigint | null): number | bigint | null {
  return value !== null && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function named(names: Readonly<Record<number, string>>, value: number | null): string | number | null {
  return value === null ? null : (names[value] ?? value);
}

function vector<T>(table: Table, fieldIndex: number, length: number, at: (index: number) => T): T[] | null {
  if (!hasField(table, fieldIndex)) return null;
  if (length < 0 || length > BOOK_UPDATE_LEVELS_MAX) throw new Malformed(`a vector of ${length} elements, more than ${BOOK_UPDATE_LEVELS_MAX}`);
  return Array.from({ length }, (_, index) => at(index));
}

function levels(table: Table, fieldIndex: number, length: number, at: (index: number) => fb.Level | null): unknown[] | null {
  return vector(table, fieldIndex, length, (index) => {
    const level = at(index);
    return level === null ? null : [level.price(), level.qty()];
  });
}

function body<T extends Table>(message: fb.Message, make: new () => T): T {
  return message.body(new make()) as T;
}

const DECODERS = new Map<number, (message: fb.Message) => Record<string, unknown>>([
  [fb.Body.Login, (m) => {
    const t = body(m, fb.Login);
    return fields('login', [['requestId', t.requestId()], ['token', t.token()]]);
  }],
  [fb.Body.Place, (m) => {
    const t = body(m, fb.Place);
    return fields('place', [
      ['requestId', t.requestId()], ['symbol', t.symbol()], ['side', named(fb.Side, t.side())], ['orderType', named(fb.OrderType, t.orderType())],
      ['timeInForce', named(fb.TimeInForce, t.timeInForce())], ['qty', t.qty()], ['price', t.price()], ['stopPrice', t.stopPrice()],
      ['stopLimitPrice', t.stopLimitPrice()], ['displayQty', t.displayQty()], ['expireTimeMs', u53(t.expireTimeMs())], ['postOnly', t.postOnly()],
      ['stp', named(fb.StpMode, t.stp())], ['quoteBudget', t.quoteBudget()], ['clientOrderId', u53(t.clientOrderId())],
      ['cancelOnDisconnect', t.cancelOnDisconnect()],
    ]);
  }],
  [fb.Body.Cancel, (m) => {
    const t = body(m, fb.Cancel);
    return fields('cancel', [['requestId', t.requestId()], ['symbol', t.symbol()], ['orderId', u53(t.orderId())], ['clientOrderId', u53(t.clientOrderId())]]);
  }],
  [fb.Body.Replace, (m) => {
    const t = body(m, fb.Replace);
    return fields('replace', [
      ['requestId', t.requestId()], ['symbol', t.symbol()], ['orderId', u53(t.orderId())], ['clientOrderId', u53(t.clientOrderId())],
      ['price', t.price()], ['qty', t.qty()], ['postOnly', t.postOnly()],
    ]);
  }],
  [fb.Body.MassCancel, (m) => {
    const t = body(m, fb.MassCancel);
    return fields('massCancel', [['requestId', t.requestId()], ['symbol', t.symbol()], ['side', named(fb.Side, t.side())]]);
  }],
  [fb.Body.Subscribe, (m) => {
    const t = body(m, fb.Subscribe);
    return fields('subscribe', [['requestId', t.requestId()], ['channel', named(fb.Channel, t.channel())], ['symbol', t.symbol()], ['depth', t.depth()]]);
  }],
  [fb.Body.Unsubscribe, (m) => {
    const t = body(m, fb.Unsubscribe);
    return fields('unsubscribe', [['requestId', t.requestId()], ['channel', named(fb.Channel, t.channel())], ['symbol', t.symbol()]]);
  }],
  [fb.Body.Ping, (m) => {
    const t = body(m, fb.Ping);
    return fields('ping', [['requestId', t.requestId()], ['timeMs', u53(t.timeMs())]]);
  }],
  [fb.Body.LoginAccepted, (m) => {
    const t = body(m, fb.LoginAccepted);
    const roles = vector(t, ROLES_FIELD, t.rolesLength(), (index) => t.roles(index));
    return fields('loginAccepted', [['requestId', t.requestId()], ['account', t.account()], ['roles', roles], ['sessionId', t.sessionId()]]);
  }],
  [fb.Body.GatewayError, (m) => {
    const t = body(m, fb.GatewayError);
    return fields('error', [['requestId', t.requestId()], ['code', t.code()], ['name', t.name()], ['message', t.message()]]);
  }],
  [fb.Body.ExecutionReport, (m) => {
    const t = body(m, fb.ExecutionReport);
    return fields('executionReport', [
      ['requestId', t.requestId()], ['kind', named(fb.ExecutionKind, t.kind())], ['symbol', t.symbol()], ['orderId', u53(t.orderId())],
      ['clientOrderId', u53(t.clientOrderId())], ['side', named(fb.Side, t.side())], ['price', t.price()], ['qty', t.qty()],
      ['leavesQty', t.leavesQty()], ['lastPrice', t.lastPrice()], ['lastQty', t.lastQty()], ['fee', t.fee()], ['feeAsset', t.feeAsset()],
      ['liquidity', named(fb.Liquidity, t.liquidity())], ['code', t.code()], ['reason', t.reason()], ['seq', u53(t.seq())],
      ['timeMs', u53(t.timeMs())],
    ]);
  }],
  [fb.Body.MassCancelDone, (m) => {
    const t = body(m, fb.MassCancelDone);
    return fields('massCancelDone', [
      ['requestId', t.requestId()], ['symbol', t.symbol()], ['side', named(fb.Side, t.side())], ['cancelledCount', t.cancelledCount()],
      ['seq', u53(t.seq())], ['timeMs', u53(t.timeMs())],
    ]);
  }],
  [fb.Body.Balance, (m) => {
    const t = body(m, fb.Balance);
    return fields('balance', [['asset', t.asset()], ['available', t.available()], ['reserved', t.reserved()], ['seq', u53(t.seq())]]);
  }],
  [fb.Body.BookSnapshot, (m) => {
    const t = body(m, fb.BookSnapshot);
    return fields('bookSnapshot', [
      ['symbol', t.symbol()], ['seq', u53(t.seq())], ['bids', levels(t, BIDS_FIELD, t.bidsLength(), (index) => t.bids(index))],
      ['asks', levels(t, ASKS_FIELD, t.asksLength(), (index) => t.asks(index))],
    ]);
  }],
  [fb.Body.BookUpdate, (m) => {
    const t = body(m, fb.BookUpdate);
    return fields('bookUpdate', [
      ['symbol', t.symbol()], ['seq', u53(t.seq())], ['bids', levels(t, BIDS_FIELD, t.bidsLength(), (index) => t.bids(index))],
      ['asks', levels(t, ASKS_FIELD, t.asksLength(), (index) => t.asks(index))],
    ]);
  }],
  [fb.Body.Trade, (m) => {
    const t = body(m, fb.Trade);
    return fields('trade', [
      ['symbol', t.symbol()], ['seq', u53(t.seq())], ['price', t.price()], ['qty', t.qty()], ['takerSide', named(fb.Side, t.takerSide())],
      ['timeMs', u53(t.timeMs())],
    ]);
  }],
  [fb.Body.Bbo, (m) => {
    const t = body(m, fb.Bbo);
    return fields('bbo', [
      ['symbol', t.symbol()], ['seq', u53(t.seq())], ['bidPrice', t.bidPrice()], ['bidQty', t.bidQty()], ['askPrice', t.askPrice()],
      ['askQty', t.askQty()],
    ]);
  }],
  [fb.Body.Subscribed, (m) => {
    const t = body(m, fb.Subscribed);
    return fields('subscribed', [['requestId', t.requestId()], ['channel', named(fb.Channel, t.channel())], ['symbol', t.symbol()]]);
  }],
  [fb.Body.Unsubscribed, (m) => {
    const t = body(m, fb.Unsubscribed);
    return fields('unsubscribed', [['requestId', t.requestId()], ['channel', named(fb.Channel, t.channel())], ['symbol', t.symbol()]]);
  }],
  [fb.Body.Pong, (m) => {
    const t = body(m, fb.Pong);
    return fields('pong', [['requestId', t.requestId()], ['timeMs', u53(t.timeMs())], ['serverTimeMs', u53(t.serverTimeMs())]]);
  }],
]);

/** The frame's message as a plain map (not yet validated), or why it is not a Message buffer. */
export function decodeFlatbuffersValue(bytes: Uint8Array): Record<string, unknown> | ProtocolError {
  if (bytes.length < FRAME_SIZE_BYTES_MIN) return new ProtocolError('BAD_FRAME', `a FlatBuffers frame has at least ${FRAME_SIZE_BYTES_MIN} bytes`);
  const bb = new BoundedByteBuffer(bytes);
  try {
    if (!fb.Message.bufferHasIdentifier(bb)) return new ProtocolError('BAD_FRAME', 'not a FlatBuffers Message: file identifier is not EXV1');
    const message = fb.Message.getRootAsMessage(bb);
    const type = message.bodyType();
    const decode = DECODERS.get(type);
    if (decode === undefined) return new ProtocolError('UNKNOWN_MESSAGE', `unknown body type ${type}`);
    if (!hasField(message, BODY_FIELD)) return new ProtocolError('BAD_FRAME', 'Message.body is missing');
    return decode(message);
  } catch (error) {
    if (error instanceof Malformed) return new ProtocolError('BAD_FRAME', `malformed FlatBuffers frame: ${error.reason}`);
    throw error;
  }
}
