// AWS Signature Version 4 for a presigned GET URL (query-string authentication), with node:crypto
// only. MSK IAM authentication uses such a URL, signed for the `kafka-cluster` service, as its
// SASL/OAUTHBEARER token (see msk-iam.ts).

import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface PresignRequest {
  readonly host: string;
  readonly path: string;
  readonly region: string;
  readonly service: string;
  readonly query: Readonly<Record<string, string>>;
  readonly expiresSeconds: number;
  readonly now: Date;
  /** Hex SHA-256 of the body, or a literal such as S3's UNSIGNED-PAYLOAD. */
  readonly payloadHash: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_PAYLOAD_HASH = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding, as SigV4 requires (encodeURIComponent leaves !'()* alone). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The presigned URL: every query parameter, the X-Amz-* ones included, then X-Amz-Signature. */
export function presignUrl(request: PresignRequest, credentials: AwsCredentials): string {
  const date = amzDate(request.now);
  const dateStamp = date.slice(0, 8);
  const scope = `${dateStamp}/${request.region}/${request.service}/aws4_request`;
  const query: Record<string, string> = {
    ...request.query,
    'X-Amz-Algorithm': ALGORITHM,
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': date,
    'X-Amz-Expires': String(request.expiresSeconds),
    'X-Amz-SignedHeaders': 'host',
  };
  if (credentials.sessionToken !== undefined) query['X-Amz-Security-Token'] = credentials.sessionToken;
  const canonicalQuery = Object.keys(query)
    .map((key) => [uriEncode(key), uriEncode(query[key]!)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = ['GET', request.path, canonicalQuery, `host:${request.host}`, '', 'host', request.payloadHash].join('\n');
  const stringToSign = [ALGORITHM, date, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, dateStamp);
  for (const part of [request.region, request.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return `https://${request.host}${request.path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
