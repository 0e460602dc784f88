// The one schema of the core's binary records: commands in, events out. Every record is
// COMMAND_SIZE_BYTES or EVENT_SIZE_BYTES long, little-endian, with its fields at fixed offsets and
// explicit, zeroed padding; `test/engine/schema.test.ts` proves the fields tile each record.
// Every record opens with the same 24-byte header: type (u8), 7 bytes of padding, seq (u64),
// timeUs (u64). u64 fields carry safe integers; names are zero-padded printable ASCII.
import { NAME_LENGTH_MAX } from './limits.ts';

export const COMMAND_SIZE_BYTES = 128;
export const EVENT_SIZE_BYTES = 128;

export type FieldKind = 'u8' | 'u16' | 'u32' | 'u64' | 'name' | 'pad';

export interface Field {
  readonly name: string;
  readonly kind: FieldKind;
  readonly offset: number;
  readonly sizeBytes: number;
}

export interface RecordLayout {
  readonly name: string;
  readonly type: number;
  readonly sizeBytes: number;
  readonly fields: readonly Field[];
}

const KIND_SIZE_BYTES: Record<Exclude<FieldKind, 'pad'>, number> = { u8: 1, u16: 2, u32: 4, u64: 8, name: NAME_LENGTH_MAX };

type FieldSpec = readonly [name: string, kind: Exclude<FieldKind, 'pad'>] | readonly ['pad', number];

const HEADER: readonly FieldSpec[] = [['type', 'u8'], ['pad', 7], ['seq', 'u64'], ['timeUs', 'u64']];

function layout(name: string, type: number, sizeBytes: number, body: readonly FieldSpec[]): RecordLayout {
  const fields: Field[] = [];
  let offset = 0;
  for (const spec of [...HEADER, ...body]) {
    const kind: FieldKind = spec[0] === 'pad' ? 'pad' : (spec[1] as FieldKind);
    const size = spec[0] === 'pad' ? (spec[1] as number) : KIND_SIZE_BYTES[spec[1] as Exclude<FieldKind, 'pad'>];
    fields.push({ name: spec[0] === 'pad' ? `pad@${offset}` : spec[0], kind, offset, sizeBytes: size });
    offset += size;
  }
  if (offset < sizeBytes) fields.push({ name: `pad@${offset}`, kind: 'pad', offset, sizeBytes: sizeBytes - offset });
  if (offset > sizeBytes) throw new Error(`record ${name} needs ${offset} bytes, more than ${sizeBytes}`);
  return { name, type, sizeBytes, fields };
}

export const CommandType = {
  PLACE: 1,
  CANCEL: 2,
  REPLACE: 3,
  MASS_CANCEL: 4,
  ADD_ASSET: 10,
  CREATE_ACCOUNT: 11,
  ADD_SYMBOL: 12,
  HALT_SYMBOL: 13,
  RESUME_SYMBOL: 14,
  CLOSE_SYMBOL: 15,
  DEPOSIT: 16,
  WITHDRAW: 17,
  CLOCK: 20,
} as const;
export type CommandType = (typeof CommandType)[keyof typeof CommandType];

export const EventType = {
  ORDER_ACCEPTED: 1,
  REJECTED: 2,
  TRADE: 3,
  ORDER_CANCELLED: 4,
  ORDER_REPLACED: 5,
  ORDER_TRIGGERED: 6,
  ORDER_REFILLED: 7,
  ORDER_RESTED: 8,
  MASS_CANCEL_DONE: 9,
  ASSET_ADDED: 20,
  ACCOUNT_CREATED: 21,
  SYMBOL_ADDED: 22,
  SYMBOL_STATUS: 23,
  BALANCE_CHANGED: 24,
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

const C = COMMAND_SIZE_BYTES;
export const COMMAND_LAYOUTS: readonly RecordLayout[] = [
  layout('Place', CommandType.PLACE, C, [
    ['symbolId', 'u32'], ['accountId', 'u32'], ['orderId', 'u64'],
    ['side', 'u8'], ['orderType', 'u8'], ['tif', 'u8'], ['flags', 'u8'], ['stp', 'u8'], ['pad', 3],
    ['priceTicks', 'u64'], ['qtyLots', 'u64'], ['stopPriceTicks', 'u64'], ['displayQtyLots', 'u64'],
    ['expireTimeUs', 'u64'], ['quoteBudget', 'u64'], ['linkedOrderId', 'u64'], ['linkedPriceTicks', 'u64'],
    ['clientOrderId', 'u64'], ['sessionId', 'u32'],
  ]),
  layout('Cancel', CommandType.CANCEL, C, [['symbolId', 'u32'], ['accountId', 'u32'], ['orderId', 'u64'], ['clientOrderId', 'u64']]),
  layout('Replace', CommandType.REPLACE, C, [
    ['symbolId', 'u32'], ['accountId', 'u32'], ['orderId', 'u64'], ['clientOrderId', 'u64'], ['priceTicks', 'u64'], ['qtyLots', 'u64'],
    ['flags', 'u8'],
  ]),
  layout('MassCancel', CommandType.MASS_CANCEL, C, [['accountId', 'u32'], ['symbolId', 'u32'], ['side', 'u8'], ['pad', 3], ['sessionId', 'u32']]),
  layout('AddAsset', CommandType.ADD_ASSET, C, [['scale', 'u8'], ['pad', 7], ['name', 'name']]),
  layout('CreateAccount', CommandType.CREATE_ACCOUNT, C, [['name', 'name']]),
  layout('AddSymbol', CommandType.ADD_SYMBOL, C, [
    ['baseAssetId', 'u32'], ['quoteAssetId', 'u32'],
    ['bandBps', 'u16'], ['makerFeeBps', 'u16'], ['takerFeeBps', 'u16'], ['protectionBps', 'u16'],
    ['baseUnitsPerLot', 'u64'], ['quoteUnitsPerTickLot', 'u64'], ['minQtyLots', 'u64'], ['maxQtyLots', 'u64'],
    ['priceTicksMax', 'u64'], ['referencePriceTicks', 'u64'], ['name', 'name'],
  ]),
  layout('HaltSymbol', CommandType.HALT_SYMBOL, C, [['symbolId', 'u32']]),
  layout('ResumeSymbol', CommandType.RESUME_SYMBOL, C, [['symbolId', 'u32'], ['pad', 4], ['referencePriceTicks', 'u64']]),
  layout('CloseSymbol', CommandType.CLOSE_SYMBOL, C, [['symbolId', 'u32']]),
  layout('Deposit', CommandType.DEPOSIT, C, [['accountId', 'u32'], ['assetId', 'u32'], ['amount', 'u64']]),
  layout('Withdraw', CommandType.WITHDRAW, C, [['accountId', 'u32'], ['assetId', 'u32'], ['amount', 'u64']]),
  layout('Clock', CommandType.CLOCK, C, []),
];

const E = EVENT_SIZE_BYTES;
export const EVENT_LAYOUTS: readonly RecordLayout[] = [
  layout('OrderAccepted', EventType.ORDER_ACCEPTED, E, [
    ['symbolId', 'u32'], ['accountId', 'u32'], ['orderId', 'u64'],
    ['side', 'u8'], ['orderType', 'u8'], ['tif', 'u8'], ['flags', 'u8'], ['stp', 'u8'], ['pad', 3],
    ['priceTicks', 'u64'], ['qtyLots', 'u64'], ['stopPriceTicks', 'u64'], ['displayQtyLots', 'u64'],
    ['expireTimeUs', 'u64'], ['linkedOrderId', 'u64'], ['quoteBudget', 'u64'], ['linkedPriceTicks', 'u64'], ['clientOrderId', 'u64'],
  ]),
  layout('Rejected', EventType.REJECTED, E, [
    ['commandType', 'u8'], ['pad', 1], ['code', 'u16'], ['symbolId', 'u32'], ['accountId', 'u32'], ['pad', 4],
    ['orderId', 'u64'], ['clientOrderId', 'u64'],
  ]),
  layout('Trade', EventType.TRADE, E, [
    ['symbolId', 'u32'], ['takerSide', 'u8'], ['pad', 3],
    ['takerAccountId', 'u32'], ['makerAccountId', 'u32'], ['takerOrderId', 'u64'], ['makerOrderId', 'u64'],
    ['priceTicks', 'u64'], ['qtyLots', 'u64'], ['takerLeavesQtyLots', 'u64'], ['makerLeavesQtyLots', 'u64'],
    ['takerFee', 'u64'], ['makerFee', 'u64'], ['quoteAmount', 'u64'], ['takerClientOrderId', 'u64'], ['makerClientOrderId', 'u64'],
  ]),
  layout('OrderCancelled', EventType.ORDER_CANCELLED, E, [
    ['symbolId', 'u32'], ['accountId', 'u32'], ['orderId', 'u64'], ['side', 'u8'], ['pad', 1], ['code', 'u16'],
    ['pad', 4], ['priceTicks', 'u64'], ['cancelledQtyLots', 'u64'], ['visibleQtyLots', 'u64'], ['leavesQtyLots', 'u64'],
    ['clientOrderId', 'u64'],
  ]),
  layout('OrderReplaced', EventType.ORDER_REPLACED, E, [
    ['symbolId', 'u32'], ['accountId', 'u32'], ['orderId', 'u64'], ['side', 'u8'], ['priorityKept', 'u8'], ['pad', 6],
    ['oldPriceTicks', 'u64'], ['oldQtyLots', 'u64'], ['oldVisibleQtyLots', 'u64'],
    ['priceTicks', 'u64'], ['qtyLots', 'u64'], ['visibleQtyLots', 'u64'], ['clientOrderId', 'u64'],
  ]),
  layout('OrderTriggered', EventType.ORDER_TRIGGERED, E, [
    ['symbolId', 'u32'], ['accountId', 'u32'], ['orderId', 'u64'], ['side', 'u8'], ['pad', 7],
    ['stopPriceTicks', 'u64'], ['lastPriceTicks', 'u64'], ['clientOrderId', 'u64'],
  ]),
  layout('OrderRefilled', EventType.ORDER_REFILLED, E, [
    ['symbolId', 'u32'], ['accountId', 'u32'], ['orderId', 'u64'], ['side', 'u8'], ['pad', 7],
    ['priceTicks', 'u64'], ['visibleQtyLots', 'u64'], ['openQtyLots', 'u64'], ['clientOrderId', 'u64'],
  ]),
  layout('OrderRested', EventType.ORDER_RESTED, E, [
    ['symbolId', 'u32'], ['accountId', 'u32'], ['orderId', 'u64'], ['side', 'u8'], ['pad', 7],
    ['priceTicks', 'u64'], ['openQtyLots', 'u64'], ['visibleQtyLots', 'u64'], ['clientOrderId', 'u64'],
  ]),
  layout('MassCancelDone', EventType.MASS_CANCEL_DONE, E, [
    ['accountId', 'u32'], ['symbolId', 'u32'], ['side', 'u8'], ['pad', 3], ['sessionId', 'u32'], ['cancelledCount', 'u32'],
  ]),
  layout('AssetAdded', EventType.ASSET_ADDED, E, [['assetId', 'u32'], ['scale', 'u8'], ['pad', 3], ['name', 'name']]),
  layout('AccountCreated', EventType.ACCOUNT_CREATED, E, [['accountId', 'u32'], ['pad', 4], ['name', 'name']]),
  layout('SymbolAdded', EventType.SYMBOL_ADDED, E, [
    ['symbolId', 'u32'], ['baseAssetId', 'u32'], ['quoteAssetId', 'u32'],
    ['bandBps', 'u16'], ['makerFeeBps', 'u16'], ['takerFeeBps', 'u16'], ['protectionBps', 'u16'], ['pad', 4],
    ['baseUnitsPerLot', 'u64'], ['quoteUnitsPerTickLot', 'u64'], ['minQtyLots', 'u64'], ['maxQtyLots', 'u64'],
    ['priceTicksMax', 'u64'], ['referencePriceTicks', 'u64'], ['name', 'name'],
  ]),
  layout('SymbolStatus', EventType.SYMBOL_STATUS, E, [['symbolId', 'u32'], ['status', 'u8'], ['pad', 3], ['referencePriceTicks', 'u64']]),
  layout('BalanceChanged', EventType.BALANCE_CHANGED, E, [
    ['accountId', 'u32'], ['assetId', 'u32'], ['commandType', 'u8'], ['pad', 7],
    ['amount', 'u64'], ['availableAmount', 'u64'], ['reservedAmount', 'u64'],
  ]),
];

function byType(layouts: readonly RecordLayout[]): (RecordLayout | undefined)[] {
  const table: (RecordLayout | undefined)[] = new Array(256).fill(undefined);
  for (const l of layouts) table[l.type] = l;
  return table;
}
const commandLayoutByType = byType(COMMAND_LAYOUTS);
const eventLayoutByType = byType(EVENT_LAYOUTS);

export function commandLayout(type: number): RecordLayout | undefined {
  return commandLayoutByType[type];
}
export function eventLayout(type: number): RecordLayout | undefined {
  return eventLayoutByType[type];
}

/** Byte offset of a named field; a missing field is a programming error. */
export function fieldOffset(l: RecordLayout, name: string): number {
  const f = l.fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`record ${l.name} has no field ${name}`);
  return f.offset;
}

/** Byte offsets of the named fields of a record type, looked up once, for readers and writers at fixed positions. */
function fieldOffsets<K extends string>(l: RecordLayout | undefined, type: number, names: readonly K[]): Record<K, number> {
  if (l === undefined) throw new Error(`no record of type ${type}`);
  return Object.fromEntries(names.map((name) => [name, fieldOffset(l, name)])) as Record<K, number>;
}

export function eventFieldOffsets<K extends string>(type: number, names: readonly K[]): Record<K, number> {
  return fieldOffsets(eventLayout(type), type, names);
}

export function commandFieldOffsets<K extends string>(type: number, names: readonly K[]): Record<K, number> {
  return fieldOffsets(commandLayout(type), type, names);
}

/** Every record, command or event, starts with the same header; these are its seq and time offsets. */
export const { seq: SEQ_OFFSET_BYTES, timeUs: TIME_US_OFFSET_BYTES } = commandFieldOffsets(CommandType.PLACE, ['seq', 'timeUs'] as const);

const TWO_POW_32 = 4_294_967_296;

export function readU64(view: DataView, offset: number): number {
  return view.getUint32(offset, true) + view.getUint32(offset + 4, true) * TWO_POW_32;
}

/** Writes a non-negative safe integer as u64 little-endian (no division for values below 2^32, the common case). */
export function writeU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value >>> 0, true);
  view.setUint32(offset + 4, value < TWO_POW_32 ? 0 : (value / TWO_POW_32) >>> 0, true);
}

const textDecoder = new TextDecoder('latin1');

function readName(view: DataView, offset: number): string {
  let end = offset;
  while (end < offset + NAME_LENGTH_MAX && view.getUint8(end) !== 0) end++;
  return textDecoder.decode(new Uint8Array(view.buffer, view.byteOffset + offset, end - offset));
}

function writeName(view: DataView, offset: number, name: string): void {
  if (name.length > NAME_LENGTH_MAX) throw new RangeError(`name longer than ${NAME_LENGTH_MAX} bytes: ${name}`);
  for (let i = 0; i < NAME_LENGTH_MAX; i++) {
    const code = i < name.length ? name.charCodeAt(i) : 0;
    if (code > 0x7f) throw new RangeError(`name must be ASCII: ${name}`);
    view.setUint8(offset + i, code);
  }
}

/** A decoded record: its fields by name (numbers, or strings for names). */
export type DecodedRecord = Record<string, number | string>;

export function decodeRecord(l: RecordLayout, view: DataView, offset: number): DecodedRecord {
  const out: DecodedRecord = {};
  for (const f of l.fields) {
    const at = offset + f.offset;
    switch (f.kind) {
      case 'u8': out[f.name] = view.getUint8(at); break;
      case 'u16': out[f.name] = view.getUint16(at, true); break;
      case 'u32': out[f.name] = view.getUint32(at, true); break;
      case 'u64': out[f.name] = readU64(view, at); break;
      case 'name': out[f.name] = readName(view, at); break;
      case 'pad': break;
    }
  }
  return out;
}

/** Encodes every field (missing numbers as 0), zeroing padding; throws on values outside a field's domain. */
export function encodeRecord(l: RecordLayout, record: Readonly<DecodedRecord>, view: DataView, offset: number): void {
  for (const f of l.fields) {
    const at = offset + f.offset;
    const value = f.name === 'type' ? l.type : record[f.name];
    if (f.kind === 'pad') {
      for (let i = 0; i < f.sizeBytes; i++) view.setUint8(at + i, 0);
      continue;
    }
    if (f.kind === 'name') {
      writeName(view, at, typeof value === 'string' ? value : '');
      continue;
    }
    const n = value === undefined ? 0 : value;
    const max = f.kind === 'u64' ? Number.MAX_SAFE_INTEGER : 2 ** (8 * f.sizeBytes) - 1;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
      throw new RangeError(`${l.name}.${f.name} must be an integer in 0..${max}, got ${String(value)}`);
    }
    switch (f.kind) {
      case 'u8': view.setUint8(at, n); break;
      case 'u16': view.setUint16(at, n, true); break;
      case 'u32': view.setUint32(at, n, true); break;
      case 'u64': writeU64(view, at, n); break;
    }
  }
}
