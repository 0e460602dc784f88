// Message definitions in the shape of Apache Kafka's JSON message files
// (clients/src/main/resources/common/message/*.json), written here by hand for exactly the APIs
// and versions the endpoint advertises. Names are Kafka's with a lower-case first letter. Tagged
// fields are left out: every one is optional, the endpoint needs none of them in requests and
// sends none in responses (an empty tag buffer), which every client accepts.

export type ScalarType = 'bool' | 'int8' | 'int16' | 'int32' | 'int64' | 'uuid' | 'string' | 'bytes' | 'records';
export type FieldType = ScalarType | `[]${Exclude<ScalarType, 'records'>}` | '[]struct';
export type DefaultValue = number | boolean | string | null;

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Kafka's version ranges: "3+", "0-7", "none". */
  readonly versions: string;
  readonly nullableVersions?: string;
  /** Value when the field is absent from the version; Kafka's implicit default otherwise. */
  readonly default?: DefaultValue;
  readonly fields?: readonly FieldSpec[];
}

export interface MessageSpec {
  readonly name: string;
  readonly apiKey: number;
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly fields: readonly FieldSpec[];
}

export interface VersionRange {
  readonly min: number;
  /** Inclusive; Infinity for an open range ("3+"). */
  readonly max: number;
}

const NO_VERSIONS: VersionRange = { min: 1, max: 0 };

export function parseVersions(text: string): VersionRange {
  if (text === 'none') return NO_VERSIONS;
  const open = /^(\d+)\+$/.exec(text);
  if (open !== null) return { min: Number(open[1]), max: Infinity };
  const closed = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (closed === null) throw new Error(`bad version range ${JSON.stringify(text)}`);
  return { min: Number(closed[1]), max: Number(closed[2] ?? closed[1]) };
}

export function inRange(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max;
}
