// kafkajs's own protocol encoders and decoders (CommonJS internals of kafkajs 2.2.4, which has no
// types for them) as an independent implementation of the Kafka wire format: requests it encodes
// must decode here, and responses encoded here must decode there.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  readonly buffer: Buffer;
}

export interface KafkajsRequest {
  readonly apiKey: number;
  readonly apiVersion: number;
  encode(): Promise<KafkajsEncoder>;
}

export interface KafkajsResponse {
  decode(body: Buffer): Promise<Record<string, unknown>>;
  parse(decoded: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** kafkajs's request builder for `api` (its folder name, e.g. "fetch") at `version`. */
export function kafkajsRequest(api: string, version: number, args: object): KafkajsRequest {
  const build = require(`kafkajs/src/protocol/requests/${api}/v${version}/request.js`) as (args: object) => KafkajsRequest;
  return build(args);
}

export function kafkajsResponse(api: string, version: number): KafkajsResponse {
  return require(`kafkajs/src/protocol/requests/${api}/v${version}/response.js`) as KafkajsResponse;
}

/** A whole request frame (size prefix, header v1, body) as kafkajs sends it. */
export async function kafkajsFrame(request: KafkajsRequest, correlationId: number): Promise<Buffer> {
  const frame = require('kafkajs/src/protocol/request.js') as (args: object) => Promise<KafkajsEncoder>;
  return Buffer.from((await frame({ correlationId, clientId: 'oracle', request })).buffer);
}

/** The body of a request (what follows the header). */
export async function kafkajsBody(request: KafkajsRequest): Promise<Buffer> {
  return Buffer.from((await request.encode()).buffer);
}
