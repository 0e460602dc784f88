// Request header v1 (api key, version, correlation id, nullable client id) and v2 (the same plus
// tagged fields, for flexible versions), and response header v0 (correlation id) and v1 (plus
// tagged fields), which ApiVersions never uses: its header must stay readable by any client.

import type { WireReader } from './wire-reader.ts';
import type { WireWriter } from './wire-writer.ts';

/** ApiVersions' key: its request header is parsed before anything else is known of the client. */
export const API_VERSIONS_KEY = 18;

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

/** Reads the v1 part; the caller skips the tag buffer of a flexible request. */
export function readRequestHeader(reader: WireReader): RequestHeader {
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  const clientIdLength = reader.length(false, false);
  const clientId = clientIdLength === -1 ? null : reader.stringOf(clientIdLength);
  return { apiKey, apiVersion, correlationId, clientId };
}

export function writeResponseHeader(writer: WireWriter, apiKey: number, correlationId: number, flexible: boolean): void {
  writer.int32(correlationId);
  if (flexible && apiKey !== API_VERSIONS_KEY) writer.uvarint(0);
}
