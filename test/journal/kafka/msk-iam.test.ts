// Proves the shipper's MSK IAM token: the SigV4 presigner reproduces AWS's documented presigned-URL example byte for byte, and the token is the base64url of a kafka-cluster:Connect URL for the region, signed with the session token.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mskIamToken } from '../../../journal/shipper/msk-iam.ts';
import { presignUrl } from '../../../journal/shipper/sigv4-presign.ts';

const EXAMPLE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

test('presignUrl reproduces the AWS SigV4 query-string example', () => {
  // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", Amazon S3 API reference.
  const url = presignUrl(
    { host: 'examplebucket.s3.amazonaws.com', path: '/test.txt', region: 'us-east-1', service: 's3', query: {}, expiresSeconds: 86_400, now: new Date('2013-05-24T00:00:00Z'), payloadHash: 'UNSIGNED-PAYLOAD' },
    EXAMPLE_CREDENTIALS,
  );
  assert.match(url, /X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404$/);
});

test('the MSK IAM token is a presigned kafka-cluster:Connect URL', () => {
  const token = mskIamToken('eu-west-1', { ...EXAMPLE_CREDENTIALS, sessionToken: 'session/token+1' }, new Date('2026-11-21T10:00:00Z'));
  assert.doesNotMatch(token, /[+/=]/, 'base64url without padding');
  const url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
  assert.equal(url.host, 'kafka.eu-west-1.amazonaws.com');
  assert.equal(url.searchParams.get('Action'), 'kafka-cluster:Connect');
  assert.equal(url.searchParams.get('X-Amz-Credential'), 'AKIAIOSFODNN7EXAMPLE/20261121/eu-west-1/kafka-cluster/aws4_request');
  assert.equal(url.searchParams.get('X-Amz-Expires'), '900');
  assert.equal(url.searchParams.get('X-Amz-Security-Token'), 'session/token+1');
  assert.match(url.searchParams.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
  assert.ok(url.searchParams.has('User-Agent'));
});
