// MSK IAM authentication over SASL/OAUTHBEARER: the token is a SigV4-presigned URL for the action
// kafka-cluster:Connect on kafka.<region>.amazonaws.com, base64url-encoded, valid 15 minutes (the
// scheme of AWS's aws-msk-iam-sasl-signer libraries). kafkajs asks for a fresh token whenever it
// authenticates a connection. Credentials come from the standard environment variables.

import type { AwsCredentials } from './sigv4-presign.ts';
import { EMPTY_PAYLOAD_HASH, presignUrl } from './sigv4-presign.ts';

const TOKEN_EXPIRES_SECONDS = 900;
const SERVICE = 'kafka-cluster';
const USER_AGENT = 'exchange-journal-shipper';

export function mskIamToken(region: string, credentials: AwsCredentials, now: Date): string {
  const url = presignUrl(
    {
      host: `kafka.${region}.amazonaws.com`,
      path: '/',
      region,
      service: SERVICE,
      query: { Action: 'kafka-cluster:Connect' },
      expiresSeconds: TOKEN_EXPIRES_SECONDS,
      now,
      payloadHash: EMPTY_PAYLOAD_HASH,
    },
    credentials,
  );
  return Buffer.from(`${url}&User-Agent=${USER_AGENT}`, 'utf8').toString('base64url');
}

/** AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (optional), read at each call. */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv): AwsCredentials {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error('MSK IAM needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for a role)');
  }
  const sessionToken = env['AWS_SESSION_TOKEN'];
  return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}
