// S3 buckets, KMS keys, secrets and log groups: encrypted, versioned, private, TLS-only, with lifecycles, rotated
// keys, write-only secret values and retention everywhere.
import type { TfBlock } from '../tf-config.ts';
import { atLeast, blocksAt, blocksOfType, equals, isTrue, references, requireReference, requireValue, valuesAt, violate, type PolicyContext } from './context.ts';

function companion(ctx: PolicyContext, type: string, bucket: TfBlock): TfBlock | undefined {
  return blocksOfType(ctx.config, type).find((b) => references(b.body['bucket'], bucket.address));
}

/** The bucket that an ALB writes access logs to may (must) use SSE-S3; every other bucket uses a CMK. */
function isAlbLogBucket(ctx: PolicyContext, bucket: TfBlock): boolean {
  return blocksOfType(ctx.config, 'aws_lb').some((lb) => valuesAt(lb.body, 'access_logs.bucket').some((v) => references(v, bucket.address)));
}

function denyInsecureTransport(ctx: PolicyContext, policy: TfBlock): boolean {
  const documents = blocksOfType(ctx.config, 'aws_iam_policy_document', 'data').filter((d) => references(policy.body['policy'], `data.${d.type}.${d.name}`));
  return documents.some((doc) =>
    blocksAt(doc.body, 'statement').some(
      (s) => s['effect'] === 'Deny' && blocksAt(s, 'condition').some((c) => c['variable'] === 'aws:SecureTransport' && JSON.stringify(c['values']) === '["false"]'),
    ),
  );
}

function checkBuckets(ctx: PolicyContext): void {
  for (const bucket of blocksOfType(ctx.config, 'aws_s3_bucket')) {
    if (isTrue(bucket.body['force_destroy'] ?? null)) violate(ctx, bucket, 's3', 'force_destroy would let terraform destroy delete archived data');
    const access = companion(ctx, 'aws_s3_bucket_public_access_block', bucket);
    if (!access) violate(ctx, bucket, 's3-public-access', 'no aws_s3_bucket_public_access_block');
    for (const flag of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
      if (access) requireValue(ctx, access, flag, 's3-public-access', 'all four public access blocks are on', isTrue);
    }
    const versioning = companion(ctx, 'aws_s3_bucket_versioning', bucket);
    if (!versioning) violate(ctx, bucket, 's3-versioning', 'no aws_s3_bucket_versioning');
    else requireValue(ctx, versioning, 'versioning_configuration.status', 's3-versioning', 'versioning is Enabled', equals('Enabled'));
    const encryption = companion(ctx, 'aws_s3_bucket_server_side_encryption_configuration', bucket);
    if (!encryption) violate(ctx, bucket, 'encryption', 'no aws_s3_bucket_server_side_encryption_configuration');
    else if (isAlbLogBucket(ctx, bucket)) {
      requireValue(ctx, encryption, 'rule.apply_server_side_encryption_by_default.sse_algorithm', 'encryption', 'ALB log delivery requires SSE-S3', equals('AES256'));
    } else {
      requireValue(ctx, encryption, 'rule.apply_server_side_encryption_by_default.sse_algorithm', 'encryption', 'SSE-KMS with a CMK', equals('aws:kms'));
      requireReference(ctx, encryption, 'rule.apply_server_side_encryption_by_default.kms_master_key_id', 'encryption', 'aws_kms_key.', 'a customer-managed key');
      requireValue(ctx, encryption, 'rule.bucket_key_enabled', 'encryption', 'S3 bucket keys cut KMS calls', isTrue);
    }
    const ownership = companion(ctx, 'aws_s3_bucket_ownership_controls', bucket);
    if (!ownership) violate(ctx, bucket, 's3', 'no aws_s3_bucket_ownership_controls (ACLs disabled)');
    else requireValue(ctx, ownership, 'rule.object_ownership', 's3', 'ACLs disabled', equals('BucketOwnerEnforced'));
    const policy = companion(ctx, 'aws_s3_bucket_policy', bucket);
    if (!policy || !denyInsecureTransport(ctx, policy)) violate(ctx, bucket, 's3-tls-only', 'the bucket policy must deny requests with aws:SecureTransport = false');
    const lifecycle = companion(ctx, 'aws_s3_bucket_lifecycle_configuration', bucket);
    if (!lifecycle || valuesAt(lifecycle.body, 'rule.noncurrent_version_expiration').length === 0) {
      violate(ctx, bucket, 's3-lifecycle', 'needs a lifecycle rule with noncurrent_version_expiration');
    }
  }
}

function checkKeysSecretsLogs(ctx: PolicyContext): void {
  for (const key of blocksOfType(ctx.config, 'aws_kms_key')) {
    requireValue(ctx, key, 'enable_key_rotation', 'kms', 'automatic key rotation', isTrue);
    requireValue(ctx, key, 'deletion_window_in_days', 'kms', 'at least 7 days to undo a key deletion', atLeast(7));
  }
  for (const secret of blocksOfType(ctx.config, 'aws_secretsmanager_secret')) {
    requireReference(ctx, secret, 'kms_key_id', 'encryption', 'aws_kms_key.', 'secrets are encrypted with a CMK');
  }
  for (const version of blocksOfType(ctx.config, 'aws_secretsmanager_secret_version')) {
    if ('secret_string' in version.body || 'secret_binary' in version.body) violate(ctx, version, 'credentials', 'secret values in configuration land in state; use secret_string_wo');
  }
  for (const group of blocksOfType(ctx.config, 'aws_cloudwatch_log_group')) {
    requireValue(ctx, group, 'retention_in_days', 'logging', 'logs have a retention of at least 30 days', atLeast(30));
    requireReference(ctx, group, 'kms_key_id', 'encryption', 'aws_kms_key.', 'log groups are encrypted with a CMK');
  }
  for (const topic of blocksOfType(ctx.config, 'aws_sns_topic')) {
    requireReference(ctx, topic, 'kms_master_key_id', 'encryption', 'aws_kms_key.', 'topics are encrypted with a CMK');
  }
  for (const repository of blocksOfType(ctx.config, 'aws_ecr_repository')) {
    requireValue(ctx, repository, 'image_tag_mutability', 'ecr', 'a tag names one build forever', equals('IMMUTABLE'));
    requireValue(ctx, repository, 'image_scanning_configuration.scan_on_push', 'ecr', 'images are scanned on push', isTrue);
    requireReference(ctx, repository, 'encryption_configuration.kms_key', 'encryption', 'aws_kms_key.', 'images are encrypted with a CMK');
  }
}

export function checkStoragePolicy(ctx: PolicyContext): void {
  checkBuckets(ctx);
  checkKeysSecretsLogs(ctx);
}
