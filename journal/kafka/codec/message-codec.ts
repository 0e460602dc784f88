// Interprets MessageSpecs: decodes a request body into a plain object and encodes a response
// object, for any version in the spec's range, classic or flexible. Fields outside a version
// decode to their default and are skipped when encoding. The spec is compiled once at load.

import { KafkaWireError } from './errors.ts';
import { inRange, parseVersions, type DefaultValue, type FieldSpec, type MessageSpec, type ScalarType, type VersionRange } from './schema.ts';
import type { WireReader } from './wire-reader.ts';
import type { WireWriter } from './wire-writer.ts';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const EMPTY_BYTES = Buffer.alloc(0);

interface CompiledField {
  readonly name: string;
  /** The element type for arrays; 'struct' for arrays of structs. */
  readonly scalar: ScalarType | 'struct';
  readonly array: boolean;
  readonly versions: VersionRange;
  readonly nullableVersions: VersionRange;
  readonly defaultValue: DefaultValue | undefined;
  readonly fields: readonly CompiledField[];
}

export interface CompiledMessage {
  readonly name: string;
  readonly apiKey: number;
  readonly versions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly fields: readonly CompiledField[];
}

function compileField(spec: FieldSpec): CompiledField {
  const array = spec.type.startsWith('[]');
  const element = array ? spec.type.slice(2) : spec.type;
  const scalar = element as ScalarType | 'struct';
  if ((scalar === 'struct') !== (spec.fields !== undefined)) throw new Error(`${spec.name}: only struct arrays have fields`);
  return {
    name: spec.name,
    scalar,
    array,
    versions: parseVersions(spec.versions),
    nullableVersions: parseVersions(spec.nullableVersions ?? 'none'),
    defaultValue: spec.default,
    fields: (spec.fields ?? []).map(compileField),
  };
}

export function compileMessage(spec: MessageSpec): CompiledMessage {
  return {
    name: spec.name,
    apiKey: spec.apiKey,
    versions: parseVersions(spec.validVersions),
    flexibleVersions: parseVersions(spec.flexibleVersions),
    fields: spec.fields.map(compileField),
  };
}

function defaultOf(field: CompiledField): unknown {
  if (field.defaultValue !== undefined) return field.defaultValue;
  if (field.array) return [];
  switch (field.scalar) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
    case 'records':
      return EMPTY_BYTES;
    case 'struct':
      throw new Error(`${field.name}: struct fields are arrays`);
    default:
      return 0;
  }
}

/** Smallest encoding of one array element, to bound counts by the bytes left. */
function elementSizeBytesMin(field: CompiledField): number {
  switch (field.scalar) {
    case 'int16':
      return 2;
    case 'int32':
      return 4;
    case 'int64':
      return 8;
    case 'uuid':
      return 16;
    default:
      return 1;
  }
}

function readScalar(reader: WireReader, scalar: ScalarType, nullable: boolean, flexible: boolean): unknown {
  switch (scalar) {
    case 'bool':
      return reader.bool();
    case 'int8':
      return reader.int8();
    case 'int16':
      return reader.int16();
    case 'int32':
      return reader.int32();
    case 'int64':
      return reader.int64();
    case 'uuid':
      return reader.uuid();
    case 'string':
    case 'bytes':
    case 'records': {
      const start = reader.pos;
      const sizeBytes = reader.length(flexible, scalar !== 'string');
      if (sizeBytes === -1) {
        if (!nullable) throw new KafkaWireError('length', start, `null ${scalar} where none is allowed`);
        return null;
      }
      return scalar === 'string' ? reader.stringOf(sizeBytes) : reader.bytesOf(sizeBytes);
    }
  }
}

function readStruct(reader: WireReader, fields: readonly CompiledField[], version: number, flexible: boolean): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const field of fields) {
    if (!inRange(field.versions, version)) {
      value[field.name] = defaultOf(field);
      continue;
    }
    const nullable = inRange(field.nullableVersions, version);
    if (!field.array) {
      value[field.name] = readScalar(reader, field.scalar as ScalarType, nullable, flexible);
      continue;
    }
    const start = reader.pos;
    const count = reader.arrayLength(flexible, elementSizeBytesMin(field));
    if (count === -1) {
      if (!nullable) throw new KafkaWireError('length', start, `null array ${field.name}`);
      value[field.name] = null;
      continue;
    }
    const items: unknown[] = [];
    for (let index = 0; index < count; index++) {
      items.push(field.scalar === 'struct' ? readStruct(reader, field.fields, version, flexible) : readScalar(reader, field.scalar, false, flexible));
    }
    value[field.name] = items;
  }
  if (flexible) reader.skipTaggedFields();
  return value;
}

export function isFlexible(message: CompiledMessage, version: number): boolean {
  return inRange(message.flexibleVersions, version);
}

/** Decodes the body of `message` at `version`; the body must end exactly at reader.end. */
export function decodeMessage(message: CompiledMessage, version: number, reader: WireReader): Record<string, unknown> {
  const value = readStruct(reader, message.fields, version, isFlexible(message, version));
  if (reader.remainingBytes !== 0) throw new KafkaWireError('trailing', reader.pos, `${reader.remainingBytes} bytes after ${message.name}`);
  return value;
}

function fieldError(field: CompiledField, detail: string): Error {
  // A response that does not fit its spec is a bug in a handler, not a peer's fault.
  return new Error(`encoding ${field.name}: ${detail}`);
}

function writeScalar(writer: WireWriter, field: CompiledField, scalar: ScalarType, value: unknown, nullable: boolean, flexible: boolean): void {
  if (value === null) {
    if (!nullable || scalar === 'bool' || scalar.startsWith('int') || scalar === 'uuid') throw fieldError(field, 'null where none is allowed');
    writer.length(-1, flexible, scalar !== 'string');
    return;
  }
  switch (scalar) {
    case 'bool':
      return writer.bool(value as boolean);
    case 'int8':
      return writer.int8(value as number);
    case 'int16':
      return writer.int16(value as number);
    case 'int32':
      return writer.int32(value as number);
    case 'int64':
      return writer.int64(value as number);
    case 'uuid':
      return writer.uuid(value as string);
    case 'string': {
      const bytes = Buffer.from(value as string, 'utf8');
      writer.length(bytes.length, flexible, false);
      return writer.raw(bytes);
    }
    case 'bytes': {
      const bytes = value as Buffer;
      writer.length(bytes.length, flexible, true);
      return writer.raw(bytes);
    }
    case 'records': {
      const bytes = value as Buffer;
      writer.length(bytes.length, flexible, true);
      return writer.reference(bytes);
    }
  }
}

function writeStruct(writer: WireWriter, fields: readonly CompiledField[], version: number, flexible: boolean, value: Record<string, unknown>): void {
  for (const field of fields) {
    if (!inRange(field.versions, version)) continue;
    const fieldValue = value[field.name];
    if (fieldValue === undefined) throw fieldError(field, 'missing');
    const nullable = inRange(field.nullableVersions, version);
    if (!field.array) {
      writeScalar(writer, field, field.scalar as ScalarType, fieldValue, nullable, flexible);
      continue;
    }
    if (fieldValue === null) {
      if (!nullable) throw fieldError(field, 'null array where none is allowed');
      writer.length(-1, flexible, true);
      continue;
    }
    const items = fieldValue as readonly unknown[];
    writer.length(items.length, flexible, true);
    for (const item of items) {
      if (field.scalar === 'struct') writeStruct(writer, field.fields, version, flexible, item as Record<string, unknown>);
      else writeScalar(writer, field, field.scalar, item, false, flexible);
    }
  }
  if (flexible) writer.uvarint(0);
}

/** Encodes `value` as the body of `message` at `version`. */
export function encodeMessage(message: CompiledMessage, version: number, value: object, writer: WireWriter): void {
  writeStruct(writer, message.fields, version, isFlexible(message, version), value as Record<string, unknown>);
}
