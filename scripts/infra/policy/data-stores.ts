// Aurora, ElastiCache and MSK: encrypted at rest with their own key and in transit, authenticated, backed up,
// protected from deletion, and spread over several AZs.
import { blocksAt, blocksOfType, atLeast, equals, isFalse, isTrue, references, requireReference, requireValue, violate, type PolicyContext } from './context.ts';

function checkAurora(ctx: PolicyContext): void {
  const parameterGroups = blocksOfType(ctx.config, 'aws_rds_cluster_parameter_group');
  const instances = blocksOfType(ctx.config, 'aws_rds_cluster_instance');
  for (const cluster of blocksOfType(ctx.config, 'aws_rds_cluster')) {
    requireValue(ctx, cluster, 'storage_encrypted', 'encryption', 'storage is encrypted', isTrue);
    requireReference(ctx, cluster, 'kms_key_id', 'encryption', 'aws_kms_key.', 'a customer-managed key');
    requireValue(ctx, cluster, 'deletion_protection', 'deletion-protection', 'must be true', isTrue);
    requireValue(ctx, cluster, 'skip_final_snapshot', 'backups', 'a final snapshot is taken on delete', isFalse);
    requireValue(ctx, cluster, 'backup_retention_period', 'backups', 'at least 7 days of point-in-time recovery', atLeast(7));
    requireValue(ctx, cluster, 'copy_tags_to_snapshot', 'backups', 'snapshots keep their tags', isTrue);
    requireValue(ctx, cluster, 'manage_master_user_password', 'credentials', 'RDS manages the master password in Secrets Manager', isTrue);
    requireValue(ctx, cluster, 'iam_database_authentication_enabled', 'credentials', 'IAM authentication stays available', isTrue);
    requireValue(ctx, cluster, 'enabled_cloudwatch_logs_exports', 'logging', 'postgresql logs go to CloudWatch', (v) => Array.isArray(v) && v.includes('postgresql'));
    if ('master_password' in cluster.body || 'master_password_wo' in cluster.body) violate(ctx, cluster, 'credentials', 'no master password in configuration');
    const group = parameterGroups.find((g) => references(cluster.body['db_cluster_parameter_group_name'], g.address));
    const forceSsl = group ? blocksAt(group.body, 'parameter').find((p) => p['name'] === 'rds.force_ssl') : undefined;
    if (!forceSsl || String(forceSsl['value']) !== '1') violate(ctx, cluster, 'encryption', 'the cluster parameter group must set rds.force_ssl = 1');
    const members = instances.filter((i) => references(i.body['cluster_identifier'], cluster.address));
    if (members.length === 0) violate(ctx, cluster, 'multi-az', 'no aws_rds_cluster_instance');
    for (const instance of members) {
      requireValue(ctx, instance, 'count', 'multi-az', 'a writer and at least one reader in another AZ', atLeast(2));
      requireValue(ctx, instance, 'publicly_accessible', 'no-public-ip', 'instances are private', isFalse);
      requireValue(ctx, instance, 'performance_insights_enabled', 'logging', 'Performance Insights on', isTrue);
      requireReference(ctx, instance, 'performance_insights_kms_key_id', 'encryption', 'aws_kms_key.', 'Performance Insights data is encrypted with a CMK');
    }
  }
}

function checkCache(ctx: PolicyContext): void {
  for (const cache of blocksOfType(ctx.config, 'aws_elasticache_replication_group')) {
    requireValue(ctx, cache, 'at_rest_encryption_enabled', 'encryption', 'encrypted at rest', isTrue);
    requireReference(ctx, cache, 'kms_key_id', 'encryption', 'aws_kms_key.', 'a customer-managed key');
    requireValue(ctx, cache, 'transit_encryption_enabled', 'encryption', 'TLS in transit', isTrue);
    requireValue(ctx, cache, 'transit_encryption_mode', 'encryption', 'TLS is required, not preferred', equals('required'));
    requireValue(ctx, cache, 'automatic_failover_enabled', 'multi-az', 'a replica takes over automatically', isTrue);
    requireValue(ctx, cache, 'multi_az_enabled', 'multi-az', 'replicas in other AZs', isTrue);
    requireValue(ctx, cache, 'num_cache_clusters', 'multi-az', 'a primary and at least one replica', atLeast(2));
    requireValue(ctx, cache, 'snapshot_retention_limit', 'backups', 'daily snapshots kept at least a day', atLeast(1));
    if (!('auth_token_wo' in cache.body) && !('user_group_ids' in cache.body)) violate(ctx, cache, 'credentials', 'clients must authenticate: auth_token_wo (write-only) or RBAC user groups');
    if ('auth_token' in cache.body) violate(ctx, cache, 'credentials', 'auth_token is stored in state; use auth_token_wo');
  }
}

function checkMsk(ctx: PolicyContext): void {
  for (const msk of blocksOfType(ctx.config, 'aws_msk_cluster')) {
    requireValue(ctx, msk, 'encryption_info.encryption_in_transit.client_broker', 'encryption', 'clients speak TLS only', equals('TLS'));
    requireValue(ctx, msk, 'encryption_info.encryption_in_transit.in_cluster', 'encryption', 'brokers speak TLS to each other', isTrue);
    requireReference(ctx, msk, 'encryption_info.encryption_at_rest_kms_key_arn', 'encryption', 'aws_kms_key.', 'a customer-managed key');
    requireValue(ctx, msk, 'client_authentication.sasl.iam', 'credentials', 'SASL/IAM authentication', isTrue);
    requireValue(ctx, msk, 'client_authentication.unauthenticated', 'credentials', 'no unauthenticated access', isFalse);
    requireValue(ctx, msk, 'number_of_broker_nodes', 'multi-az', 'brokers spread evenly over three AZs', (v) => Number(v) > 0 && Number(v) % 3 === 0);
    requireValue(ctx, msk, 'logging_info.broker_logs.cloudwatch_logs.enabled', 'logging', 'broker logs go to CloudWatch', isTrue);
    requireValue(ctx, msk, 'enhanced_monitoring', 'logging', 'per-broker metrics at least', (v) => v !== 'DEFAULT' && v !== null);
    if (!String(msk.body['count'] ?? '').includes('var.')) violate(ctx, msk, 'msk-optional', 'MSK is optional: count must depend on a variable');
  }
}

export function checkDataStorePolicy(ctx: PolicyContext): void {
  checkAurora(ctx);
  checkCache(ctx);
  checkMsk(ctx);
}
